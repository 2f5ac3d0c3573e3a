using System.Diagnostics;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;

namespace MmFuzz.Search;

/// <summary>
/// <c>verify --small-scope</c>: bounded exhaustive search, with sleep sets, of every scenario of a
/// <see cref="SmallScope.Scope"/>. A scenario's search stops at its first bug of a kind history records;
/// the first of each kind beyond history is kept and the search goes on. Each distinct bug
/// (<see cref="BugSignature"/>) is minimized once. The scenarios are shared out among the workers in
/// turn, so the result does not depend on how fast each runs.
/// </summary>
public static class ScopeVerifier
{
    /// <summary>Executions one scenario may take at most (beyond it the scenario, and so the scope, is not exhausted).</summary>
    public const long ScenarioBudget = 2_000_000;

    /// <summary>Explores every scenario of <paramref name="scope"/> under <paramref name="variant"/> on <see cref="HuntOptions.Jobs"/> workers.</summary>
    /// <param name="variant">The kernel state.</param>
    /// <param name="scope">The bound: the scenarios and the preemptions each is explored to.</param>
    /// <param name="options">
    /// The budget of the whole proof, workers, ignored kinds (their oracles off where they can be, and set
    /// aside), progress (scenarios done, executions), and a baseline to compare each finding with.
    /// </param>
    /// <returns>One finding per distinct bug, minimized, smallest scenario first; the scenarios explored; whether the scope was exhausted.</returns>
    public static HuntResult Verify(Variant variant, SmallScope.Scope scope, HuntOptions options)
    {
        var (budget, jobs, ignore) = (options.Budget, options.Jobs, options.Ignored);
        var sw = Stopwatch.StartNew();
        var scenarios = SmallScope.Scenarios(scope).ToArray();
        int done = 0;
        long executions = 0;
        bool complete = true;
        var perScenario = new (List<(Finding Finding, BugSignature Found)> Findings, bool Done)[scenarios.Length];
        var lastReport = 0.0;
        var gate = new object();
        Workers.Run(jobs, worker =>
        {
            var signatures = new HashSet<BugSignature>();    // per worker, so which scenario minimizes a bug does not depend on timing
            for (int i = worker; i < scenarios.Length; i += jobs)
            {
                if (budget.IsSpent(Interlocked.Read(ref executions), sw.Elapsed.TotalSeconds))
                {
                    complete = false;
                    return;
                }
                var found = new List<(Finding, BugSignature)>();
                using var sim = new Simulation(variant, scenarios[i], ignore);
                var r = ExhaustiveSearch.Explore(sim, scope.Preemptions, Budget.OfExecutions(ScenarioBudget) with { Cancel = budget.Cancel },
                    o => !ignore.Contains(o.Kind) && !History.IsBeyondHistory(variant, o.Kind), reduction: true);
                foreach (var bug in r.SetAside.Where(b => History.IsBeyondHistory(variant, b.Outcome.Kind) && !ignore.Contains(b.Outcome.Kind))
                             .Prepend(r.Failure).OfType<ExploredBug>())
                {
                    var signature = BugSignature.Of(bug.Outcome);
                    if (signatures.Add(signature))
                        found.Add((Minimizer.Minimize(sim, bug.Choices, bug.Outcome.Kind, 0), signature));
                }
                perScenario[i] = (found, r.Exhausted || r.Failure is not null);
                Interlocked.Add(ref executions, r.Executions);
                int n = Interlocked.Increment(ref done);
                if (options.Progress is not null)
                    lock (gate)
                        if (sw.Elapsed.TotalSeconds - lastReport >= 2)
                        {
                            lastReport = sw.Elapsed.TotalSeconds;
                            options.Report(new HuntProgress(Interlocked.Read(ref executions), lastReport) { ScenariosDone = n, ScenariosTotal = scenarios.Length });
                        }
            }
        });
        // In scenario order, so the smallest scenario of each bug is the one reported, whatever the workers' timing.
        var findings = new List<Finding>();
        var reported = new HashSet<BugSignature>();
        foreach (var (list, _) in perScenario.Where(p => p.Findings is not null))
            foreach (var (finding, signature) in list)
            {
                bool minimizedIsNew = !reported.Contains(BugSignature.Of(finding.Outcome));
                if (reported.Add(signature) && minimizedIsNew)
                {
                    reported.Add(BugSignature.Of(finding.Outcome));
                    findings.Add(finding);
                }
            }
        bool exhausted = complete && perScenario.All(p => p.Findings is not null && p.Done);
        var result = new HuntResult(variant, findings, executions, sw.Elapsed.TotalSeconds) { Exhausted = exhausted, ScenariosExplored = done, ScenariosTotal = scenarios.Length };
        return options.Baseline is { } baseline ? result with { Comparisons = findings.ToDictionary(f => f, f => Differential.Compare(f, baseline)) } : result;
    }
}
