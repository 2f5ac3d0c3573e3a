using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;

namespace MmFuzz.Search;

/// <summary>
/// Hunts a variant over catalog scenarios with a scheduling strategy (a seeded random walk, or PCT):
/// one execution per scenario in turn until a bug of a kind history records is found or the budget
/// is spent; each bug is minimized (fewest preemptions, then fewest steps).
/// </summary>
public static class Hunter
{
    /// <summary>Hunts <paramref name="variant"/> over <paramref name="scenarios"/>.</summary>
    /// <param name="variant">The kernel state.</param>
    /// <param name="scenarios">Scenarios, visited round-robin, one execution each per round.</param>
    /// <param name="budget">When to give up.</param>
    /// <param name="seed">Seed of the first scenario's strategy (each next scenario's is derived from it).</param>
    /// <param name="ignore">Bug kinds to set aside entirely (their oracles off where they can be).</param>
    /// <param name="strategy">The strategy for one scenario from its seed; a seeded random walk when null.</param>
    /// <param name="keepGoing">Run to the budget and record every distinct bug (else stop at the first of a kind history records).</param>
    /// <param name="baseline">Compare each finding with this state; only a bug it does not show stops the hunt.</param>
    public static HuntResult Hunt(Variant variant, IReadOnlyList<Scenario> scenarios, Budget budget, ulong seed = 1, IReadOnlySet<BugKind>? ignore = null,
        Func<ulong, ISchedulingStrategy>? strategy = null, bool keepGoing = false, Variant? baseline = null)
    {
        ignore ??= new HashSet<BugKind>();
        strategy ??= s => new RandomStrategy(s);
        var sims = scenarios.Select(s => new Simulation(variant, s, ignore)).ToArray();
        try
        {
            var strategies = sims.Select((_, i) => strategy(seed + (ulong)i * 0x9E3779B97F4A7C15UL)).ToArray();
            var findings = new HuntFindings(ignore, keepGoing, baseline);
            var run = RunLoop.Run(new RoundRobin(sims, strategies), budget, e =>
                !findings.IsSetAside(e.Outcome)
                && findings.Add(Minimizer.Minimize(e.Sim!, e.Sim!.Machine.Choices.ToArray(), e.Outcome.Kind, e.Seed), e.Outcome, cancel: budget.Cancel));
            return findings.Result(variant, run.Executions, run.Seconds);
        }
        finally
        {
            foreach (var s in sims)
                s.Dispose();
        }
    }

    /// <summary>One execution of each system in turn, each under its own strategy.</summary>
    sealed class RoundRobin(Simulation[] sims, ISchedulingStrategy[] strategies) : IExecutionSource
    {
        long next;

        public bool Exhausted => false;

        public Execution Next()
        {
            int i = (int)(next++ % sims.Length);
            var outcome = sims[i].Run(strategies[i]);
            return new Execution(sims[i].Variant, outcome, sims[i], null, strategies[i].ExecutionSeed);
        }
    }
}
