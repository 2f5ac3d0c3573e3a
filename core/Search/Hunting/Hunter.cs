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
    /// <summary>A seeded uniform random walk over <paramref name="scenarios"/> (<see cref="RandomStrategy"/>).</summary>
    /// <param name="variant">The kernel state.</param>
    /// <param name="scenarios">Catalog scenarios, visited round-robin, one execution each per round.</param>
    /// <param name="options">Budget; seed of the first scenario's strategy (each next scenario's is derived from it); ignored kinds; keep going; baseline.</param>
    public static HuntResult Random(Variant variant, IReadOnlyList<Scenario>? scenarios, HuntOptions options) =>
        Hunt(variant, scenarios, options, s => new RandomStrategy(s));

    /// <summary>PCT with depth <see cref="HuntOptions.Depth"/> over <paramref name="scenarios"/> (<see cref="PctStrategy"/>).</summary>
    /// <param name="variant">The kernel state.</param>
    /// <param name="scenarios">Catalog scenarios, visited round-robin, one execution each per round.</param>
    /// <param name="options">Budget; seed of the first scenario's strategy (each next scenario's is derived from it); ignored kinds; keep going; baseline.</param>
    public static HuntResult Pct(Variant variant, IReadOnlyList<Scenario>? scenarios, HuntOptions options) =>
        Hunt(variant, scenarios, options, s => new PctStrategy(s, options.Depth));

    /// <summary>Hunts <paramref name="variant"/> over <paramref name="scenarios"/> under one strategy per scenario.</summary>
    /// <param name="variant">The kernel state.</param>
    /// <param name="scenarios">Catalog scenarios, visited round-robin, one execution each per round.</param>
    /// <param name="options">Budget; seed of the first scenario's strategy (each next scenario's is derived from it); ignored kinds; keep going; baseline.</param>
    /// <param name="strategy">The strategy for one scenario from its seed.</param>
    static HuntResult Hunt(Variant variant, IReadOnlyList<Scenario>? scenarios, HuntOptions options, Func<ulong, ISchedulingStrategy> strategy)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        var (budget, ignore) = (options.Budget, options.Ignored);
        var sims = scenarios.Select(s => new Simulation(variant, s, ignore)).ToArray();
        try
        {
            var strategies = sims.Select((_, i) => strategy(options.Seed + (ulong)i * 0x9E3779B97F4A7C15UL)).ToArray();
            var findings = options.NewFindings();
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
