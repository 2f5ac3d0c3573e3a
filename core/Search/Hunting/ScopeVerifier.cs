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
/// turn, so the result does not depend on how fast each runs; shared among processes
/// (<see cref="Shard"/>), each explores every N-th scenario and <see cref="Combine"/> makes of their
/// findings what one process makes of its own.
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
    public static HuntResult Verify(Variant variant, SmallScope.Scope scope, HuntOptions options) => Run(variant, scope, options).Result;

    /// <summary>
    /// Explores the scenarios of <paramref name="scope"/> that are <see cref="HuntOptions.Shard"/>'s (every
    /// scenario when it is the whole): the result of that share, and every scenario's findings before
    /// they are combined, which <see cref="Combine"/> turns into the same result for the shards' union
    /// as one run over the whole scope gives.
    /// </summary>
    /// <param name="variant">The kernel state.</param>
    /// <param name="scope">The bound: the scenarios and the preemptions each is explored to.</param>
    /// <param name="options">As for <see cref="Verify"/>, and the shard.</param>
    public static ScopeRun Run(Variant variant, SmallScope.Scope scope, HuntOptions options)
    {
        var (budget, jobs, ignore) = (options.Budget, options.Jobs, options.Ignored);
        var sw = Stopwatch.StartNew();
        var all = SmallScope.Scenarios(scope).ToArray();
        var owned = Enumerable.Range(0, all.Length).Where(options.Shard.Owns).ToArray();
        int done = 0;
        long executions = 0;
        bool complete = true;
        var perScenario = new (List<ScopeFinding> Findings, bool Done)[owned.Length];
        var lastReport = 0.0;
        var gate = new object();
        Workers.Run(jobs, worker =>
        {
            var signatures = new HashSet<BugSignature>();    // per worker, so which scenario minimizes a bug does not depend on timing
            for (int k = worker; k < owned.Length; k += jobs)
            {
                if (budget.IsSpent(Interlocked.Read(ref executions), sw.Elapsed.TotalSeconds))
                {
                    complete = false;
                    return;
                }
                int i = owned[k];
                var found = new List<ScopeFinding>();
                using var sim = new Simulation(variant, all[i], ignore);
                var r = ExhaustiveSearch.Explore(sim, scope.Preemptions, Budget.OfExecutions(ScenarioBudget) with { Cancel = budget.Cancel },
                    o => !ignore.Contains(o.Kind) && !History.IsBeyondHistory(variant, o.Kind), reduction: true);
                foreach (var bug in r.SetAside.Where(b => History.IsBeyondHistory(variant, b.Outcome.Kind) && !ignore.Contains(b.Outcome.Kind))
                             .Prepend(r.Failure).OfType<ExploredBug>())
                {
                    var signature = BugSignature.Of(bug.Outcome);
                    if (signatures.Add(signature))
                        found.Add(new ScopeFinding(i, Minimizer.Minimize(sim, bug.Choices, bug.Outcome.Kind, 0), signature));
                }
                perScenario[k] = (found, r.Exhausted || r.Failure is not null);
                Interlocked.Add(ref executions, r.Executions);
                int n = Interlocked.Increment(ref done);
                if (options.Progress is not null)
                    lock (gate)
                        if (sw.Elapsed.TotalSeconds - lastReport >= 2)
                        {
                            lastReport = sw.Elapsed.TotalSeconds;
                            options.Report(new HuntProgress(Interlocked.Read(ref executions), lastReport) { ScenariosDone = n, ScenariosTotal = owned.Length });
                        }
            }
        });
        var items = perScenario.Where(p => p.Findings is not null).SelectMany(p => p.Findings).ToList();
        bool exhausted = complete && perScenario.All(p => p.Findings is not null && p.Done);
        var totals = new HuntResult(variant, [], executions, sw.Elapsed.TotalSeconds) { Exhausted = exhausted, ScenariosExplored = done, ScenariosTotal = owned.Length };
        return new ScopeRun(Combine(totals, items, options.Baseline), items, all.Length);
    }

    /// <summary>
    /// The result of the scenarios' findings <paramref name="items"/> (one run's, or every shard's):
    /// taken in scenario order, so the smallest scenario of each bug is the one reported, whatever the
    /// workers' timing or the shards; a finding whose bug, or whose minimized bug, came before is left out.
    /// </summary>
    /// <param name="totals">The executions, seconds, scenarios and exhaustion to report (its findings are ignored).</param>
    /// <param name="items">Every scenario's findings, each with the signature of the execution it was minimized from.</param>
    /// <param name="baseline">The state each finding is compared with, or null.</param>
    public static HuntResult Combine(HuntResult totals, IEnumerable<ScopeFinding> items, Variant? baseline)
    {
        var findings = new List<Finding>();
        var reported = new HashSet<BugSignature>();
        foreach (var (_, finding, signature) in items.OrderBy(x => x.Scenario))      // stable: a scenario's own order stays
        {
            bool minimizedIsNew = !reported.Contains(BugSignature.Of(finding.Outcome));
            if (reported.Add(signature) && minimizedIsNew)
            {
                reported.Add(BugSignature.Of(finding.Outcome));
                findings.Add(finding);
            }
        }
        var result = totals with { Findings = findings };
        return baseline is not null ? result with { Comparisons = findings.ToDictionary(f => f, f => Differential.Compare(f, baseline)) } : result;
    }
}

/// <summary>One finding of one scenario of a small scope, before the findings of every scenario are combined (<see cref="ScopeVerifier.Combine"/>).</summary>
/// <param name="Scenario">The scenario's index in the scope's enumeration (<see cref="SmallScope.Scenarios"/>).</param>
/// <param name="Finding">The finding, minimized.</param>
/// <param name="Found">The signature of the execution it was minimized from.</param>
public sealed record ScopeFinding(int Scenario, Finding Finding, BugSignature Found);

/// <summary>What <see cref="ScopeVerifier.Run"/> explored: the result of its share, its findings per scenario, and how many scenarios the whole scope has.</summary>
/// <param name="Result">The result of the share (the whole scope's when unsharded).</param>
/// <param name="Items">Every scenario's findings, in scenario order.</param>
/// <param name="ScopeScenarios">The scenarios of the whole scope.</param>
public sealed record ScopeRun(HuntResult Result, IReadOnlyList<ScopeFinding> Items, int ScopeScenarios);
