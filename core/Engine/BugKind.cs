namespace MmFuzz.Engine;

/// <summary>The distinct kinds of bug the oracles report. Each has a stable lowercase name (<see cref="BugKinds.Name"/>).</summary>
public enum BugKind : byte
{
    /// <summary>No bug.</summary>
    None,
    /// <summary>A CONFIG_DEBUG_LIST check failed (lib/list_debug.c), or a list found inconsistent at quiescence.</summary>
    ListCorruption,
    /// <summary>Dereference of LIST_POISON, NULL, or a pointer that is not a live object field.</summary>
    GeneralProtection,
    /// <summary>KASAN: access to a freed folio or a returned stack frame.</summary>
    UseAfterFree,
    /// <summary>
    /// The finding beyond history: the scan's lost-race <c>list_del_init</c> writes <c>prev</c> after
    /// the free path's unlocked <c>list_empty</c> peek saw <c>next</c> self-linked and freed the folio.
    /// </summary>
    LostRaceWriteAfterFree,
    /// <summary><c>VM_BUG_ON_PAGE(page_ref_count(page) == 0)</c>, refcount underflow, double free.</summary>
    Refcount,
    /// <summary>"BUG: Bad page state": freed while on a deferred list, or freed locked.</summary>
    BadPageState,
    /// <summary>A list linked on queue Q (or on a scan's local list taken from Q) modified without Q's lock.</summary>
    WrongLock,
    /// <summary>At quiescence: split_queue_len differs from the list length, or a folio was lost or leaked.</summary>
    Accounting,
    /// <summary>Every CPU that has not finished is blocked on a lock.</summary>
    Deadlock,
    /// <summary>The step bound was exceeded: a spin without progress or a walk of a cyclic list.</summary>
    Livelock,
    /// <summary>A lock released by a CPU that does not hold it, or a lock still held at return.</summary>
    LockMisuse,
    /// <summary>
    /// KCSAN-like: two accesses to one word by different CPUs, not ordered by happens-before, at least
    /// one a write and at least one plain (accesses marked <c>data_race()</c> are exempt).
    /// </summary>
    DataRace,
    /// <summary>
    /// At quiescence (v6.12+): a live large folio has PG_partially_mapped set but is on no deferred
    /// split queue. <c>__folio_remove_rmap()</c> only queues a folio whose flag is clear, so the
    /// shrinker never splits it: its unmapped pages stay allocated until the whole folio is freed.
    /// Silent in the kernel; a finding beyond history.
    /// </summary>
    LostDeferredSplit,
}
