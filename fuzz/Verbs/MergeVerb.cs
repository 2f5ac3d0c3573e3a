using System.CommandLine;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Reports;
using MmFuzz.Schedules;
using MmFuzz.Search;
using MmFuzz.Strategies;

namespace MmFuzz.Cli;

/// <summary>
/// <c>merge DIR...</c>: the shards of one <c>verify --small-scope</c> or one <c>hunt</c> (each run with
/// <c>--shard I/N</c> or <c>--shards N</c> and its own <c>--out</c>) made one: one verdict per state
/// through the one judge, one findings folder with its <c>index.html</c>, one exit code. A small
/// scope's shards merge into exactly what one process over the whole scope gives (the same findings,
/// scenarios, executions and exhaustion: <see cref="ScopeVerifier.Combine"/>); a hunt's shards merge
/// as one hunt's workers do, by <see cref="BugSignature"/> in shard order. Every shard of the run must
/// be there, once, with the same settings; each finding is replayed from its schedule before it counts.
/// </summary>
static class MergeVerb
{
    /// <summary>The <see cref="ShardSummary.Verb"/> of a small scope's shard.</summary>
    public const string ScopeVerb = "verify --small-scope";

    public static Command Build()
    {
        var dirs = new Argument<string[]>("DIR")
        {
            Description = $"the shards' --out folders (or their summaries, {ShardFile.Pattern})",
            Arity = ArgumentArity.OneOrMore,
        };
        var outDir = Opt.Path("--out", "DIR", $"write the merged findings and index.html in DIR (default: ./{HuntVerb.DefaultOut})", "-o");
        var json = Opt.Flag("--json", "one JSON object per line per state (and family), as verify --small-scope or hunt print them, then one per distinct bug");
        var traces = Opt.Flag("--traces", "also print every finding's trace");
        var command = new Command("merge", "combine the shards of a verify --small-scope or a hunt into one verdict, one findings page and one exit code")
        {
            dirs, outDir, json, traces,
        };
        var csource = new CSourceOptions().AddTo(command);
        command.Action((p, ct) =>
        {
            csource.Load(p);        // a state from C, so the shards' schedules can name it
            var paths = p.GetValue(dirs) ?? [];
            foreach (var d in paths)
                if (d.Length == 0 || d.Contains('\0'))
                    throw new UsageException($"merge: '{Cli.Escape(d)}' is not a path");
            var shards = Check(ShardFile.ReadAll(paths));
            var folder = Files.Folder("--out", p.GetValue(outDir) ?? HuntVerb.DefaultOut);
            var output = new FindingsOutput(new Reporter(false, null, false), p.GetValue(json), p.GetValue(traces),
                [.. shards.SelectMany(s => s.Summary.Rows).Select(r => r.Variant).Distinct().Select(n => State(n, shards[0].Path))]) { Folder = folder };
            var judged = shards[0].Summary.Verb == ScopeVerb ? Scope(shards, folder, p.GetValue(json), output) : Hunt(shards, folder, p.GetValue(json), output);
            output.Finish(Cli.CommandLine(p));
            bool interrupted = shards.Any(s => s.Summary.Interrupted);
            if (interrupted)
                Console.Error.WriteLine("mmfuzz: merge: a shard was interrupted: its rows are partial");
            return Judge.ExitCode(judged, interrupted);
        });
        return command;
    }

    /// <summary>The summaries in shard order, checked: one run (verb, count, settings), every shard once.</summary>
    static List<(string Path, ShardSummary Summary)> Check(List<(string Path, ShardSummary Summary)> read)
    {
        var (path0, first) = read[0];
        foreach (var (path, s) in read)
        {
            string? differs = s.Verb != first.Verb ? $"{s.Verb} against {first.Verb}" : s.Shards != first.Shards ? $"{s.Shards} shards against {first.Shards}"
                : s.Settings != first.Settings ? $"'{s.Settings}' against '{first.Settings}'" : null;
            if (differs is not null)
                throw new UsageException($"merge: {path} is not of the run of {path0}: {differs}");
            if (s.Verb != ScopeVerb && s.Verb != "hunt")
                throw new UsageException($"merge: {path}: unknown verb '{s.Verb}' (valid: {ScopeVerb}, hunt)");
        }
        foreach (var twice in read.GroupBy(x => x.Summary.Shard).Where(g => g.Count() > 1))
            throw new UsageException($"merge: shard {twice.Key}/{first.Shards} given twice: {string.Join(" and ", twice.Select(x => x.Path))}");
        var missing = Enumerable.Range(0, first.Shards).Where(i => read.All(x => x.Summary.Shard != i)).ToList();
        if (missing.Count > 0)
            throw new UsageException($"merge: {missing.Count} of {first.Shards} shards missing: {string.Join(", ", missing.Take(10))}{(missing.Count > 10 ? ", ..." : "")} (every shard's summary is needed)");
        return [.. read.OrderBy(x => x.Summary.Shard)];
    }

    static Variant State(string name, string path) => Variants.Find(name)
        ?? throw new UsageException($"merge: {path}: unknown state '{Cli.Escape(name)}' (a state from C: give merge the shards' --c or --kernel-tree and --base)");

    static HashSet<BugKind> Kinds(ShardSummary s, string path) =>
        [.. s.Ignore.Select(k => BugKinds.Parse(k) ?? throw new UsageException($"merge: {path}: unknown bug kind '{Cli.Escape(k)}'"))];

    /// <summary>A finding of a shard, replayed from its schedule (it must end as recorded); with how it was found.</summary>
    static (Finding Finding, string FoundBy) Load(string path, ShardFinding x, int n)
    {
        ScheduleFile file;
        try
        {
            file = ScheduleFile.Parse(x.Schedule, $"{path}: finding {n}");
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }
        var variant = State(file.Variant, path);
        var scenario = file.Spec ?? throw new UsageException($"merge: {path}: finding {n}: the schedule has no scenario inline");
        using var sim = new Simulation(variant, scenario, file.OraclesOff);
        Finding f;
        try
        {
            f = Minimizer.Replay(sim, new ReplayStrategy(file.Steps), x.Seed);
        }
        catch (ReplayDivergedException e)
        {
            throw new UsageException($"merge: {path}: finding {n} does not replay (diverged at {e.Message}): a shard of another build?");
        }
        if (f.Outcome.Kind != file.Expect)
            throw new UsageException($"merge: {path}: finding {n} replays as {BugKinds.Name(f.Outcome.Kind)}, not {BugKinds.Name(file.Expect)}: a shard of another build?");
        return (f with { ProvenMinimal = x.ProvenMinimal }, file.FoundBy ?? "mmfuzz");
    }

    static BugSignature Found(ShardFinding x, string path) =>
        new(BugKinds.Parse(x.Kind) ?? throw new UsageException($"merge: {path}: unknown bug kind '{Cli.Escape(x.Kind)}'"), x.Where, x.Location);

    /// <summary>Writes each merged finding anew in <paramref name="folder"/>, in <see cref="HuntResult.All"/>'s order.</summary>
    static List<string> Write(string folder, HuntResult r, Dictionary<Finding, string> foundBy, int shards, Func<Finding, string> slug) =>
        [.. r.All.Select(f => RegressionWriter.Write(folder, Regression.Of(f, $"{foundBy[f]}; merged from {shards} shards"), slug(f)))];

    /// <summary>The small scope's shards, state by state: their findings combined in scenario order, as one process does.</summary>
    static List<Judgement> Scope(List<(string Path, ShardSummary Summary)> shards, string folder, bool json, FindingsOutput output)
    {
        var first = shards[0].Summary;
        var sc = first.Scope ?? throw new UsageException($"merge: {shards[0].Path}: a small scope's shard without its scope");
        var (scope, n) = (sc.ToScope(), first.Shards);
        var baseline = first.Baseline is { } b ? State(b, shards[0].Path) : null;
        var judged = new List<Judgement>();
        foreach (var name in shards.SelectMany(s => s.Summary.Rows).Select(r => r.Variant).Distinct().ToList())
        {
            var v = State(name, shards[0].Path);
            var items = new List<ScopeFinding>();
            var foundBy = new Dictionary<Finding, string>();
            var rows = shards.Select(s => s.Summary.Rows.FirstOrDefault(r => r.Variant == name)).ToList();
            foreach (var ((path, s), row) in shards.Zip(rows))
                foreach (var (x, k) in (row?.Findings ?? []).Select((x, k) => (x, k)))
                {
                    if (x.Scenario < 0 || x.Scenario >= sc.Scenarios || x.Scenario % n != s.Shard)
                        throw new UsageException($"merge: {path}: finding {k}: scenario {x.Scenario} is not one of shard {s.Shard}/{n}'s");
                    var (f, how) = Load(path, x, k);
                    foundBy[f] = how;
                    items.Add(new ScopeFinding(x.Scenario, f, Found(x, path)));
                }
            var totals = new HuntResult(v, [], rows.Sum(r => r?.Executions ?? 0), rows.Max(r => r?.Seconds ?? 0))
            {
                Exhausted = rows.All(r => r is { Exhausted: true }), ScenariosExplored = rows.Sum(r => r?.Scenarios ?? 0), ScenariosTotal = sc.Scenarios,
            };
            var r = ScopeVerifier.Combine(totals, items, baseline);
            var verdict = VerifyVerb.ScopeVerdict(r, conclusive: r.Exhausted);
            judged.Add(verdict);
            var files = Write(folder, r, foundBy, n, _ => $"{v.Name}-small-scope");
            VerifyVerb.Report(v, r, scope, sc.Scenarios, Shard.Whole, verdict, files, json, output, $"on {n} shard(s)");
        }
        return judged;
    }

    /// <summary>A hunt's shards, row by row: their findings merged by signature in shard order, as a hunt's workers' are.</summary>
    static List<Judgement> Hunt(List<(string Path, ShardSummary Summary)> shards, string folder, bool json, FindingsOutput output)
    {
        var (path0, first) = shards[0];
        var strategy = HuntStrategy.Find(first.Strategy ?? "") ?? throw new UsageException($"merge: {path0}: unknown strategy '{Cli.Escape(first.Strategy ?? "")}'");
        if (first.Scenario is { } named && Scenarios.Catalog.Resolve(named) is null)
            throw new UsageException($"merge: {path0}: unknown scenario '{Cli.Escape(named)}'");
        var targets = HuntTarget.For(strategy, first.Scenario);
        var baseline = first.Baseline is { } b ? State(b, path0) : null;
        var ignore = Kinds(first, path0);
        bool interrupted = shards.Any(s => s.Summary.Interrupted);
        var judged = new List<Judgement>();
        output.Print(FindingsOutput.HuntHead);
        foreach (var (name, family) in shards.SelectMany(s => s.Summary.Rows).Select(r => (r.Variant, r.Family)).Distinct().ToList())
        {
            var v = State(name, path0);
            var target = targets.FirstOrDefault(t => t.Name == family) ?? throw new UsageException($"merge: {path0}: no row '{Cli.Escape(family)}' in a {strategy.Name} hunt");
            var merged = new HuntFindings(ignore, keepGoing: true, baseline);
            var foundBy = new Dictionary<Finding, string>();
            var rows = shards.Select(s => s.Summary.Rows.FirstOrDefault(r => r.Variant == name && r.Family == family)).ToList();
            foreach (var ((path, _), row) in shards.Zip(rows))
                foreach (var (x, k) in (row?.Findings ?? []).Select((x, k) => (x, k)))
                {
                    var (f, how) = Load(path, x, k);
                    foundBy[f] = how;
                    if (!merged.IsSetAside(f.Outcome))
                        merged.Add(f, f.Outcome);
                }
            var r = merged.Result(v, rows.Sum(x => x?.Executions ?? 0), rows.Max(x => x?.Seconds ?? 0));
            var verdict = target.Judge(r);
            if (!interrupted)
                judged.Add(verdict);
            var files = Write(folder, r, foundBy, shards.Count, f => $"{v.Name}-{f.Scenario.Name}");
            var replays = r.All.Select((_, i) => ((string?)files[i], Launch.Replay(files[i]))).ToList();
            var recorded = output.Record(r, family, replays, f =>
                $"== {v.Name} / {family} / {f.Scenario.Name}: {BugKinds.Name(f.Outcome.Kind)}{(History.IsBeyondHistory(v, f.Kind) ? " (beyond history)" : "")}, " +
                $"{f.Steps.Count} steps, {f.Preemptions} preemption(s)");
            if (json)
                Console.WriteLine(Json.Hunt(r, family, verdict, interrupted, replays, recorded));
            output.Row(v, family, verdict, r.Seconds, r.Executions, interrupted, recorded);
        }
        return judged;
    }
}
