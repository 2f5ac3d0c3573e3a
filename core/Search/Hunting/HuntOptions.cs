using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Search;

/// <summary>The settings of one hunt, the same shape for every hunt (<see cref="HuntFunction"/>) and for verify and the small scope.</summary>
/// <param name="Budget">When to give up, per variant and scenario family (verify: per scenario; the small scope: in all).</param>
/// <param name="Seed">Seed of the random choices (each worker's is derived from it).</param>
/// <param name="Ignore">Bug kinds set aside entirely (their oracles off where they can be).</param>
/// <param name="Depth">PCT's bug depth d.</param>
/// <param name="Preemptions">The preemption bound of the exhaustive hunt and of verify.</param>
/// <param name="Progress">Called about every 2 s with how far the hunt has come; may be null. On several workers, the first reports.</param>
/// <param name="Jobs">Workers, one per core by default.</param>
/// <param name="KeepGoing">Run to the budget and report every distinct bug (else stop at the first of a kind history records).</param>
/// <param name="Baseline">Compare every finding with this kernel state (<see cref="Differential"/>); a hunt that stops at the first bug stops at the first the baseline does not show.</param>
public sealed record HuntOptions(Budget Budget, ulong Seed = 1, IReadOnlySet<BugKind>? Ignore = null, int Depth = 3, int Preemptions = 2,
    Action<HuntProgress>? Progress = null, int Jobs = 1, bool KeepGoing = false, Variant? Baseline = null)
{
    /// <summary>Which worker runs the hunt (<see cref="SharedHunt"/> sets it); <see cref="WorkerSlot.Only"/> for a hunt on one thread.</summary>
    public WorkerSlot Slot { get; init; } = WorkerSlot.Only;

    /// <summary>The shard of a proof or a hunt shared among processes (<see cref="Search.Shard"/>); the whole by default.</summary>
    public Shard Shard { get; init; } = Shard.Whole;

    /// <summary>
    /// Whether the generating hunt steers by coverage (<see cref="CasePool"/>): keeps the cases that
    /// reach new interleavings and spends half its draws on their mutants. On by default; off, it
    /// draws every case afresh, as before the pool.
    /// </summary>
    public bool Steer { get; init; } = true;

    /// <summary>Whether verify explores with sleep sets (the small scope always does).</summary>
    public bool Reduction { get; init; }

    /// <summary>The kinds set aside (none when <see cref="Ignore"/> is null).</summary>
    public IReadOnlySet<BugKind> Ignored => Ignore ?? new HashSet<BugKind>();

    /// <summary>An empty record of findings under these options.</summary>
    public HuntFindings NewFindings() => new(Ignored, KeepGoing, Baseline);

    /// <summary>Reports progress when this worker reports it (the first; see <see cref="Progress"/>).</summary>
    public void Report(HuntProgress progress)
    {
        if (Slot.IsFirst)
            Progress?.Invoke(progress);
    }
}
