using MmFuzz.Engine;

namespace MmFuzz.C;

/// <summary>
/// The kind of bug a failed BUG or WARN of C is, from what its condition tests: the kernel prints
/// only "kernel BUG at" or "WARNING:"; the model files it under the kind of state it found wrong,
/// as the hand ports do for the same assertions. First match wins; the order matters (an unqueue
/// that found the folio still queued is a bad page state even if it also reads the refcount).
/// </summary>
public static class AssertionKinds
{
    static readonly (string Tests, BugKind Kind)[] Rules =
    [
        ("folio_test_locked", BugKind.LockMisuse),
        ("_deferred_list", BugKind.BadPageState),
        ("unqueue_deferred_split", BugKind.BadPageState),
        ("undo_large_rmappable", BugKind.BadPageState),
        ("folio_ref_count", BugKind.Refcount),
        ("ref_zero", BugKind.Refcount),
        ("page_ref_count", BugKind.Refcount),
        ("_refcount", BugKind.Refcount),
        ("partially_mapped", BugKind.Accounting),
        ("split_queue_len", BugKind.Accounting),
    ];

    /// <summary>The kind for an assertion whose text (<c>VM_BUG_ON_FOLIO(cond)</c>) is <paramref name="text"/>.</summary>
    public static BugKind Of(string text)
    {
        foreach (var (tests, kind) in Rules)
            if (text.Contains(tests, StringComparison.Ordinal))
                return kind;
        return BugKind.BadPageState;
    }
}
