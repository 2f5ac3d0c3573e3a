using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Search;

/// <summary>The settings of one hunt.</summary>
/// <param name="Budget">When to give up, per variant and scenario family.</param>
/// <param name="Seed">Seed of the random choices (each worker's is derived from it).</param>
/// <param name="Ignore">Bug kinds set aside entirely (their oracles off where they can be).</param>
/// <param name="Depth">PCT's bug depth d.</param>
/// <param name="Preemptions">The exhaustive hunt's preemption bound.</param>
/// <param name="Progress">The generating hunt's progress report (executions, findings, seconds), about every 2 s; may be null.</param>
/// <param name="Jobs">Workers, one per core by default.</param>
/// <param name="KeepGoing">Run to the budget and report every distinct bug (else stop at the first of a kind history records).</param>
/// <param name="Baseline">Compare every finding with this kernel state (<see cref="Differential"/>); a hunt that stops at the first bug stops at the first the baseline does not show.</param>
public sealed record HuntOptions(Budget Budget, ulong Seed = 1, IReadOnlySet<BugKind>? Ignore = null, int Depth = 3, int Preemptions = 2,
    Action<long, int, double>? Progress = null, int Jobs = 1, bool KeepGoing = false, Variant? Baseline = null)
{
    /// <summary>The kinds set aside (none when <see cref="Ignore"/> is null).</summary>
    public IReadOnlySet<BugKind> Ignored => Ignore ?? new HashSet<BugKind>();

    /// <summary>An empty record of findings under these options.</summary>
    public HuntFindings NewFindings() => new(Ignored, KeepGoing, Baseline);
}
