using System.Diagnostics;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;

namespace MmFuzz.Search;

/// <summary>
/// Bounded exhaustive search of a variant's scenarios (<c>verify</c>, and <c>hunt --strategy
/// exhaustive</c>): "no bug up to k preemptions over N executions", or the failing schedule, minimized.
/// </summary>
public static class Verifier
{
    /// <summary>
    /// Explores every schedule of <paramref name="scenario"/> with at most <see cref="HuntOptions.Preemptions"/>
    /// preemptions (with sleep sets when <see cref="HuntOptions.Reduction"/>, see <see cref="ExhaustiveSearch.Explore"/>),
    /// until a bug of a kind history records (not ignored) or the budget is spent; the first schedule of
    /// each kind beyond history is minimized too. With a <see cref="HuntOptions.Baseline"/>, the bug is compared with it.
    /// </summary>
    /// <returns>The findings (the kinds beyond history first, then the bug), and whether the bound was exhausted.</returns>
    public static HuntResult Verify(Variant variant, Scenario scenario, HuntOptions options)
    {
        var ignore = options.Ignored;
        var sw = Stopwatch.StartNew();
        using var sim = new Simulation(variant, scenario, ignore);
        var r = ExhaustiveSearch.Explore(sim, options.Preemptions, options.Budget,
            o => !ignore.Contains(o.Kind) && !History.IsBeyondHistory(variant, o.Kind), options.Reduction);
        // Minimized once the search is over: the first schedule of each kind beyond history, and the failure.
        var findings = r.SetAside
            .Where(b => History.IsBeyondHistory(variant, b.Outcome.Kind) && !ignore.Contains(b.Outcome.Kind))
            .Select(b => Minimizer.Minimize(sim, b.Choices, b.Outcome.Kind, 0))
            .ToList();
        if (r.Failure is { } f)
            findings.Add(Minimizer.Minimize(sim, f.Choices, f.Outcome.Kind, 0));
        var result = new HuntResult(variant, findings, r.Executions, sw.Elapsed.TotalSeconds) { Exhausted = r.Exhausted };
        return result.Bug is { } bug && options.Baseline is { } baseline
            ? result with { Comparisons = new Dictionary<Finding, Comparison> { [bug] = Differential.Compare(bug, baseline) } }
            : result;
    }

    /// <summary>
    /// <c>verify</c>: <see cref="Verify"/> of each of <paramref name="scenarios"/>, shared out in turn
    /// among <see cref="HuntOptions.Jobs"/> workers; progress after each scenario.
    /// </summary>
    /// <returns>The results in the order of <paramref name="scenarios"/>; null for a scenario not verified (the budget's cancellation came first).</returns>
    public static HuntResult?[] VerifyEach(Variant variant, IReadOnlyList<Scenario> scenarios, HuntOptions options)
    {
        var results = new HuntResult?[scenarios.Count];
        int done = 0, jobs = options.Jobs;
        long executions = 0;
        var sw = Stopwatch.StartNew();
        Workers.Run(Math.Min(jobs, scenarios.Count), w =>
        {
            for (int i = w; i < scenarios.Count && !options.Budget.Cancel.IsCancellationRequested; i += jobs)
            {
                results[i] = Verify(variant, scenarios[i], options);
                options.Report(new HuntProgress(Interlocked.Add(ref executions, results[i]!.Executions), sw.Elapsed.TotalSeconds)
                    { ScenariosDone = Interlocked.Increment(ref done), ScenariosTotal = scenarios.Count });
            }
        });
        return results;
    }

    /// <summary>
    /// History's verdict on <see cref="VerifyEach"/>'s results, family by family: a bug of history's
    /// kinds in a safe family must be a known finding; a family where history records a race, verified
    /// whole, must show it in some scenario when every search ended and the bound reaches the race.
    /// </summary>
    /// <param name="variant">The kernel state.</param>
    /// <param name="scenarios">The scenarios verified.</param>
    /// <param name="results">Their results (null: not verified).</param>
    /// <param name="bound">The preemption bound they were verified to.</param>
    /// <param name="interrupted">Whether the verify was cut short: then no race counts as missed.</param>
    /// <returns>Each family's verdict, in the order the families first appear.</returns>
    public static IReadOnlyList<(Family Family, Judgement Verdict)> Judge(Variant variant, IReadOnlyList<Scenario> scenarios, IReadOnlyList<HuntResult?> results,
        int bound, bool interrupted)
    {
        var row = History.Of(variant);
        return [.. scenarios.Zip(results).Where(p => p.Second is not null).GroupBy(p => Family.Of(p.First)).Select(family =>
        {
            bool conclusive = !interrupted && family.Count() >= family.Key.Scenarios.Count && family.All(p => p.Second!.Exhausted)
                              && (row?[family.Key].Preemptions ?? 0) <= bound;
            return (family.Key, Kernel.Judge.Of(row, [family.Key], family.Select(p => p.Second!.Bug).OfType<Finding>(), conclusive));
        })];
    }

    /// <summary>
    /// The exhaustive hunt: bounded exhaustive search at <see cref="HuntOptions.Preemptions"/> of each
    /// of this worker's scenarios (<see cref="HuntOptions.Slot"/>) in turn, within one budget, until a
    /// bug of a kind history records; each kind beyond history is reported once.
    /// </summary>
    /// <param name="variant">The kernel state.</param>
    /// <param name="scenarios">The catalog scenarios (the workers share them out in turn).</param>
    /// <param name="options">Budget, preemption bound, ignored kinds, keep going, baseline.</param>
    public static HuntResult Hunt(Variant variant, IReadOnlyList<Scenario>? scenarios, HuntOptions options)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        var budget = options.Budget;
        var sw = Stopwatch.StartNew();
        long total = 0;
        var findings = options.NewFindings();
        bool exhausted = true;
        foreach (var s in scenarios.Where((_, i) => options.Slot.Owns(i)))
        {
            var r = Verify(variant, s, options with { Budget = budget.Less(total, sw.Elapsed.TotalSeconds), Baseline = null });
            total += r.Executions;
            exhausted &= r.Exhausted;
            foreach (var f in r.BeyondHistory.Where(f => !findings.IsSetAside(f.Outcome)))
                findings.Add(f, f.Outcome, cancel: budget.Cancel);
            if (r.Bug is { } bug && !findings.IsSetAside(bug.Outcome) && findings.Add(bug, bug.Outcome, cancel: budget.Cancel))
                return findings.Result(variant, total, sw.Elapsed.TotalSeconds);
            if (budget.IsSpent(total, sw.Elapsed.TotalSeconds))
                return findings.Result(variant, total, sw.Elapsed.TotalSeconds);
        }
        return findings.Result(variant, total, sw.Elapsed.TotalSeconds) with { Exhausted = exhausted };
    }
}
