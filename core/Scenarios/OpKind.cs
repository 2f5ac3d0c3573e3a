namespace MmFuzz.Scenarios;

/// <summary>The operations a CPU program can contain.</summary>
public enum OpKind : byte
{
    /// <summary><c>deferred_split_scan()</c> of a queue.</summary>
    Scan,
    /// <summary><c>folio_put()</c>.</summary>
    FolioPut,
    /// <summary><c>folios_put_refs()</c> on a batch of one reference each (the release_pages path).</summary>
    FoliosPutRefs,
    /// <summary><c>folio_get()</c>.</summary>
    FolioGet,
    /// <summary><c>folio_lock()</c>.</summary>
    FolioLock,
    /// <summary><c>folio_unlock()</c>.</summary>
    FolioUnlock,
    /// <summary><c>deferred_split_folio(folio, partially_mapped)</c> (the argument exists from v6.12).</summary>
    DeferredSplitFolio,
    /// <summary>
    /// <c>split_folio()</c> by a path other than the scan (for example a truncation or
    /// <c>split_huge_pages</c> via debugfs): the CPU holds a reference, takes the folio lock, splits, unlocks.
    /// </summary>
    SplitFolio,
    /// <summary>
    /// Migration of an isolated folio whose only reference the CPU holds: the variant's
    /// <c>migrate_pages_batch()</c> / <c>folio_migrate_mapping()</c> / <c>mem_cgroup_migrate()</c>
    /// sequence, then the isolation reference is dropped (<c>migrate_folio_done()</c> or putback).
    /// With a second folio, that is the destination: a fresh folio (the migration's reference, not
    /// queued, not charged) that migration locks, charges, maps in place of the source
    /// (<c>remove_migration_ptes()</c>) and unlocks, and that from a2e0c0668a34 on inherits the source's
    /// place on the deferred split queue; without one the destination is not modelled.
    /// </summary>
    MigrateFolio,
    /// <summary>
    /// Reclaim swapping the folio out (<c>shrink_folio_list()</c>, cgroup v1): the CPU holds the
    /// isolation reference, freezes the refcount in <c>__remove_mapping()</c>, clears the charge in
    /// <c>mem_cgroup_swapout()</c> and frees the folio; a pinned or locked folio is put back.
    /// </summary>
    Swapout,
    /// <summary>
    /// memcg v1 moving the charge of a THP the CPU's task maps by a PMD to another memcg
    /// (<c>mem_cgroup_move_charge_pte_range()</c>, <c>move_charge_at_immigrate</c>): the CPU holds the
    /// mapping's reference; the mover takes and drops its own (<c>get_mctgt_type_thp()</c>'s
    /// <c>folio_get()</c>, then <c>folio_put()</c>). <see cref="Op.Queue"/> is the destination memcg,
    /// the source is the other one.
    /// </summary>
    MoveCharge,
    /// <summary>
    /// The memcg named by <see cref="Op.Queue"/> (memcg2; its parent is memcg1) is removed: cgroup core's
    /// <c>kill_css()</c> sets <c>CSS_DYING</c>, then the RCU-delayed <c>offline_css()</c> calls the memory
    /// controller's <c>mem_cgroup_css_offline()</c>, which from the folio_batch series on (patch 4/4)
    /// reparents the memcg's deferred split queue onto its parent's.
    /// </summary>
    MemcgOffline,
    /// <summary>
    /// A task unmaps part of the range that maps the folio (a partial <c>munmap()</c> or
    /// <c>MADV_DONTNEED</c>: <c>zap_pte_range()</c> → <c>folio_remove_rmap_ptes()</c> →
    /// <c>__folio_remove_rmap()</c>, whose partial unmap calls <c>deferred_split_folio(folio, true)</c>),
    /// for a migration's destination: once <c>remove_migration_ptes()</c> has mapped it the zap finds its
    /// PTEs; before that the range holds migration entries and the zap does not touch the folio. The CPU
    /// holds no reference of its own (the rest of the range stays mapped, holding the mapping's).
    /// </summary>
    Unmap,
}
