using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;

namespace MmFuzz.Search;

/// <summary>
/// In which kernel states one scenario shows one bug kind: each state's schedules explored
/// exhaustively, with sleep sets, at 0, 1, … up to a preemption bound, so a state that shows the
/// kind shows it at its fewest preemptions and a state that does not is proven clean up to the bound.
/// What a report says under "affected".
/// </summary>
public static class Sweep
{
    /// <summary>
    /// Runs <paramref name="scenario"/> in each of <paramref name="states"/> for <paramref name="kind"/>
    /// (the oracles in <paramref name="oraclesOff"/> off, as the finding had them), up to
    /// <paramref name="bound"/> preemptions, each state within <paramref name="perState"/>.
    /// </summary>
    public static IReadOnlyList<SweepRow> Across(IEnumerable<Variant> states, Scenario scenario, BugKind kind,
        IReadOnlySet<BugKind> oraclesOff, int bound, Budget perState) =>
        states.Select(v => In(v, scenario, o => o.IsBug && o.Kind == kind, oraclesOff, bound, perState)).ToList();

    /// <summary>One state of <see cref="Across"/>, for the outcomes <paramref name="shows"/> accepts (one kind, or any bug to show a fix clean).</summary>
    public static SweepRow In(Variant state, Scenario scenario, Func<Outcome, bool> shows, IReadOnlySet<BugKind> oraclesOff, int bound, Budget budget)
    {
        using var sim = new Simulation(state, scenario, oraclesOff);
        long executions = 0;
        var others = new SortedSet<BugKind>();
        for (int k = 0; k <= bound; k++)
        {
            var r = ExhaustiveSearch.Explore(sim, k, budget, shows, reduction: true);
            executions += r.Executions;
            budget = budget.Less(r.Executions, r.Seconds);
            foreach (var b in r.SetAside.Where(b => b.Outcome.IsBug))
                others.Add(b.Outcome.Kind);
            if (r.Failure is { } f)
                return new SweepRow(state, k, executions, false, [.. others]) { Kind = f.Outcome.Kind };
            if (!r.Exhausted)
                return new SweepRow(state, null, executions, false, [.. others]);
        }
        return new SweepRow(state, null, executions, true, [.. others]);
    }
}

/// <summary>One state's answer in a <see cref="Sweep"/>.</summary>
/// <param name="State">The kernel state.</param>
/// <param name="Preemptions">The fewest preemptions at which the kind shows; null when it did not show.</param>
/// <param name="Executions">Schedules run, over every bound tried.</param>
/// <param name="Exhausted">No schedule within the bound shows the kind, proven (every schedule explored).</param>
/// <param name="Others">The other bug kinds some schedule showed on the way.</param>
public sealed record SweepRow(Variant State, int? Preemptions, long Executions, bool Exhausted, IReadOnlyList<BugKind> Others)
{
    /// <summary>What showed (the kind asked for, or the bug a fix still has).</summary>
    public BugKind? Kind { get; init; }

    /// <summary>Whether the kind showed.</summary>
    public bool Shows => Preemptions is not null;
}
