using System.Diagnostics;
using MmFuzz.Kernel;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using MmFuzz.Engine;
using MmFuzz.Search;
using MmFuzz.Schedules;
using MmFuzz.Reports;

namespace MmFuzz.Cli;

/// <summary>
/// <c>bench</c>: executions/s, steps/s and bytes allocated per execution of the random strategy on one
/// scenario, one core, every oracle on (after a warm-up that covers start-up and JIT).
/// </summary>
public static partial class Bench
{
    /// <summary>What <c>bench</c> was asked (<see cref="BenchVerb"/>).</summary>
    public sealed record Args(Variant[] Variants, string? Scenario, double? Seconds, string? Only, string? Strategy, string? Mutant, int Jobs,
        ulong Seed, long? Executions, bool Json)
    {
        /// <summary>Zoo: hunt every mutant once per seed and report the gate (<c>--seeds</c>), or null for <see cref="Seed"/> alone.</summary>
        public IReadOnlyList<ulong>? Seeds { get; init; }

        /// <summary>Zoo: the forms to hunt, <c>cs</c>, <c>c</c> or <c>both</c> (<c>--form</c>).</summary>
        public string Form { get; init; } = "both";

        /// <summary>Zoo: whether the generating hunt steers by coverage (off with <c>--no-steer</c>, to compare).</summary>
        public bool Steer { get; init; } = true;
    }

    /// <summary>Runs the benchmark.</summary>
    public static int Run(Args a)
    {
        var variants = a.Variants;
        switch (a.Only)
        {
            case "zoo":
                ZooHunts(a);
                return 0;
            case "shape":
                Shapes(variants, a.Executions ?? 50_000, a.Seed, a.Json);
                return 0;
            case "scaling":
                Scaling(a.Seconds ?? 5, a.Jobs, a.Json);
                return 0;
            case "shrink":
                ShrinkToMinimal(variants, a.Json);
                return 0;
        }
        var scenario = Cli.ScenariosOf(a.Scenario ?? "seed-mail")[0];
        double seconds = a.Seconds ?? 3;
        foreach (var v in variants)
            foreach (bool races in new[] { true, false })
        {
            var strategy = new RandomStrategy(12345);
            // Measured on the progress display's worker thread (on a terminal), printed after it.
            var (executions, steps, bugs, t, alloc) = Terminal.Progress($"bench {v.Name} ({(races ? "all oracles" : "no race detector")})", seconds + 1, _ =>
            {
                using var world = new Simulation(v, scenario, races ? null : new HashSet<BugKind> { BugKind.DataRace });
                // Warm-up: at least 20,000 executions and one second, so that tiered compilation has
                // produced the optimized code even when the JIT's background thread shares the core.
                var warm = Stopwatch.StartNew();
                for (int i = 0; i < 20_000 || warm.Elapsed.TotalSeconds < 1; i++)
                    world.Run(strategy);
                long executions = 0, steps = 0, bugs = 0;
                long alloc0 = GC.GetAllocatedBytesForCurrentThread();
                var sw = Stopwatch.StartNew();
                while (sw.Elapsed.TotalSeconds < seconds)
                {
                    for (int i = 0; i < 1000; i++)
                    {
                        var outcome = world.Run(strategy);
                        steps += outcome.Step;
                        if (outcome.IsBug)
                            bugs++;
                    }
                    executions += 1000;
                }
                double t = sw.Elapsed.TotalSeconds;
                long alloc = GC.GetAllocatedBytesForCurrentThread() - alloc0;
                return (executions, steps, bugs, t, alloc);
            });
            double eps = executions / t, sps = steps / t, bpe = (double)alloc / executions;
            if (a.Json)
                Console.WriteLine(Json.Line(new
                {
                    variant = v.Name, scenario = scenario.Name, strategy = strategy.Name, oracles = races ? "all" : "all but data-race",
                    executions, seconds = Math.Round(t, 3),
                    executions_per_second = Math.Round(eps), steps_per_second = Math.Round(sps), bytes_per_execution = Math.Round(bpe, 1),
                    steps_per_execution = Math.Round((double)steps / executions, 1), bug_rate = Math.Round((double)bugs / executions, 4),
                }));
            else
                Console.WriteLine($"{v.Name,-12} {scenario.Name} {(races ? "all oracles" : "no race detector"),-16}: {eps,12:N0} executions/s {sps,14:N0} steps/s {bpe,8:F1} B/execution " +
                                  $"({(double)steps / executions:F1} steps/execution, {(double)bugs / executions:P1} found a bug, {executions:N0} executions in {t:F1} s)");
        }
        if (a.Only == "throughput")
            return 0;
        foreach (var v in variants)
            SearchThroughput(v, scenario, seconds, a.Json);
        foreach (var v in variants)
            GenerationThroughput(v, seconds, a.Json);
        foreach (var v in variants.Where(v => History.ExpectedFor(v, Family.ScanVsFree) == Expected.Bug))
            TimeToFirstBug(v, a.Json);
        HtmlReportTime(a.Json);
        ShrinkToMinimal(variants, a.Json);
        return 0;
    }

    /// <summary>
    /// Time to generate the HTML report of the longest regression in corpus/regressions (replay with
    /// a snapshot per step, layout, page): median of 5 after a warm-up run. Must stay under 1 s.
    /// </summary>
    static void HtmlReportTime(bool json)
    {
        var dir = new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory }
            .SelectMany(start => Ancestors(new DirectoryInfo(start)))
            .Select(d => Path.Combine(d.FullName, "corpus", "regressions"))
            .FirstOrDefault(Directory.Exists);
        if (dir is null)
        {
            Console.Error.WriteLine("bench: no corpus/regressions directory above the working directory: HTML report time not measured");
            return;
        }
        var longest = Directory.GetFiles(dir, "*.schedule").Select(f => (Path: f, File: ScheduleFile.Parse(File.ReadAllText(f), f)))
            .OrderByDescending(x => x.File.Steps.Count).FirstOrDefault();
        if (longest.Path is null)
            return;
        var (path, file) = longest;
        var variant = Variants.Find(file.Variant)!;
        var scenario = file.ResolveScenario();
        string Page() => HtmlReport.Render(Report.Record(variant, scenario, file.Steps, file.OraclesOff), $"replay {path}");
        int bytes = Page().Length;
        var ms = Enumerable.Range(0, 5).Select(_ =>
        {
            var sw = Stopwatch.StartNew();
            Page();
            return sw.Elapsed.TotalMilliseconds;
        }).Order().ToArray();
        if (json)
            Console.WriteLine(Json.Line(new { html_report = Path.GetFileName(path), steps = file.Steps.Count, median_ms = Math.Round(ms[2], 2), max_ms = Math.Round(ms[^1], 2), bytes }));
        else
            Console.WriteLine($"html report of the longest regression ({Path.GetFileName(path)}, {file.Steps.Count} steps): " +
                              $"median {ms[2]:F1} ms, max {ms[^1]:F1} ms over 5 runs after a warm-up ({bytes / 1024} KiB page)");
    }

    static IEnumerable<DirectoryInfo> Ancestors(DirectoryInfo? d)
    {
        for (; d is not null; d = d.Parent)
            yield return d;
    }

    /// <summary>
    /// For each buggy variant: the default hunt (generation) from seeds 1-3 until the first bug of a kind
    /// history records, then the time from that first failure to the shrunk scenario and minimal
    /// schedule (<see cref="Shrinker.ShrinkAndMinimize"/>), shrink steps and replays (the bar is
    /// under 10 s). In process, after one warm-up hunt of mm-2024-03.
    /// </summary>
    static void ShrinkToMinimal(Variant[] variants, bool json)
    {
        GenerationHunter.Hunt(Variants.Mm2024_03, null, new HuntOptions(new Budget(60, 1_000_000), Seed: 99));
        foreach (var v in variants.Where(v => History.Of(v)?.Overall == Expected.Bug))
            for (ulong seed = 1; seed <= 3; seed++)
            {
                var g = GenerationHunter.Hunt(v, null, new HuntOptions(new Budget(60, 5_000_000), Seed: seed));
                if (g.Bug is not { } bug || g.Shrink is not { } sh)
                {
                    Console.WriteLine(json ? Json.Line(new { variant = v.Name, seed, found = false, executions = g.Executions })
                                           : $"{v.Name,-12} shrink seed {seed}: no bug in {g.Executions:N0} executions");
                    continue;
                }
                var (before, after) = (sh.Original.Size, sh.Shrunk.Case.Size);
                double total = sh.ShrinkSeconds + sh.MinimizeSeconds;
                if (json)
                    Console.WriteLine(Json.Line(new
                    {
                        variant = v.Name, seed, found = true, kind = BugKinds.Name(bug.Outcome.Kind), executions_to_first_failure = g.Executions,
                        shrink_steps = sh.Shrunk.Steps, shrink_replays = sh.Shrunk.Replays, shrink_seconds = Math.Round(sh.ShrinkSeconds, 3),
                        minimize_seconds = Math.Round(sh.MinimizeSeconds, 3), first_failure_to_minimal_seconds = Math.Round(total, 3),
                        cpus = after.Cpus, ops = after.Ops, folios = after.Folios, schedule_bytes = sh.Shrunk.Case.Schedule.Length,
                        preemptions = bug.Preemptions, proven_minimal = bug.ProvenMinimal,
                    }));
                else
                    Console.WriteLine($"{v.Name,-12} shrink seed {seed}: {BugKinds.Name(bug.Outcome.Kind),-15} first failure after {g.Executions:N0} executions; " +
                                      $"to minimal in {total:F2} s (shrink {sh.Shrunk.Steps} steps / {sh.Shrunk.Replays} replays {sh.ShrinkSeconds:F2} s, minimize {sh.MinimizeSeconds:F2} s): " +
                                      $"{before.Cpus}/{before.Ops}/{before.Folios} -> {after.Cpus}/{after.Ops}/{after.Folios} CPUs/ops/folios, " +
                                      $"{sh.Original.Schedule.Length} -> {sh.Shrunk.Case.Schedule.Length} schedule bytes, {bug.Preemptions} preemption(s){(bug.ProvenMinimal ? " (proven)" : "")}");
            }
    }

    /// <summary>
    /// Median and maximum time to the first bug of a kind history records, over 20 seeds, in process
    /// (after a warm-up run), searching the scan-vs-free family round-robin, not counting minimization.
    /// </summary>
    static void TimeToFirstBug(Variant v, bool json)
    {
        var worlds = Catalog.ScanVsFree.Select(s => new Simulation(v, s)).ToArray();
        try
        {
            foreach (var (name, make) in new (string, Func<ulong, ISchedulingStrategy>)[] { ("pct", s => new PctStrategy(s, 3)), ("random", s => new RandomStrategy(s)) })
            {
                First(worlds, make, 999);      // warm-up: JIT
                var ms = Enumerable.Range(1, 20).Select(seed => First(worlds, make, (ulong)seed)).OrderBy(x => x).ToArray();
                double median = (ms[9] + ms[10]) / 2;
                if (json)
                    Console.WriteLine(Json.Line(new { variant = v.Name, strategy = name, seeds = 20, median_ms_to_first_bug = Math.Round(median, 3), max_ms_to_first_bug = Math.Round(ms[^1], 3) }));
                else
                    Console.WriteLine($"{v.Name,-12} scan-vs-free {name,-6}: time to first bug over 20 seeds: median {median:F3} ms, max {ms[^1]:F3} ms");
            }
        }
        finally
        {
            foreach (var w in worlds)
                w.Dispose();
        }
    }

    static double First(Simulation[] worlds, Func<ulong, ISchedulingStrategy> make, ulong seed)
    {
        var strategies = worlds.Select((_, i) => make(seed + (ulong)i * 0x9E3779B97F4A7C15UL)).ToArray();
        var sw = Stopwatch.StartNew();
        for (long n = 0; n < 10_000_000; n++)
        {
            int i = (int)(n % worlds.Length);
            var o = worlds[i].Run(strategies[i]);
            if (o.IsBug && !History.IsBeyondHistory(worlds[i].Variant, o.Kind))
                return sw.Elapsed.TotalMilliseconds;
        }
        return double.PositiveInfinity;
    }

    /// <summary>PCT executions/s, and bounded exhaustive search at 2 preemptions: executions/s and executions to exhaust.</summary>
    /// <summary>
    /// The generating hunt's own loop (<see cref="GeneratedCases"/>: draw or mutate a case, reload a
    /// system, run it), without and with the coverage that steers it: what the steering costs per
    /// execution, and what its smaller cases gain. One worker, after a second's warm-up of each.
    /// </summary>
    static void GenerationThroughput(Variant v, double seconds, bool json)
    {
        var rates = new List<(bool Steer, double Executions, double Steps, double Bytes)>();
        foreach (bool steer in new[] { false, true })
        {
            var coverage = steer ? new AliasCoverage(new FeatureSet()) : null;
            using var systems = new SimulationCache(v, null, coverage);
            var cases = new GeneratedCases(systems, null, 12345, new HashSet<Family>(), coverage);
            var warm = Stopwatch.StartNew();
            while (warm.Elapsed.TotalSeconds < 1)
                cases.Next();
            long executions = 0, steps = 0;
            long alloc0 = GC.GetAllocatedBytesForCurrentThread();
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed.TotalSeconds < seconds)
            {
                for (int i = 0; i < 100; i++)
                    steps += cases.Next().Outcome.Step;
                executions += 100;
            }
            double t = sw.Elapsed.TotalSeconds;
            rates.Add((steer, executions / t, steps / t, (double)(GC.GetAllocatedBytesForCurrentThread() - alloc0) / executions));
        }
        foreach (var r in rates)
            if (json)
                Console.WriteLine(Json.Line(new
                {
                    variant = v.Name, generation = r.Steer ? "steered" : "unsteered", executions_per_second = Math.Round(r.Executions),
                    steps_per_second = Math.Round(r.Steps), bytes_per_execution = Math.Round(r.Bytes, 1),
                }));
            else
                Console.WriteLine($"{v.Name,-12} generation {(r.Steer ? "steered" : "unsteered"),-10}: {r.Executions,12:N0} executions/s {r.Steps,14:N0} steps/s {r.Bytes,8:F1} B/execution");
    }

    static void SearchThroughput(Variant v, Scenario scenario, double seconds, bool json)
    {
        using var world = new Simulation(v, scenario);
        var pct = new PctStrategy(12345, 3);
        for (int i = 0; i < 20_000; i++)
            world.Run(pct);
        long executions = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            for (int i = 0; i < 1000; i++)
                world.Run(pct);
            executions += 1000;
        }
        double pctRate = executions / sw.Elapsed.TotalSeconds;
        var search = new ExhaustiveExplorer(2, reduction: false);
        sw.Restart();
        while (!search.Exhausted && sw.Elapsed.TotalSeconds < 60)
            world.Run(search);
        double t = sw.Elapsed.TotalSeconds;
        var reduced = new ExhaustiveExplorer(2, reduction: true);
        while (!reduced.Exhausted)
            world.Run(reduced);
        long complete = reduced.Executions - reduced.SleepBlocked;
        if (json)
            Console.WriteLine(Json.Line(new
            {
                variant = v.Name, scenario = scenario.Name, pct_executions_per_second = Math.Round(pctRate),
                exhaustive_preemption_bound = 2, exhaustive_executions = search.Executions, exhaustive_exhausted = search.Exhausted,
                exhaustive_seconds = Math.Round(t, 3), exhaustive_executions_per_second = Math.Round(search.Executions / t),
                sleep_sets_executions = reduced.Executions, sleep_sets_pruned = reduced.SleepBlocked,
                executions_saved_by_sleep_sets = search.Executions - complete,
            }));
        else
            Console.WriteLine($"{v.Name,-12} {scenario.Name} pct (d=3): {pctRate,12:N0} executions/s; exhaustive (2 preemptions): " +
                              $"{search.Executions:N0} executions in {t:F2} s ({search.Executions / t:N0}/s){(search.Exhausted ? ", exhausted" : ", NOT exhausted")}; " +
                              $"with sleep sets: {complete:N0} complete + {reduced.SleepBlocked:N0} pruned ({search.Executions - complete:N0} complete executions saved)");
    }
}
