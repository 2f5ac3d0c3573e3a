using MmFuzz.Engine;

namespace MmFuzz.Search;

/// <summary>The settings of one hunt.</summary>
/// <param name="Budget">When to give up, per variant and scenario family.</param>
/// <param name="Seed">Seed of the random choices.</param>
/// <param name="Ignore">Bug kinds set aside entirely (their oracles off where they can be).</param>
/// <param name="Depth">PCT's bug depth d.</param>
/// <param name="Preemptions">The exhaustive hunt's preemption bound.</param>
/// <param name="Progress">The generating hunt's progress report (executions, findings, seconds), about every 2 s; may be null.</param>
public sealed record HuntOptions(Budget Budget, ulong Seed = 1, IReadOnlySet<BugKind>? Ignore = null, int Depth = 3, int Preemptions = 2,
    Action<long, int, double>? Progress = null)
{
    /// <summary>The kinds set aside (none when <see cref="Ignore"/> is null).</summary>
    public IReadOnlySet<BugKind> Ignored => Ignore ?? new HashSet<BugKind>();
}
