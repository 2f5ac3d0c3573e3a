using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;

namespace MmFuzz.Search;

/// <summary>
/// The systematic half of the default hunt: the scenarios of a small scope (<see cref="SmallScope"/>),
/// or the catalog scenarios a user names, each explored exhaustively with sleep sets, by iterative
/// deepening: every scenario at 1 preemption first, smallest first (most bugs need one, and the
/// smallest scenario that shows a bug is the best report), then at 2 (up to the scope's bound), so a
/// deep bug in a late scenario does not wait for every shallow one. From bound 2 the scenarios are
/// visited in a seeded random order: the enumeration puts similar scenarios next to each other, and a
/// bug that needs one corner of the scope (3 queued folios, say) would otherwise wait for every
/// scenario before that corner (measured on the zoo's v6.13-separator-from-split-folio: the 22 of
/// 8,881 scenarios that show it come after 16M of the 25.6M bound-2 executions in enumeration order,
/// after about 1M on average in random order).
/// </summary>
/// <remarks>
/// Each of a hunt's workers owns every n-th scenario of the random order (<see cref="WorkerSlot.Owns"/>),
/// so what a worker explores depends on its slot and the seed alone, not on the others' speed: with an
/// execution budget a hunt is deterministic per worker.
/// </remarks>
public static class ScopeHunter
{
    /// <summary>Executions one scenario's search may take at one bound.</summary>
    public const long ScenarioBudget = 200_000;

    /// <summary>Hunts <paramref name="variant"/> over this worker's share of <paramref name="scenarios"/>.</summary>
    /// <param name="variant">The kernel state.</param>
    /// <param name="scenarios">The scenarios, smallest first.</param>
    /// <param name="maxBound">The deepest preemption bound.</param>
    /// <param name="budget">When to give up.</param>
    /// <param name="findings">Where the findings go (a hunt that keeps going, or that stops at the first bug).</param>
    /// <param name="ignore">Bug kinds set aside (their oracles off where they can be).</param>
    /// <param name="slot">This worker, among those sharing the scenarios.</param>
    /// <param name="seed">Seed of the random order (the same for every worker).</param>
    /// <returns>Executions run, and whether this worker's share was explored to <paramref name="maxBound"/>.</returns>
    public static (long Executions, bool Exhausted) Hunt(Variant variant, IReadOnlyList<Scenario> scenarios, int maxBound, Budget budget,
        HuntFindings findings, IReadOnlySet<BugKind> ignore, WorkerSlot slot, ulong seed = 1)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long executions = 0;
        var shuffled = Enumerable.Range(0, scenarios.Count).ToArray();
        new Random(unchecked((int)(seed ^ seed >> 32))).Shuffle(shuffled);
        var mine = shuffled.Where((_, rank) => slot.Owns(rank)).ToArray();
        var smallestFirst = mine.Order().ToArray();
        var done = new HashSet<int>();      // scenarios that showed a bug of a history kind: no need to go deeper
        bool exhausted = true;
        for (int bound = Math.Min(1, maxBound); bound <= maxBound; bound++)
            foreach (int i in bound < 2 ? smallestFirst : mine)
            {
                if (done.Contains(i))
                    continue;
                if (budget.IsSpent(executions, clock.Elapsed.TotalSeconds))
                    return (executions, false);
                using var sim = new Simulation(variant, scenarios[i], ignore);
                bool stop = false;
                // A bug of a history kind ends the scenario's search (a scenario shows its bug once); a
                // kind beyond history is recorded and the search goes on.
                var r = ExhaustiveSearch.Explore(sim, bound, Budget.OfExecutions(Math.Min(ScenarioBudget, budget.Executions - executions)) with { Cancel = budget.Cancel }, o =>
                {
                    if (ignore.Contains(o.Kind))
                        return false;
                    if (!findings.IsSetAside(o))
                    {
                        var minimal = Minimizer.Minimize(sim, sim.Machine.Choices.ToArray(), o.Kind, 0, budget.Cancel);
                        // Another worker's bug ended the hunt meanwhile: this one, half minimized, goes unrecorded.
                        stop = budget.Cancel.IsCancellationRequested || findings.Add(minimal, o, cancel: budget.Cancel);
                    }
                    return stop || !History.IsBeyondHistory(variant, o.Kind);
                }, reduction: true);
                executions += r.Executions;
                if (stop)
                    return (executions, false);
                if (r.Failure is not null)
                    done.Add(i);
                else if (!r.Exhausted && bound == maxBound)
                    exhausted = false;
            }
        return (executions, exhausted);
    }
}
