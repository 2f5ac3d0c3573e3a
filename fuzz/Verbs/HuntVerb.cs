using System.CommandLine;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Reports;
using MmFuzz.Scenarios;
using MmFuzz.Schedules;
using MmFuzz.Search;

namespace MmFuzz.Cli;

/// <summary>
/// <c>hunt</c>: searches each variant (and family) within a budget and reports every distinct bug,
/// minimized, as a table row, a trace and a regression file. Exit 0 when every row is history's
/// verdict, 1 when one is not.
/// </summary>
static class HuntVerb
{
    /// <summary>Where findings go without <c>--out</c>: a folder in the working directory, named when written.</summary>
    public const string DefaultOut = "mmfuzz-findings";

    public static Command Build()
    {
        var variant = Opt.Variants(required: false, "kernel states, comma-separated, or all (or --kernel-tree/--c with --base: a state from C)");
        var scenario = Opt.Scenario();
        var strategy = Opt.OneOf("--strategy", HuntStrategy.Default.Name,
            "default: generation, then every small scenario exhaustively, on every core; generate: generation alone (alias fscheck); " +
            "random, pct, exhaustive: over the catalog's scenario families (docs/SEARCH.md)",
            [.. HuntStrategy.All.Select(h => h.Name), "fscheck"]);
        var depth = Opt.Int("--depth", 1, 64, 3, "PCT's depth d", "D");
        var preemptions = Opt.Preemptions();
        var seed = Opt.Seed();
        var budget = Opt.Seconds("--time-budget", "seconds per variant and family (default: 30 for the default strategy, 5 for generate, 3 per family for the others; 10 with --scenario)");
        var executions = Opt.Executions("at most this many executions per variant and family (with a seed, the same findings every run)");
        var jobs = Opt.Jobs();
        var first = Opt.Flag("--first", "stop at the first bug of a kind history records");
        var baseline = Opt.OneVariant("--baseline", false, "say of each finding whether this variant shows it too");
        var ignore = Opt.Ignore();
        var outDir = Opt.Path("--out", "DIR", $"write each finding as a new .schedule file in DIR (default: ./{DefaultOut} for generated findings)", "-o");
        var json = Opt.Flag("--json", "one JSON object per line per variant and family, then one per distinct bug");
        var traces = Opt.Flag("--traces", "also print every finding's trace (they are written beside its file in any case)");
        var noSteer = Opt.Flag("--no-steer", "generate every case afresh, without the coverage feedback that keeps and mutates the cases reaching new interleavings (to compare)");
        var command = new Command("hunt", "search for races: keeps going to the budget and reports every distinct bug, minimized")
        {
            variant, scenario, strategy, depth, preemptions, seed, budget, executions, jobs, first, baseline, ignore, outDir, json, traces, noSteer,
        };
        var report = new ReportOptions().AddTo(command);
        var csource = new CSourceOptions().AddTo(command);
        var sharding = new ShardOptions().AddTo(command);
        command.Action((p, ct) => Run(p, ct, new Args(csource.Variants(p, variant), p.GetValue(scenario), p.GetValue(strategy)!, (int)p.GetValue(depth),
            (int)p.GetValue(preemptions), p.GetValue(seed), p.GetValue(budget), p.GetValue(executions) ?? long.MaxValue, (int)p.GetValue(jobs), p.GetValue(first),
            p.GetValue(baseline), p.GetValue(ignore)!, p.GetValue(outDir), p.GetValue(json), p.GetValue(traces), report.Read(p)) { Shard = sharding.Read(p), Steer = !p.GetValue(noSteer) }));
        return command;
    }

    sealed record Args(Variant[] Variants, string? Scenario, string Strategy, int Depth, int Bound, ulong Seed, double? Budget, long Executions,
        int Jobs, bool First, Variant? Baseline, HashSet<BugKind> Ignore, string? Out, bool Json, bool Traces, Reporter Reports)
    {
        /// <summary>The shard this process runs (<c>--shard</c>, <c>--shards</c>), or null.</summary>
        public Shard? Shard { get; init; }

        /// <summary>Whether the generating hunt steers by coverage (off with <c>--no-steer</c>).</summary>
        public bool Steer { get; init; } = true;

        /// <summary>What every shard of one hunt must share (<see cref="ShardSummary.Settings"/>).</summary>
        public string Settings => $"states {string.Join(",", Variants.Select(v => v.Name))}; strategy {Strategy}; scenario {Scenario ?? "-"}; seed {Seed}; depth {Depth}; " +
                                  $"preemptions {Bound}; first {First}; ignore {string.Join(",", Ignore.Select(BugKinds.Name).Order())}; baseline {Baseline?.Name ?? "-"}" +
                                  (Steer ? "" : "; no-steer");
    }

    static int Run(ParseResult p, CancellationToken ct, Args a)
    {
        var hunt = HuntStrategy.Find(a.Strategy)!;
        var scenarioName = a.Scenario;
        var targets = HuntTarget.For(hunt, scenarioName);
        double budget = a.Budget ?? (scenarioName is null ? hunt.DefaultSeconds.Generated : hunt.DefaultSeconds.Named);
        string? outDir = a.Out is { } o ? Files.Folder("--out", o)
            : a.Shard is null ? null : throw new UsageException("hunt: --shard needs --out DIR, where the shard writes its summary and findings for mmfuzz merge");
        var summary = a.Shard is { } sh ? ShardFile.Check(outDir!, sh) : null;
        var rows = new List<ShardRow>();
        var output = new FindingsOutput(a.Reports, a.Json, a.Traces, a.Variants) { Folder = outDir };
        output.Print(FindingsOutput.HuntHead);
        var judged = new List<Judgement>();
        bool interrupted = false;
        foreach (var v in a.Variants)
        {
            foreach (var target in targets)
            {
                var family = target.Name;
                if (ct.IsCancellationRequested)
                    break;
                var r = Terminal.Progress($"hunt {v.Name} / {family}", budget, note =>
                {
                    var options = new HuntOptions(new Budget(budget, a.Executions) { Cancel = ct }, a.Seed, a.Ignore, a.Depth, a.Bound,
                        p => note($"{p.Executions:N0} executions, {p.Executions / p.Seconds:N0}/s, {p.Findings} finding(s)"), a.Jobs, !a.First, a.Baseline)
                        { Shard = a.Shard ?? Shard.Whole, Steer = a.Steer };
                    return hunt.Run(v, target.Scenarios, options);
                });
                interrupted = ct.IsCancellationRequested;
                var verdict = target.Judge(r);
                if (!interrupted)
                    judged.Add(verdict);
                // Generated scenarios have no catalog name to hunt again: their replay command names a regression file.
                var dir = outDir ?? (hunt.Generates && scenarioName is null && r.All.Any() ? Files.Folder("--out", DefaultOut) : null);
                output.Folder ??= dir;
                var files = dir is null ? [] : WriteFindings(dir, v, r, hunt.Name, a.Shard);
                var replays = Replays(r, files, Again(r.Variant, scenarioName ?? family, a));
                var recorded = output.Record(r, family, replays, f =>
                    $"== {r.Variant.Name} / {family} / {f.Scenario.Name}: {BugKinds.Name(f.Outcome.Kind)}{(History.IsBeyondHistory(f.Variant, f.Kind) ? " (beyond history)" : "")}, " +
                    $"{f.Steps.Count} steps, {f.Preemptions} preemption(s)");
                if (a.Json)
                    Console.WriteLine(Json.Hunt(r, family, verdict, interrupted, replays, recorded));
                output.Row(v, family, verdict, r.Seconds, r.Executions, interrupted, recorded);
                foreach (var file in files)
                    Console.Error.WriteLine($"wrote {file}");
                if (summary is not null)
                {
                    var fileOf = r.All.Zip(files).ToDictionary(x => x.First, x => (string?)x.Second);
                    rows.Add(new ShardRow(v.Name, family, r.Executions, Math.Round(r.Seconds, 3), 0, 0, false,
                        [.. r.Findings.Select(f => ShardFile.Finding(f, BugSignature.Of(f.Outcome), -1, fileOf.GetValueOrDefault(f), FoundBy(hunt.Name, f, a.Shard)))]));
                }
            }
        }
        output.Finish(Cli.CommandLine(p));
        if (interrupted)
            Console.Error.WriteLine("mmfuzz: hunt: interrupted; the last row is partial, every finding above is written");
        if (summary is not null)
        {
            ShardFile.Write(summary, new ShardSummary
            {
                Format = ShardSummary.Magic, Verb = "hunt", Shard = a.Shard!.Value.Index, Shards = a.Shard.Value.Count, Settings = a.Settings, Command = Cli.CommandLine(p),
                Strategy = hunt.Name, Scenario = scenarioName, Baseline = a.Baseline?.Name, Ignore = [.. a.Ignore.Select(BugKinds.Name).Order()],
                Interrupted = interrupted, Rows = rows,
            });
            // A shard's exit code says whether it ran; the verdict is the merge's (a batch system retries a shard that exits 1).
            return interrupted ? Exit.Interrupted : Exit.AsExpected;
        }
        return Judge.ExitCode(judged, interrupted);
    }

    /// <summary>The same hunt again (for catalog scenarios: a seeded hunt on one worker finds the same first bug whatever its time budget).</summary>
    static string Again(Variant v, string scenario, Args a) =>
        $"{Launch.Prefix} hunt {(Variants.IsRegistered(v) ? Launch.CSource.TrimStart() : $"--variant {v.Name}")} --scenario {scenario} --strategy {a.Strategy} --seed {a.Seed} --jobs 1 --first" +
        (a.Strategy == "pct" ? $" --depth {a.Depth}" : a.Strategy == "exhaustive" ? $" --preemptions {a.Bound}" : "") +
        (a.Ignore.Count > 0 ? $" --ignore {string.Join(",", a.Ignore.Select(BugKinds.Name))}" : "") + (a.Steer ? "" : " --no-steer");

    /// <summary>Each finding's file (or null) and replay command, in <see cref="HuntResult.All"/> order.</summary>
    static List<(string? File, string Replay)> Replays(HuntResult r, List<string> files, string again) =>
        [.. r.All.Select((_, i) => i < files.Count ? ((string?)files[i], Launch.Replay(files[i])) : (null, again))];

    static List<string> WriteFindings(string dir, Variant v, HuntResult r, string strategy, Shard? shard) =>
        [.. r.All.Select(f => RegressionWriter.Write(dir, Regression.Of(f, FoundBy(strategy, f, shard)), $"{v.Name}-{f.Scenario.Name}"))];

    static string FoundBy(string strategy, Finding f, Shard? shard) => $"mmfuzz hunt ({strategy}, execution seed {f.Seed}{(shard is { } s ? $", shard {s}" : "")})";
}
