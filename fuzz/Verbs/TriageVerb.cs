using System.CommandLine;
using System.Diagnostics;
using MmFuzz.Cli.Harness;
using MmFuzz.Engine;

namespace MmFuzz.Cli;

/// <summary><c>triage CRASH_DIR --variant NAME --out DIR [--fuzzer NAME] [--campaign NAME]</c>: replay, group, minimize crashes; write regression files.</summary>
static class TriageVerb
{
    public static Command Build()
    {
        var dir = Opt.PathArgument("CRASH_DIR", "a campaign's output folder (AFL++ or libFuzzer)");
        var outDir = Opt.Path("--out", "DIR", "where to write one new regression per group", "-o");
        outDir.Required = true;
        var fuzzer = new Option<string?>("--fuzzer") { Description = "the fuzzer's name for the regressions' found-by line", HelpName = "NAME" };
        var name = new Option<string?>("--campaign") { Description = "the campaign's name for the found-by line", HelpName = "NAME" };
        var command = new Command("triage", "replay, group, minimize crashes; write regression files") { dir, outDir, fuzzer, name };
        var campaign = new Campaign(required: false).AddTo(command);
        command.Action((p, _) =>
        {
            var crashes = p.GetValue(dir)!;
            if (!Directory.Exists(crashes))
                throw new UsageException($"{crashes}: no such folder");
            var config = campaign.Read(p);
            var output = Files.Folder("--out", p.GetValue(outDir)!);
            var sw = Stopwatch.StartNew();
            var r = Terminal.Progress($"triage {crashes}", null, _ => Triage.Run(crashes, config, output, p.GetValue(fuzzer), p.GetValue(name)));
            int inputs = r.Groups.Sum(g => g.Inputs.Count) + r.HarnessErrors.Sum(g => g.Inputs.Count) + r.NotReproduced.Count;
            Console.WriteLine($"triage {crashes} ({config.Variant.Name}): {inputs} crash input(s), {r.Groups.Count} kernel-bug group(s), " +
                              $"{r.HarnessErrors.Sum(g => g.Inputs.Count)} simulator error(s), {r.NotReproduced.Count} not reproduced ({sw.Elapsed.TotalSeconds:F1} s)");
            foreach (var g in r.Groups)
                Console.WriteLine($"  {BugKinds.Name(g.Kind),-16} {g.Inputs.Count,5} input(s)  {g.Finding!.Steps.Count} steps, {g.Finding.Preemptions} preemption(s)  {g.Written}\n      {g.Message}");
            foreach (var g in r.HarnessErrors)
                Console.Error.WriteLine($"  SIMULATOR ERROR (a bug of MmFuzz, not of the kernel) in {g.Inputs.Count} input(s), e.g. {g.Inputs[0]}:\n      {g.Message}");
            foreach (var n in r.NotReproduced)
                Console.WriteLine($"  not reproduced: {n}");
            return r.HarnessErrors.Count > 0 ? Exit.Harness : Exit.AsExpected;
        });
        return command;
    }
}
