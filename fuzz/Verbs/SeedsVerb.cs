using System.CommandLine;

namespace MmFuzz.Cli;

/// <summary>
/// <c>seeds --out DIR [--dict FILE] [--count N]</c>: writes a seed corpus of scenario-only inputs (no
/// schedule bytes, so no preemptions) that run clean on every variant, one per distinct shape
/// (operations, queues, CPUs), and a dictionary of their scenario prefixes and schedule patterns.
/// Deterministic: the committed corpus/seeds/ is its output.
/// </summary>
static class SeedsVerb
{
    public static Command Build()
    {
        var outDir = Opt.Path("--out", "DIR", "the folder to write the seeds in", "-o");
        outDir.Required = true;
        var dict = Opt.Path("--dict", "FILE", "also write the fuzzers' dictionary");
        var count = Opt.Int("--count", 1, 4096, 24, "seeds to write");
        var command = new Command("seeds", "write the fuzzers' seed corpus and dictionary") { outDir, dict, count };
        command.Action((p, _) =>
        {
            var output = Files.Folder("--out", p.GetValue(outDir)!);
            var dictionary = p.GetValue(dict);
            if (dictionary is not null)
                Files.CheckNew("--dict", dictionary, force: true);
            var seeds = SeedCorpus.Generate((int)p.GetValue(count));
            foreach (var (name, data) in seeds)
                File.WriteAllBytes(Path.Combine(output, name), data);
            if (dictionary is not null)
                Files.Write("--dict", dictionary, SeedCorpus.Dictionary(seeds), force: true);
            Console.WriteLine($"wrote {seeds.Count} seeds to {output}{(dictionary is null ? "" : " and the dictionary " + dictionary)}");
            return Exit.AsExpected;
        });
        return command;
    }
}
