using System.Diagnostics;
using System.Text;
using MmFuzz.Cli.Harness;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using SharpFuzz;
using MmFuzz.Search;
using MmFuzz.Schedules;
using MmFuzz.Strategies;
using MmFuzz.Reports;

namespace MmFuzz.Cli;

/// <summary>The fuzzer verbs: the AFL++ and libFuzzer entry points, crash replay, triage and the seed corpus.</summary>
public static class FuzzVerbs
{
    static readonly string[] CampaignOptions = ["variant", "ignore", "beyond-history", "interleaving"];

    /// <summary>
    /// <c>afl --variant NAME</c>: the AFL++ target (SharpFuzz's fork server, one persistent .NET child;
    /// <c>MMFUZZ_AFL_INPROC=1</c> runs the inputs in this process). Outside afl-fuzz it runs stdin once.
    /// </summary>
    public static int Afl(Options o)
    {
        o.Allow(CampaignOptions);
        var target = new FuzzTarget(CampaignConfig.From(o));
        Action<Stream> run = s =>
        {
            using var m = new MemoryStream();
            s.CopyTo(m);
            target.Execute(m.ToArray());
        };
        if (Environment.GetEnvironmentVariable("MMFUZZ_AFL_INPROC") == "1")
            Fuzzer.Run(run);
        else
            Fuzzer.OutOfProcess.Run(run);
        return 0;
    }

    /// <summary><c>libfuzzer --variant NAME</c>: the libFuzzer target behind fuzz/bridge/dotnet-bridge.c (outside the bridge it runs the file named first once).</summary>
    public static int LibFuzzer(Options o)
    {
        o.Allow(CampaignOptions);
        var target = new FuzzTarget(CampaignConfig.From(o));
        Fuzzer.LibFuzzer.Run(span => target.Execute(span.ToArray()));
        return 0;
    }

    /// <summary>
    /// <c>run-input FILE --variant NAME</c>: replays one fuzzer input without a fuzzer and prints its
    /// scenario and column trace. Exit 1 when it is a crash of the campaign, 3 on a simulator error, else 0.
    /// </summary>
    public static int RunInput(Options o)
    {
        o.Allow(CampaignOptions);
        var path = o.Positional.FirstOrDefault() ?? throw new UsageException("run-input needs a FILE");
        if (!File.Exists(path))
            throw new UsageException($"no such file: {path}");
        var config = CampaignConfig.From(o) with { Interleaving = false };
        var data = File.ReadAllBytes(path);
        var scenario = ScenarioDecoder.Decode(data, out int consumed);
        using var world = new Simulation(config.Variant, scenario, config.OraclesOff);
        var f = Minimizer.Replay(world, new ChoiceStreamStrategy(new ChoiceStream(data, consumed)), 0);
        Console.WriteLine($"== {config.Variant.Name} / {path}: {data.Length} bytes ({consumed} scenario, {data.Length - consumed} schedule)");
        Console.WriteLine(scenario.Description);
        Console.WriteLine();
        Console.Write(f.Trace());
        var verdict = f.Outcome.Verdict == Verdict.HarnessError ? "SIMULATOR ERROR (a bug of MmFuzz)" : f.Outcome.IsBug ? BugKinds.Name(f.Outcome.Kind) : "ok";
        Console.WriteLine($"outcome: {verdict}, {f.Steps.Count} steps, {f.Preemptions} preemption(s)");
        return f.Outcome.Verdict == Verdict.HarnessError ? 3 : new FuzzTarget(config).IsCrash(f.Outcome) ? 1 : 0;
    }

    /// <summary><c>triage CRASH_DIR --variant NAME --out DIR [--fuzzer NAME] [--campaign NAME]</c>.</summary>
    public static int Triage_(Options o)
    {
        o.Allow([.. CampaignOptions, "out", "fuzzer", "campaign"]);
        var dir = o.Positional.FirstOrDefault() ?? throw new UsageException("triage needs a CRASH_DIR");
        if (!Directory.Exists(dir))
            throw new UsageException($"no such directory: {dir}");
        var outDir = o.Get("out") ?? throw new UsageException("triage needs --out DIR");
        var config = CampaignConfig.From(o);
        var sw = Stopwatch.StartNew();
        var r = Triage.Run(dir, config, outDir, o.Get("fuzzer"), o.Get("campaign"));
        int inputs = r.Groups.Sum(g => g.Inputs.Count) + r.HarnessErrors.Sum(g => g.Inputs.Count) + r.NotReproduced.Count;
        Console.WriteLine($"triage {dir} ({config.Variant.Name}): {inputs} crash input(s), {r.Groups.Count} kernel-bug group(s), " +
                          $"{r.HarnessErrors.Sum(g => g.Inputs.Count)} simulator error(s), {r.NotReproduced.Count} not reproduced ({sw.Elapsed.TotalSeconds:F1} s)");
        foreach (var g in r.Groups)
            Console.WriteLine($"  {BugKinds.Name(g.Kind),-16} {g.Inputs.Count,5} input(s)  {g.Finding!.Steps.Count} steps, {g.Finding.Preemptions} preemption(s)  {g.Written}\n      {g.Location}");
        foreach (var g in r.HarnessErrors)
        {
            Console.Error.WriteLine($"  SIMULATOR ERROR (a bug of MmFuzz, not of the kernel) in {g.Inputs.Count} input(s), e.g. {g.Inputs[0]}:\n      {g.Location}");
        }
        foreach (var p in r.NotReproduced)
            Console.WriteLine($"  not reproduced: {p}");
        return r.HarnessErrors.Count > 0 ? 3 : 0;
    }

    /// <summary>
    /// <c>seeds --out DIR [--dict FILE] [--count N]</c>: writes a seed corpus of scenario-only inputs (no
    /// schedule bytes, so no preemptions) that run clean on every variant, one per distinct shape
    /// (operations, queues, CPUs), and a dictionary of their scenario prefixes and schedule patterns.
    /// Deterministic: the committed corpus/seeds/ is its output.
    /// </summary>
    public static int Seeds(Options o)
    {
        o.Allow("out", "dict", "count");
        var outDir = o.Get("out") ?? throw new UsageException("seeds needs --out DIR");
        int count = (int)o.Long("count", 24);
        var seeds = SeedCorpus.Generate(count);
        Directory.CreateDirectory(outDir);
        foreach (var (name, data) in seeds)
            File.WriteAllBytes(Path.Combine(outDir, name), data);
        if (o.Get("dict") is { } dict)
            File.WriteAllText(dict, SeedCorpus.Dictionary(seeds));
        Console.WriteLine($"wrote {seeds.Count} seeds to {outDir}{(o.Get("dict") is { } d ? " and the dictionary " + d : "")}");
        return 0;
    }
}
