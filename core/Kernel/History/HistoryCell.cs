using MmFuzz.Engine;

namespace MmFuzz.Kernel;

/// <summary>What history says one kernel state does under one scenario family.</summary>
/// <param name="Expected">Safe, or a corrupting race history recorded.</param>
/// <param name="Kinds">For a race: the bug kinds its schedules may show (each is what the race leads to on some path).</param>
/// <param name="Fix">For a race: the upstream commit that fixed it (id, subject, author, release).</param>
/// <param name="Preemptions">For a race: the preemption bound within which it shows; a minimal schedule needs no more.</param>
public sealed record HistoryCell(Expected Expected, IReadOnlySet<BugKind> Kinds, string? Fix, int Preemptions)
{
    /// <summary>No corrupting schedule.</summary>
    public static readonly HistoryCell Safe = new(Expected.Safe, new HashSet<BugKind>(), null, 0);

    /// <summary>A race history recorded, fixed by <paramref name="fix"/>, showing one of <paramref name="kinds"/> within <paramref name="preemptions"/> preemptions.</summary>
    public static HistoryCell Bug(string fix, IEnumerable<BugKind> kinds, int preemptions = 2) => new(Expected.Bug, kinds.ToHashSet(), fix, preemptions);

    /// <summary>Whether history records a race here.</summary>
    public bool IsBug => Expected == Expected.Bug;
}
