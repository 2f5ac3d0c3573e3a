using System.CommandLine;
using System.Diagnostics;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Reports;
using MmFuzz.Schedules;
using MmFuzz.Search;
using MmFuzz.Strategies;

namespace MmFuzz.Cli;

/// <summary>
/// <c>minimize FILE</c>: replays a recorded failing schedule for its bug kind, minimizes it keeping
/// that kind (<see cref="Minimizer.Minimize"/>), prints the trace and the numbers, and writes the result:
/// by default as a new regression in FILE's folder (<see cref="RegressionWriter"/>); <c>-o PATH</c>
/// writes a new file there (refused if it exists) or, for a folder, a new regression in it;
/// <c>--in-place</c> re-renders FILE itself (the one overwrite, for re-rendering checked-in files).
/// A schedule that is already minimal is said to be so, and nothing is written.
/// Exit 0 when done, 1 when the schedule diverges or does not fail, 2 for usage and input errors.
/// </summary>
static class MinimizeVerb
{
    public static Command Build()
    {
        var file = Opt.PathArgument("FILE", "a failing .schedule file");
        var output = Opt.Path("--out", "FILE|DIR", "write a new file, or a new numbered regression in a folder (DIR/ for a new folder)", "-o");
        var inPlace = Opt.Flag("--in-place", "re-render FILE itself");
        var refind = Opt.Flag("--refind", "when the recorded schedule no longer fits the ports (a port changed), find the recorded kind again in the file's scenario by exhaustive search at 0 to 3 preemptions");
        var json = Opt.Flag("--json", "one JSON object");
        var command = new Command("minimize", "shrink a recorded failing schedule (fewest preemptions, then fewest steps)") { file, output, inPlace, refind, json };
        var report = new ReportOptions().AddTo(command);
        var csource = new CSourceOptions().AddTo(command);
        command.Validators.Add(r =>
        {
            if (r.GetResult(output) is { Implicit: false } && r.GetResult(inPlace) is { Implicit: false })
                r.AddError("minimize: -o and --in-place exclude each other");
        });
        command.Action((p, _) =>
        {
            csource.Load(p);    // a state from C, so the file's variant line can name it
            return Run(p.GetValue(file)!, p.GetValue(output), p.GetValue(inPlace), p.GetValue(refind), p.GetValue(json), report.Read(p));
        });
        return command;
    }

    static int Run(string path, string? outPath, bool inPlace, bool refind, bool json, Reporter reports)
    {
        bool toFolder = outPath is not null && (Directory.Exists(outPath) || outPath.EndsWith('/'));
        if (outPath is not null && !toFolder)
            Files.CheckNew("-o", outPath);
        var file = Files.ReadSchedule(path);
        var variant = Variants.Find(file.Variant)!;
        using var world = new Simulation(variant, file.ResolveScenario(), file.OraclesOff);
        // The recording, replayed; when the ports changed under it (--refind), the scenario and the kind stand and the schedule is found again.
        var run = Minimizer.RunRecorded(world, file.Steps, file.Expect, refind);
        if (run.Diverged is { } at)
        {
            if (!refind)
            {
                Console.Error.WriteLine($"mmfuzz: {Cli.Escape(path)}: replay diverged at {at} (--refind searches its scenario again)");
                return Exit.Differs;
            }
            Console.Error.WriteLine($"mmfuzz: note: {Cli.Escape(path)}: replay diverged at {at}; searching its scenario for {BugKinds.Name(file.Expect)}");
            if (run.Outcome is null)
            {
                Console.Error.WriteLine($"mmfuzz: {Cli.Escape(path)}: no {BugKinds.Name(file.Expect)} in its scenario within {Minimizer.RefindPreemptions} preemptions");
                return Exit.Differs;
            }
        }
        var recorded = run.Outcome!;
        if (!recorded.IsBug)
        {
            Console.Error.WriteLine($"mmfuzz: {Cli.Escape(path)}: the schedule does not fail under {variant.Name} ({recorded.Verdict}{(recorded.Message.Length > 0 ? ": " + recorded.Message : "")}, {file.Steps.Count} steps); nothing to minimize");
            return Exit.Differs;
        }
        if (world.Machine.Steps != file.Steps.Count)
            Console.Error.WriteLine($"mmfuzz: note: {Cli.Escape(path)} records {file.Steps.Count} steps but the run took {world.Machine.Steps}; minimizing the run");
        if (recorded.Kind != file.Expect)
            Console.Error.WriteLine($"mmfuzz: note: {Cli.Escape(path)} expects {BugKinds.Name(file.Expect)} but replays {BugKinds.Name(recorded.Kind)}; minimizing {BugKinds.Name(recorded.Kind)}");
        var choices = world.Machine.Choices.ToArray();
        var sw = Stopwatch.StartNew();
        var f = Terminal.Progress($"minimize {Path.GetFileName(path)}", null, _ => Minimizer.Minimize(world, choices, recorded.Kind, 0));
        double seconds = sw.Elapsed.TotalSeconds;
        var st = f.Stats!;
        // The origin stays; this minimization replaces any earlier one's summary.
        var origin = file.FoundBy is { } fb ? fb.Split(["; minimized", ", minimized"], StringSplitOptions.None)[0] : $"recorded in {Path.GetFileName(path)}";
        var result = Regression.Of(f, origin) with { Comments = file.Comments };
        bool minimal = result.Steps.SequenceEqual(file.Steps) && recorded.Kind == file.Expect;
        if (minimal && file.FoundBy is not null)
            result = result with { FoundBy = file.FoundBy };     // keep the summary of the minimization that made it
        string? written;
        if (inPlace)
        {
            var text = result.Render();
            if (text == File.ReadAllText(path))
                written = null;
            else
            {
                var tmp = path + ".tmp";
                Files.Write("--in-place", tmp, text);
                File.Move(tmp, path, overwrite: true);
                written = path;
            }
        }
        else if (minimal)
            written = null;      // already minimal: a near-duplicate would only clutter the corpus
        else if (outPath is not null && !toFolder)
        {
            Files.Write("-o", outPath, result.Render());
            written = outPath;
        }
        else
            written = RegressionWriter.Write(outPath is null ? Path.GetDirectoryName(Path.GetFullPath(path))! : Files.Folder("-o", outPath), result, $"{variant.Name}-{f.Scenario.Name}");
        var replay = Launch.Replay(written ?? path);
        var said = written is null
            ? inPlace ? $"{path} is unchanged; nothing written"
            : f.ProvenMinimal ? $"{path} is already minimal; nothing written"
            : $"the minimizer found nothing smaller than {path} (not proven minimal: search budget spent); nothing written"
            : $"wrote {written}";
        if (json || !reports.Mail)
            reports.Emit(variant, f.Scenario, result.Steps, file.OraclesOff, replay, null, printMail: false);   // the page, if asked
        if (reports.Mail && !json)
        {
            reports.Emit(variant, f.Scenario, result.Steps, file.OraclesOff, replay, null);
            Console.Error.WriteLine(said);
        }
        else if (json)
            Console.WriteLine(Json.Minimize(path, written, minimal, replay, f, seconds));
        else
        {
            Console.WriteLine($"== {variant.Name} / {f.Scenario.Name}: {BugKinds.Name(f.Outcome.Kind)}");
            Console.WriteLine($"preemptions {st.PreemptionsBefore} -> {st.PreemptionsAfter}{(st.PreemptionsAfter == 0 ? "" : f.ProvenMinimal ? " (proven minimal: exhaustive search at every smaller bound)" : " (not proven minimal: search budget spent)")}, " +
                              $"steps {st.StepsBefore} -> {st.StepsAfter}{(st.StepsProven ? " (proven fewest at that count)" : " (fewest found by local search)")}; {st.ShrinkSteps} shrink steps, {st.Replays} replays, {seconds:F2} s");
            Console.WriteLine();
            Console.Write(f.Trace());
            Console.WriteLine();
            Console.WriteLine($"{said}  (replay: {replay})");
        }
        return Exit.AsExpected;
    }
}
