using MmFuzz.Kernel;

namespace MmFuzz.Search;

/// <summary>The result of hunting one variant.</summary>
/// <param name="Variant">The variant.</param>
/// <param name="Bug">The first bug of a kind history records (or not set aside), minimized; null when none.</param>
/// <param name="BeyondHistory">Findings of kinds history does not record, one per kind.</param>
/// <param name="Executions">Executions run.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record HuntResult(Variant Variant, Finding? Bug, IReadOnlyList<Finding> BeyondHistory, long Executions, double Seconds)
{
    /// <summary>How the generating hunt shrank its bug; null for the other hunts, or when none was found.</summary>
    public ShrinkReport? Shrink { get; init; }

    /// <summary>Every finding: the bug (if any) first, then those beyond history.</summary>
    public IEnumerable<Finding> All => Bug is null ? BeyondHistory : BeyondHistory.Prepend(Bug);
}
