namespace MmFuzz.C;

/// <summary>
/// The kernel functions the front end takes from a kernel tree by default (<c>--kernel-tree</c>): the
/// deferred-split functions of mm/huge_memory.c and mm/internal.h, which run on the model as they are
/// written. Others a tree defines (the split itself, migration, the memcg and free paths) need the
/// page cache, the LRU, xarrays and counters the model stands in for: they come from the base state's
/// ports unless <c>--functions</c> names them (with a <c>--stub-header</c> for what they call).
/// </summary>
public static class CKnown
{
    /// <summary>The names taken from a tree by default.</summary>
    public static IReadOnlySet<string> FromTree { get; } = new HashSet<string>
    {
        // mm/huge_memory.c
        "deferred_split_scan", "deferred_split_folio", "get_deferred_split_queue",
        "folio_undo_large_rmappable", "__folio_undo_large_rmappable", "__folio_unqueue_deferred_split",
        // the 2025 series' queue locking and memcg reparenting (mm/huge_memory.c)
        "split_queue_lock", "split_queue_lock_irqsave", "split_queue_unlock", "split_queue_unlock_irqrestore",
        "folio_split_queue_lock", "folio_split_queue_lock_irqsave", "reparent_deferred_split_queue",
        // mm/internal.h
        "folio_unqueue_deferred_split",
    };

    /// <summary>The files of a kernel tree the front end reads for <c>--kernel-tree</c>, and those read when asked.</summary>
    public static IReadOnlyList<string> TreeFiles { get; } = ["mm/huge_memory.c", "mm/internal.h"];

    /// <summary>Files a tree may also be asked for (<c>--tree-files</c>).</summary>
    public static IReadOnlyList<string> OptionalTreeFiles { get; } = ["mm/memcontrol.c", "mm/memcontrol-v1.c", "mm/migrate.c", "mm/swap.c", "mm/page_alloc.c"];
}
