using System.Text.Json;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Search;
using MmFuzz.Reports;
using MmFuzz.Schedules;

namespace MmFuzz.Cli;

public static partial class Cli
{
    static int Verify(Options o)
    {
        if (o.Flag("small-scope"))
            return VerifySmallScope(o);
        o.Allow("variant", "scenario", "preemptions", "executions", "time-budget", "ignore", "json", "reduction", "jobs", "baseline");
        var variants = VariantsOf(o.Get("variant") ?? throw new UsageException("verify needs --variant NAME|all"));
        var scenarios = ScenariosOf(o.Get("scenario") ?? "all");
        int bound = Bound(o);
        long executions = o.Long("executions", 5_000_000);
        double budget = o.Double("time-budget", 600);
        int jobs = Jobs(o);
        var baseline = Baseline(o);
        var ignore = ParseKinds(o.Get("ignore"));
        bool json = o.Flag("json");
        foreach (var v in variants)
        {
            // The scenarios are shared out among the workers; the results print in catalog order.
            var results = new VerifyResult[scenarios.Count];
            Workers.Run(Math.Min(jobs, scenarios.Count), w =>
            {
                for (int i = w; i < scenarios.Count; i += jobs)
                    results[i] = Verifier.Verify(v, scenarios[i], bound, new Budget(budget, executions), ignore, o.Flag("reduction"));
            });
            foreach (var r in results)
            {
                var s = r.Scenario;
                var expected = History.ExpectedFor(v, Family.Of(s));
                var vs = r.Bug is { } found && baseline is not null ? Differential.Compare(found, baseline) : null;
                if (json)
                {
                    Console.WriteLine(Json.Verify(r, expected, vs));
                    continue;
                }
                if (r.Bug is { } b)
                    Console.WriteLine($"{v.Name} / {s.Name}: BUG {BugKinds.Name(b.Outcome.Kind)} within {bound} preemptions after {r.Executions} executions ({r.Seconds:F2} s); minimal schedule: {b.Preemptions} preemption(s){(b.ProvenMinimal ? ", proven minimal" : "")}" +
                                      (vs is null ? "" : $"  [{vs.Label}]"));
                else
                    Console.WriteLine($"{v.Name} / {s.Name}: no bug up to {bound} preemptions over {r.Executions} executions " +
                                      $"({(r.Exhausted ? "exhausted" : "NOT exhausted: budget spent")}, {r.Seconds:F2} s)");
                foreach (var f in r.BeyondHistory)
                    Console.WriteLine($"    beyond history: {BugKinds.Name(f.Outcome.Kind)} ({f.Steps.Count} steps, {f.Preemptions} preemption(s){(f.ProvenMinimal ? ", proven minimal" : "")}): {f.Outcome.Message}");
                if (r.Bug is { } bug)
                {
                    if (vs is not null)
                        Console.WriteLine($"    against {vs.Baseline.Name}: {vs.Label} ({vs.How})");
                    Console.WriteLine();
                    Console.Write(bug.Trace());
                    Console.WriteLine();
                }
            }
        }
        return 0;
    }

    /// <summary><c>verify --small-scope</c>: every scenario up to a bound, each exhaustively (<see cref="ScopeVerifier"/>).</summary>
    static int VerifySmallScope(Options o)
    {
        o.Allow("small-scope", "variant", "cpus", "folios", "ops-per-cpu", "ops", "preemptions", "time-budget", "executions", "ignore", "json", "jobs", "baseline", "out");
        var variants = VariantsOf(o.Get("variant") ?? throw new UsageException("verify needs --variant NAME|all"));
        var d = SmallScope.Scope.Default;
        var scope = new SmallScope.Scope(
            (int)Ranged(o, "cpus", d.Cpus, 2, 4), (int)Ranged(o, "folios", d.Folios, 1, 4),
            (int)Ranged(o, "ops-per-cpu", d.OpsPerCpu, 1, 3), (int)Ranged(o, "ops", d.Ops, 1, 4), Bound(o));
        double budget = o.Double("time-budget", 3600);
        long executions = o.Long("executions", long.MaxValue);
        int jobs = Jobs(o);
        var baseline = Baseline(o);
        var ignore = ParseKinds(o.Get("ignore"));
        var outDir = o.Get("out");
        bool json = o.Flag("json");
        foreach (var v in variants)
        {
            Action<int, int, long, double>? progress = json || Console.IsErrorRedirected ? null
                : (n, total, e, t) => Console.Error.WriteLine($"verify {v.Name}: {n:N0}/{total:N0} scenarios, {e:N0} executions, {t:F0} s");
            var r = ScopeVerifier.Verify(v, scope, new Budget(budget, executions), jobs, ignore, progress);
            var compared = baseline is null ? [] : r.Findings.ToDictionary(f => f, f => Differential.Compare(f, baseline));
            var files = outDir is null ? [] : r.Findings.Select(f => RegressionWriter.Write(outDir, Regression.Of(f, $"mmfuzz verify --small-scope ({scope})"), $"{v.Name}-small-scope")).ToList();
            if (json)
            {
                Console.WriteLine(Json.Scope(r, compared));
                continue;
            }
            var verdict = r.Bugs.Count > 0 ? $"BUG {string.Join(", ", r.Bugs.Select(f => BugKinds.Name(f.Kind)).Distinct())}"
                : r.Exhausted ? "no bug of a kind history records: exhausted" : "no bug found, NOT exhausted: budget spent";
            Console.WriteLine($"{v.Name} / small scope ({scope}): {r.Scenarios:N0}/{r.Total:N0} scenarios x {r.Executions:N0} executions in {r.Seconds:F1} s on {jobs} worker(s): {verdict}");
            foreach (var f in r.Findings)
            {
                string label = History.BeyondHistoryKinds.Contains(f.Kind) ? "beyond history" : "BUG";
                Console.WriteLine($"    {label}: {BugKinds.Name(f.Kind)} ({f.Steps.Count} steps, {f.Preemptions} preemption(s){(f.ProvenMinimal ? ", proven minimal" : "")})" +
                                  (compared.TryGetValue(f, out var c) ? $" [{c.Label}]" : "") + $": {f.Outcome.Message}");
                Console.WriteLine($"        {f.Scenario.Description}");
            }
            foreach (var file in files)
                Console.Error.WriteLine($"wrote {file}  (replay: dotnet run --project fuzz -c Release -- replay {file})");
            if (r.Bugs.FirstOrDefault() is { } bug)
            {
                Console.WriteLine();
                Console.Write(bug.Trace());
                Console.WriteLine();
            }
        }
        return 0;
    }

    static int Bound(Options o)
    {
        int bound = (int)Ranged(o, "preemptions", 2, 0, 10);
        return bound;
    }

    static long Ranged(Options o, string name, long dflt, long min, long max)
    {
        var s = o.Get(name);
        long v = s == "0" && min == 0 ? 0 : o.Long(name, dflt);
        if (v < min || v > max)
            throw new UsageException($"--{name} must be {min} to {max}, not {v}");
        return v;
    }

    static int Jobs(Options o) => (int)Ranged(o, "jobs", Workers.Default, 1, 256);

    static Variant? Baseline(Options o) =>
        o.Get("baseline") is { } b ? VariantsOf(b) is [var one] ? one : throw new UsageException("--baseline names one variant") : null;
}
