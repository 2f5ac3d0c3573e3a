using System.CommandLine;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Reports;
using MmFuzz.Scenarios;
using MmFuzz.Schedules;
using MmFuzz.Search;

namespace MmFuzz.Cli;

/// <summary>
/// <c>verify</c>: bounded exhaustive search of catalog scenarios, or with <c>--small-scope</c> of every
/// scenario up to a bound. Exit 0 when every verdict is history's, 1 when one is not.
/// </summary>
static class VerifyVerb
{
    public static Command Build()
    {
        var variant = Opt.Variants(required: false, "kernel states, comma-separated, or all (or --kernel-tree/--c with --base: a state from C)");
        var scenario = Opt.Scenario();
        var smallScope = Opt.Flag("--small-scope", "every scenario up to the bound (--scope, or --cpus, --folios, --ops-per-cpu, --ops), each exhaustively with sleep sets");
        var scopeName = Opt.OneOf("--scope", "default", "small scope: a named scope, which --cpus, --folios, --ops-per-cpu, --ops and --preemptions change: " +
            string.Join("; ", SmallScope.Scope.Named.Select(n => $"{n.Name}: {n.Scope}")), [.. SmallScope.Scope.Named.Select(n => n.Name)]);
        var d = SmallScope.Scope.Default;
        var cpus = Opt.Int("--cpus", 2, 4, d.Cpus, "small scope: CPUs", "C");
        var folios = Opt.Int("--folios", 1, 4, d.Folios, "small scope: folios", "F");
        var opsPerCpu = Opt.Int("--ops-per-cpu", 1, 3, d.OpsPerCpu, "small scope: operations per CPU");
        var ops = Opt.Int("--ops", 1, 4, d.Ops, "small scope: operations besides the scan");
        var preemptions = Opt.Preemptions();
        var executions = Opt.Executions("at most this many executions per scenario (default 5,000,000; small scope: unbounded)");
        var budget = Opt.Seconds("--time-budget", "seconds per scenario (default 600; small scope: 3600 in all)");
        var jobs = Opt.Jobs();
        var baseline = Opt.OneVariant("--baseline", false, "say of each bug whether this variant shows it too");
        var ignore = Opt.Ignore();
        var reduction = Opt.Flag("--reduction", "explore with sleep sets (catalog scenarios; the small scope always does)");
        var outDir = Opt.Path("--out", "DIR", "small scope: write each finding as a new .schedule file in DIR", "-o");
        var json = Opt.Flag("--json", "one JSON object per line per variant and scenario, then one per distinct bug");
        var traces = Opt.Flag("--traces", "also print every finding's trace");
        var command = new Command("verify", "bounded exhaustive search: every schedule with at most K preemptions")
        {
            variant, scenario, smallScope, scopeName, cpus, folios, opsPerCpu, ops, preemptions, executions, budget, jobs, baseline, ignore, reduction, outDir, json, traces,
        };
        var sharding = new ShardOptions().AddTo(command);
        command.Validators.Add(r =>
        {
            bool small = r.GetResult(smallScope) is { Implicit: false };
            foreach (var o in new Option[] { scopeName, cpus, folios, opsPerCpu, ops, outDir })
                if (!small && r.GetResult(o) is { Implicit: false })
                    r.AddError($"verify: {o.Name} needs --small-scope");
            foreach (var o in command.Options.Where(o => o.Name is "--shard" or "--shards"))
                if (!small && r.GetResult(o) is { Implicit: false })
                    r.AddError($"verify: {o.Name} needs --small-scope (the catalog's scenarios are not sharded)");
            foreach (var o in new Option[] { scenario, reduction })
                if (small && r.GetResult(o) is { Implicit: false })
                    r.AddError($"verify: {o.Name} does not go with --small-scope");
        });
        var csource = new CSourceOptions().AddTo(command);
        command.Action((p, ct) =>
        {
            var variants = csource.Variants(p, variant);
            int bound = (int)p.GetValue(preemptions);
            bool js = p.GetValue(json);
            var output = new FindingsOutput(new Reporter(false, null, false), js, p.GetValue(traces), variants);
            var options = new HuntOptions(new Budget(), Ignore: p.GetValue(ignore)!, Preemptions: bound, Jobs: (int)p.GetValue(jobs), Baseline: p.GetValue(baseline))
                { Reduction = p.GetValue(reduction) };
            if (p.GetValue(smallScope))
            {
                int Given(Option<long> o, int named) => p.GetResult(o) is { Implicit: false } ? (int)p.GetValue(o) : named;
                var (name, named) = SmallScope.Scope.Named.Single(n => n.Name == p.GetValue(scopeName));
                var scope = new SmallScope.Scope(Given(cpus, named.Cpus), Given(folios, named.Folios), Given(opsPerCpu, named.OpsPerCpu), Given(ops, named.Ops),
                    Given(preemptions, named.Preemptions));
                var shard = sharding.Read(p);
                var dir = p.GetValue(outDir) is { } o ? Files.Folder("--out", o)
                    : shard is null ? null : throw new UsageException("verify: --shard needs --out DIR, where the shard writes its summary and findings for mmfuzz merge");
                var summary = shard is { } sh ? ShardFile.Check(dir!, sh) : null;
                output.Folder = dir;
                var run = new ScopeProof(scope, scope == named ? name : null, shard, summary, Cli.CommandLine(p));
                return SmallScopeProof(variants, run, options with
                    {
                        Budget = new Budget(p.GetValue(budget) ?? 3600, p.GetValue(executions) ?? long.MaxValue) { Cancel = ct },
                        Shard = shard ?? Shard.Whole,
                    }, dir, js, output, ct);
            }
            return Catalog(variants, Cli.ScenariosOf(p.GetValue(scenario) ?? "all"),
                options with { Budget = new Budget(p.GetValue(budget) ?? 600, p.GetValue(executions) ?? 5_000_000) { Cancel = ct } }, js, output, Cli.CommandLine(p), ct);
        });
        return command;
    }

    /// <summary>The command that finds a catalog finding again: the same bounded search of its one scenario.</summary>
    static string Again(Variant v, Scenario s, int bound) =>
        $"{Launch.Prefix} hunt {(Variants.IsRegistered(v) ? Launch.CSource.TrimStart() : $"--variant {v.Name}")} --scenario {s.Name} --strategy exhaustive --preemptions {bound} --jobs 1 --first";

    internal static string Header(Variant v, string where, Finding f) =>
        $"== {v.Name} / {where}: {BugKinds.Name(f.Kind)}{(History.IsBeyondHistory(v, f.Kind) ? " (beyond history)" : "")}, {f.Steps.Count} steps, {f.Preemptions} preemption(s)";

    static int Catalog(Variant[] variants, IReadOnlyList<Scenario> scenarios, HuntOptions options, bool json, FindingsOutput output, string command, CancellationToken ct)
    {
        int bound = options.Preemptions;
        var judged = new List<Judgement>();
        foreach (var v in variants)
        {
            if (ct.IsCancellationRequested)
                break;
            // The scenarios are shared out among the workers; the results print in catalog order.
            var results = Terminal.Progress($"verify {v.Name}", null, note =>
                Verifier.VerifyEach(v, scenarios, options with { Progress = p => note($"{p.ScenariosDone}/{p.ScenariosTotal} scenarios") }));
            var row = History.Of(v);
            foreach (var (s, r) in scenarios.Zip(results))
            {
                if (r is null)
                    continue;
                var expected = History.ExpectedFor(v, Family.Of(s));
                // A family history calls buggy need not fail in every scenario: it is judged below, as a whole.
                bool asHistory = r.Bug is null || Judge.Read(row, r.Bug) != Reading.Unexplained;
                var vs = r.Bug is { } found ? r.Comparisons.GetValueOrDefault(found) : null;
                var again = Again(v, s, bound);
                output.Record(r, s.Name, [.. r.All.Select(_ => ((string?)null, again))], f => Header(v, s.Name, f));
                if (json)
                {
                    Console.WriteLine(Json.Verify(r, s, bound, expected));
                    continue;
                }
                if (r.Bug is { } b)
                    output.Print($"{v.Name} / {s.Name}: BUG {BugKinds.Name(b.Outcome.Kind)} within {bound} preemptions after {r.Executions} executions ({r.Seconds:F2} s); minimal schedule: {b.Preemptions} preemption(s){(b.ProvenMinimal ? ", proven minimal" : "")}" +
                                      (vs is null ? "" : $"  [{vs.Label}]") + (asHistory ? "" : "  NOT history's verdict (none expected)"));
                else
                    output.Print($"{v.Name} / {s.Name}: no bug up to {bound} preemptions over {r.Executions} executions " +
                                 $"({(r.Exhausted ? "exhausted" : "NOT exhausted: budget spent")}, {r.Seconds:F2} s)" + (asHistory ? "" : "  NOT history's verdict (a bug expected)") +
                                 (r.BeyondHistory.Count > 0 ? $"; {r.BeyondHistory.Count} beyond history" : ""));
            }
            // Each family judged on its own: a buggy one verified whole must show its race in some scenario.
            foreach (var (family, verdict) in Verifier.Judge(v, scenarios, results, bound, ct.IsCancellationRequested))
            {
                judged.Add(verdict);
                if (!verdict.AsHistory && verdict.Expected == Expected.Bug)
                    output.Print($"{v.Name} / {family.Name}: NOT history's verdict: no scenario of the family shows its race within {bound} preemptions");
            }
        }
        output.Finish(command);
        return Result(judged, ct);
    }

    /// <summary>A small-scope proof's settings: the scope, its name when it is a named one, the shard, where its summary goes, the command line.</summary>
    sealed record ScopeProof(SmallScope.Scope Scope, string? Name, Shard? Shard, string? Summary, string Command);

    /// <summary>
    /// <c>verify --small-scope</c>: every scenario up to a bound, each exhaustively (<see cref="ScopeVerifier"/>); a
    /// shard explores its share, writes its summary, and leaves the verdict to <c>merge</c>: it says
    /// "not history's" only for a bug history does not explain, and exits 0 when it ran to the end.
    /// </summary>
    static int SmallScopeProof(Variant[] variants, ScopeProof proof, HuntOptions options, string? outDir, bool json, FindingsOutput output, CancellationToken ct)
    {
        var (scope, shard) = (proof.Scope, proof.Shard ?? Shard.Whole);
        var judged = new List<Judgement>();
        var rows = new List<ShardRow>();
        int scopeScenarios = 0;
        foreach (var v in variants)
        {
            if (ct.IsCancellationRequested)
                break;
            var run = Terminal.Progress($"verify --small-scope {v.Name}{(shard.IsWhole ? "" : $" (shard {shard})")}", null, note =>
                ScopeVerifier.Run(v, scope, options with { Progress = p => note($"{p.ScenariosDone:N0}/{p.ScenariosTotal:N0} scenarios, {p.Executions:N0} executions") }));
            var r = run.Result;
            scopeScenarios = run.ScopeScenarios;
            var verdict = ScopeVerdict(r, conclusive: r.Exhausted && shard.IsWhole);
            judged.Add(verdict);
            var foundBy = $"mmfuzz verify --small-scope ({scope}){(shard.IsWhole ? "" : $", shard {shard}")}";
            // Written in r.All's order (history's kinds, then beyond), as the output records them.
            var files = outDir is null ? [] : r.All.Select(f => RegressionWriter.Write(outDir, Regression.Of(f, foundBy), $"{v.Name}-small-scope")).ToList();
            var recorded = Report(v, r, scope, scopeScenarios, shard, verdict, files, json, output, $"on {options.Jobs} worker(s)");
            if (proof.Summary is not null)
            {
                var fileOf = r.All.Zip(files).ToDictionary(x => x.First, x => (string?)x.Second);
                rows.Add(new ShardRow(v.Name, "small scope", r.Executions, Math.Round(r.Seconds, 3), r.ScenariosExplored, r.ScenariosTotal, r.Exhausted,
                    [.. run.Items.Select(x => ShardFile.Finding(x.Finding, x.Found, x.Scenario, fileOf.GetValueOrDefault(x.Finding), foundBy))]));
            }
        }
        output.Finish(proof.Command);
        if (proof.Summary is { } path)
        {
            ShardFile.Write(path, new ShardSummary
            {
                Format = ShardSummary.Magic, Verb = MergeVerb.ScopeVerb, Shard = shard.Index, Shards = shard.Count, Command = proof.Command,
                Settings = $"states {string.Join(",", variants.Select(v => v.Name))}; scope {scope}; ignore {string.Join(",", options.Ignored.Select(BugKinds.Name).Order())}; " +
                           $"baseline {options.Baseline?.Name ?? "-"}",
                Scope = new ShardScope(proof.Name, scope.Cpus, scope.Folios, scope.OpsPerCpu, scope.Ops, scope.Preemptions, scopeScenarios),
                Baseline = options.Baseline?.Name, Ignore = [.. options.Ignored.Select(BugKinds.Name).Order()], Interrupted = ct.IsCancellationRequested, Rows = rows,
            });
            if (!ct.IsCancellationRequested)
                return Exit.AsExpected;
        }
        return Result(judged, ct);
    }

    /// <summary>The small scope crosses every generated family: they are judged together.</summary>
    internal static Judgement ScopeVerdict(HuntResult r, bool conclusive) => Judge.Of(History.Of(r.Variant), Family.Generating, r.Findings, conclusive);

    /// <summary>
    /// Records a small scope's result (the whole scope's, a shard's, or the shards' merged) and prints
    /// its line, or its JSON; says where each finding was written.
    /// </summary>
    internal static IReadOnlyList<FoundBug> Report(Variant v, HuntResult r, SmallScope.Scope scope, int scopeScenarios, Shard shard, Judgement verdict,
        List<string> files, bool json, FindingsOutput output, string how)
    {
        var recorded = output.Record(r, "small scope", [.. r.All.Select((f, i) => i < files.Count ? ((string?)files[i], Launch.Replay(files[i])) : (null, "verify --small-scope ... --out DIR writes it"))],
            f => Header(v, $"small scope / {f.Scenario.Description}", f));
        if (json)
        {
            Console.WriteLine(Json.Scope(r, scope, scopeScenarios, shard, verdict, recorded));
            return recorded;
        }
        var found = r.Bugs.Count > 0 ? $"BUG {string.Join(", ", r.Bugs.Select(f => BugKinds.Name(f.Kind)).Distinct())}"
            : r.Exhausted ? "no bug of a kind history records: exhausted" : "no bug found, NOT exhausted: budget spent";
        var share = shard.IsWhole ? $"{r.ScenariosExplored:N0}/{r.ScenariosTotal:N0}" : $"shard {shard}: {r.ScenariosExplored:N0}/{r.ScenariosTotal:N0} of {scopeScenarios:N0}";
        output.Print($"{v.Name} / small scope ({scope}): {share} scenarios x {r.Executions:N0} executions in {r.Seconds:F1} s {how}: {found}" +
                     (verdict.AsHistory ? "" : $"  NOT history's verdict ({Json.ExpectedName(verdict.Expected)} expected)") +
                     (r.BeyondHistory.Count > 0 ? $"; {r.BeyondHistory.Count} beyond history" : ""));
        foreach (var file in files)
            Console.Error.WriteLine($"wrote {file}  (replay: {Launch.Replay(file)})");
        return recorded;
    }

    static int Result(List<Judgement> judged, CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
            Console.Error.WriteLine("mmfuzz: verify: interrupted; the results above are complete, the rest did not run");
        return Judge.ExitCode(judged, ct.IsCancellationRequested);
    }
}
