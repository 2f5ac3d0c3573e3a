using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Search;

namespace MmFuzz.Reports;

/// <summary>
/// What the kernel itself reports for a race only a model assertion names, when the hunt did not find
/// it: the representative's scenario explored again with the model's lock assertion (and the race
/// detector) off, at 0, 1, then 2 preemptions, until a kind the kernel reports fires. The wrong-lock
/// assertion fires at the statement that breaks the locking rule; the kernel's own check (DEBUG_LIST,
/// a count that no longer matches its list) fires later, often only at one more preemption.
/// </summary>
public static class KernelView
{
    /// <summary>Executions each bound may take.</summary>
    public const long Budget = 20_000;

    /// <summary>The highest preemption bound tried.</summary>
    public const int MaxBound = 2;

    /// <summary>
    /// "list-corruption at 2 preemptions" for a <see cref="BugKind.WrongLock"/> finding's scenario, or
    /// null when no kind the kernel reports fires within the bounds and budget (or the finding is of
    /// another kind: KASAN's model of a freed folio cannot be turned off).
    /// </summary>
    public static string? Search(FoundBug bug)
    {
        var f = bug.Finding;
        if (f.Kind != BugKind.WrongLock)
            return null;
        var off = new HashSet<BugKind>(f.OraclesOff) { BugKind.WrongLock, BugKind.DataRace };
        for (int bound = 0; bound <= MaxBound; bound++)
        {
            using var sim = new Simulation(f.Variant, f.Scenario, off);
            var r = ExhaustiveSearch.Explore(sim, bound, MmFuzz.Search.Budget.OfExecutions(Budget), o => DistinctBug.IsKernelVisible(o), reduction: true);
            if (r.Failure is { } found)
                return $"{BugKinds.Name(found.Outcome.Kind)} at {bound} preemption{(bound == 1 ? "" : "s")}";
        }
        return null;
    }
}
