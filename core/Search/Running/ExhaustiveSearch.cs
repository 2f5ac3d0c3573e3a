using MmFuzz.Engine;
using MmFuzz.Strategies;

namespace MmFuzz.Search;

/// <summary>
/// Bounded exhaustive search of one system's schedules (<see cref="ExhaustiveExplorer"/>) on the
/// <see cref="RunLoop"/>: the driver under <c>verify</c>, the exhaustive hunt and the minimizer's proofs.
/// </summary>
public static class ExhaustiveSearch
{
    /// <summary>
    /// Explores <paramref name="sim"/>'s schedules with at most <paramref name="preemptionBound"/>
    /// preemptions until the space is exhausted, <paramref name="isFailure"/> accepts an outcome, or
    /// the budget is spent. The first schedule of each other bug kind is kept (set aside).
    /// </summary>
    /// <remarks>With <paramref name="reduction"/>, sleep sets: reorderings of independent steps are explored once, and every trace with a schedule within the bound is still explored (<see cref="ExhaustiveExplorer"/>'s remarks give the argument).</remarks>
    public static ExhaustiveResult Explore(Simulation sim, int preemptionBound, Budget budget, Func<Outcome, bool> isFailure, bool reduction = false)
    {
        var explorer = new ExhaustiveExplorer(preemptionBound, reduction);
        var setAside = new List<ExploredBug>();
        var seen = new HashSet<BugKind>();
        ExploredBug? failure = null;
        var run = RunLoop.Run(new Source(sim, explorer), budget, e =>
        {
            if (isFailure(e.Outcome))
            {
                failure = new ExploredBug(e.Outcome, sim.Machine.Choices.ToArray());
                return true;
            }
            if (seen.Add(e.Outcome.Kind))
                setAside.Add(new ExploredBug(e.Outcome, sim.Machine.Choices.ToArray()));
            return false;
        });
        return new ExhaustiveResult(failure, setAside, preemptionBound, reduction, explorer.Executions, explorer.SleepBlocked,
            explorer.PrunedBranches, explorer.MaxDepth, run.Seconds, failure is null && explorer.Exhausted);
    }

    /// <summary>One system under the explorer, one execution per call, until the bounded space is covered.</summary>
    sealed class Source(Simulation sim, ExhaustiveExplorer explorer) : IExecutionSource
    {
        public bool Exhausted => explorer.Exhausted;

        public Execution Next() => new(sim.Variant, sim.Run(explorer), sim, null, 0);
    }
}
