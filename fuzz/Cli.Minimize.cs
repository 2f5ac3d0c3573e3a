using System.Diagnostics;
using System.Text.Json;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using MmFuzz.Search;
using MmFuzz.Schedules;
using MmFuzz.Reports;

namespace MmFuzz.Cli;

public static partial class Cli
{
    /// <summary>
    /// <c>minimize FILE</c>: replays a recorded failing schedule for its bug kind, minimizes it keeping
    /// that kind (<see cref="Minimizer.Minimize"/>), prints the trace and the numbers, and writes the result:
    /// by default as a new regression in FILE's folder (<see cref="RegressionWriter"/>); <c>-o PATH</c>
    /// writes a new file there (refused if it exists) or, for a folder, a new regression in it;
    /// <c>--in-place</c> re-renders FILE itself (the one overwrite, for re-rendering checked-in files).
    /// Exit 0 when written, 1 when the schedule diverges or does not fail, 2 for usage and parse errors.
    /// </summary>
    static int Minimize(Options o)
    {
        o.Allow([.. ReportOptions.Names, "out", "json", "in-place"]);
        var reports = ReportOptions.Parse(o);
        var path = o.Positional.FirstOrDefault() ?? throw new UsageException("minimize needs a FILE");
        if (o.Positional.Count > 1)
            throw new UsageException($"minimize takes one FILE, not '{string.Join(" ", o.Positional)}'");
        if (!File.Exists(path))
            throw new UsageException($"no such file: {path}");
        var outPath = o.Get("out");
        bool inPlace = o.Flag("in-place");
        if (inPlace && outPath is not null)
            throw new UsageException("minimize takes -o or --in-place, not both");
        if (outPath is not null && File.Exists(outPath))
        {
            Console.Error.WriteLine($"mmfuzz: {outPath} exists; minimize never overwrites (name a new file, or a folder for a new numbered regression)");
            return 2;
        }
        if (ReadSchedule(path) is not { } file)
            return 2;
        var variant = Variants.Find(file.Variant)!;
        using var world = new Simulation(variant, file.ResolveScenario(), file.OraclesOff);
        Outcome recorded;
        try
        {
            // Not strict about the length: a recorded prefix (a converted crash) continues without
            // preemptions, and a bug that fires before the recording ends is still a failing schedule.
            recorded = world.Run(new ReplayStrategy(file.Steps, strict: false));
        }
        catch (ReplayDivergedException e)
        {
            Console.Error.WriteLine($"mmfuzz: {path}: replay diverged at {e.Message}");
            return 1;
        }
        if (!recorded.IsBug)
        {
            Console.Error.WriteLine($"mmfuzz: {path}: the schedule does not fail under {variant.Name} ({recorded.Verdict}{(recorded.Message.Length > 0 ? ": " + recorded.Message : "")}, {file.Steps.Count} steps); nothing to minimize");
            return 1;
        }
        if (world.Machine.Steps != file.Steps.Count)
            Console.Error.WriteLine($"mmfuzz: note: {path} records {file.Steps.Count} steps but the run took {world.Machine.Steps}; minimizing the run");
        if (recorded.Kind != file.Expect)
            Console.Error.WriteLine($"mmfuzz: note: {path} expects {BugKinds.Name(file.Expect)} but replays {BugKinds.Name(recorded.Kind)}; minimizing {BugKinds.Name(recorded.Kind)}");
        var choices = world.Machine.Choices.ToArray();
        var sw = Stopwatch.StartNew();
        var f = Minimizer.Minimize(world, choices, recorded.Kind, 0);
        double seconds = sw.Elapsed.TotalSeconds;
        var st = f.Stats!;
        // The origin stays; this minimization replaces any earlier one's summary.
        var origin = file.FoundBy is { } fb ? fb.Split(["; minimized", ", minimized"], StringSplitOptions.None)[0] : $"recorded in {Path.GetFileName(path)}";
        var result = Regression.Of(f, origin) with { Comments = file.Comments };
        string written;
        if (inPlace)
        {
            var tmp = path + ".tmp";
            File.WriteAllText(tmp, result.Render());
            File.Move(tmp, path, overwrite: true);
            written = path;
        }
        else if (outPath is not null && !Directory.Exists(outPath))
        {
            try
            {
                using var stream = new FileStream(outPath, FileMode.CreateNew, FileAccess.Write);
                using var writer = new StreamWriter(stream);
                writer.Write(result.Render());
            }
            catch (IOException e) when (File.Exists(outPath))
            {
                Console.Error.WriteLine($"mmfuzz: {outPath} exists; minimize never overwrites ({e.Message})");
                return 2;
            }
            written = outPath;
        }
        else
            written = RegressionWriter.Write(outPath ?? Path.GetDirectoryName(Path.GetFullPath(path))!, result, $"{variant.Name}-{f.Scenario.Name}");
        var replay = $"dotnet run --project fuzz -c Release -- replay {written}";
        if (o.Flag("json") || !reports.Mail)
            reports.Emit(variant, f.Scenario, result.Steps, file.OraclesOff, replay, null, printMail: false);   // the page, if asked
        if (reports.Mail && !o.Flag("json"))
        {
            reports.Emit(variant, f.Scenario, result.Steps, file.OraclesOff, replay, null);
            Console.Error.WriteLine($"wrote {written}");
        }
        else if (o.Flag("json"))
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                file = path,
                written,
                variant = variant.Name,
                scenario = f.Scenario.Name,
                kind = BugKinds.Name(f.Outcome.Kind),
                message = f.Outcome.Message,
                steps_before = st.StepsBefore,
                preemptions_before = st.PreemptionsBefore,
                steps_after = st.StepsAfter,
                preemptions_after = st.PreemptionsAfter,
                proven_minimal = f.ProvenMinimal,
                steps_proven = st.StepsProven,
                shrink_steps = st.ShrinkSteps,
                replays = st.Replays,
                seconds,
            }));
        else
        {
            Console.WriteLine($"== {variant.Name} / {f.Scenario.Name}: {BugKinds.Name(f.Outcome.Kind)}");
            Console.WriteLine($"preemptions {st.PreemptionsBefore} -> {st.PreemptionsAfter}{(st.PreemptionsAfter == 0 ? "" : f.ProvenMinimal ? " (proven minimal: exhaustive search at every smaller bound)" : " (not proven minimal: search budget spent)")}, " +
                              $"steps {st.StepsBefore} -> {st.StepsAfter}{(st.StepsProven ? " (proven fewest at that count)" : " (fewest found by local search)")}; {st.ShrinkSteps} shrink steps, {st.Replays} replays, {seconds:F2} s");
            Console.WriteLine();
            Console.Write(f.Trace());
            Console.WriteLine();
            Console.WriteLine($"wrote {written}  (replay: {replay})");
        }
        return 0;
    }

    /// <summary>Parses a schedule file; a format error is printed (it names the file and line) and gives null.</summary>
    static ScheduleFile? ReadSchedule(string path)
    {
        try
        {
            return ScheduleFile.Parse(File.ReadAllText(path), path);
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"mmfuzz: {e.Message}");
            return null;
        }
    }
}
