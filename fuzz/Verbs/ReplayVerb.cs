using System.CommandLine;
using System.Diagnostics;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Search;
using MmFuzz.Strategies;

namespace MmFuzz.Cli;

/// <summary><c>replay FILE</c>: replays a recorded schedule and prints its trace. Exit 0 when the recorded outcome reproduces, 1 when not.</summary>
static class ReplayVerb
{
    public static Command Build()
    {
        var file = Opt.PathArgument("FILE", "a .schedule file (a regression, a hunt's finding)");
        var json = Opt.Flag("--json", "one JSON object");
        var command = new Command("replay", "replay a recorded schedule and print its trace") { file, json };
        var report = new ReportOptions().AddTo(command);
        var csource = new CSourceOptions().AddTo(command);
        command.Action((p, _) =>
        {
            csource.Load(p);    // a state from C, so the file's variant line can name it
            return Run(p.GetValue(file)!, p.GetValue(json), report.Read(p));
        });
        return command;
    }

    static int Run(string path, bool json, Reporter reports)
    {
        var file = Files.ReadSchedule(path);
        var variant = Variants.Find(file.Variant)!;
        var scenario = file.ResolveScenario();
        using var world = new Simulation(variant, scenario, file.OraclesOff);
        var sw = Stopwatch.StartNew();
        Finding f;
        try
        {
            f = Minimizer.Replay(world, new ReplayStrategy(file.Steps), 0);
        }
        catch (ReplayDivergedException e)
        {
            Console.Error.WriteLine($"mmfuzz: {Cli.Escape(path)}: replay diverged at {e.Message}");
            return Exit.Differs;
        }
        bool matches = f.Outcome.Kind == file.Expect && (file.Expect != BugKind.None || f.Outcome.Verdict == Verdict.Ok);
        if (json)
            Console.WriteLine(Json.Replay(variant, f, sw.Elapsed.TotalSeconds, file.Expect, path, Launch.Replay(path)));
        reports.Emit(variant, scenario, file.Steps, file.OraclesOff, Launch.Replay(path),
            $"== {variant.Name} / {scenario.Name}: {BugKinds.Name(f.Outcome.Kind)} (expected {BugKinds.Name(file.Expect)}), {f.Steps.Count} steps, {f.Preemptions} preemption(s)",
            printMail: !json);
        if (!matches)
            Console.Error.WriteLine($"mmfuzz: {Cli.Escape(path)}: replays {BugKinds.Name(f.Outcome.Kind)}, the file expects {BugKinds.Name(file.Expect)}");
        return matches ? Exit.AsExpected : Exit.Differs;
    }
}
