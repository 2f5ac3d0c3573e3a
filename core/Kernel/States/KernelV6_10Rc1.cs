using MmFuzz.Engine;

namespace MmFuzz.Kernel;

/// <summary>
/// v6.10-rc1: v6.9 plus 7262f208ca68 (Zi Yan): <c>migrate_pages_batch()</c> peeks (without a lock)
/// whether a THP is on a deferred split list and splits it instead of migrating it. The peek does
/// not remove it (it may be on a scan's local list), and nothing stops the folio from being queued
/// or moved to a local list right after it: migration still unqueues it in
/// <c>mem_cgroup_migrate()</c> with a live refcount.
/// </summary>
public class KernelV6_10Rc1(World world, Cpu cpu) : KernelV6_9(world, cpu)
{
    /// <summary>
    /// The unmap's call in <c>__folio_remove_rmap()</c> (mm/rmap.c) from 7491f3f34891 "mm/rmap: do not
    /// add fully unmapped large folio to deferred split list" (Zi Yan, v6.10-rc1): <c>if
    /// (folio_test_anon(folio) &amp;&amp; partially_mapped &amp;&amp; list_empty(&amp;folio-&gt;_deferred_list))
    /// deferred_split_folio(folio);</c> — only a partial unmap queues, after its own unlocked look at the
    /// list (<c>deferred_split_folio()</c> looks again, and again under the lock). Nothing queues at
    /// fault before v6.12-rc1.
    /// </summary>
    public override async Sim mmfuzz_queue_for_deferred_split(FolioPtr folio, bool partially_mapped)
    {
        if (!partially_mapped || !await list_empty(folio.DeferredList))
            return;
        await deferred_split_folio(folio, true);
    }

    /// <summary>
    /// <c>free_tail_page_prepare()</c> (mm/page_alloc.c, v6.10 merge window), case 2 for a folio of order &gt; 1:
    /// <c>if (unlikely(!list_empty(&amp;folio-&gt;_deferred_list))) bad_page(page, "on deferred list");</c>
    /// </summary>
    protected override async Sim<string?> free_tail_page_prepare(FolioPtr folio) =>
        await folio_order(folio) > 1 && !await list_empty(folio.DeferredList) ? "on deferred list" : null;

    /// <summary>
    /// The test of <c>migrate_pages_batch()</c> (v6.10-rc1) for splitting a large folio instead of
    /// migrating it: <c>nr_pages &gt; 2 &amp;&amp; !list_empty(&amp;folio-&gt;_deferred_list)</c>, an unlocked peek.
    /// </summary>
    protected virtual async Sim<bool> mmfuzz_migrate_split_first(FolioPtr folio) =>
        await folio_order(folio) > 1 && !await list_empty(folio.DeferredList);

    /// <summary>
    /// Port of the large-folio branch of <c>migrate_pages_batch()</c> (mm/migrate.c, v6.10-rc1,
    /// 7262f208ca68 as merged): an unlocked peek, <c>if (nr_pages &gt; 2 &amp;&amp; !list_empty(&amp;folio-&gt;_deferred_list))</c>,
    /// then <c>if (try_split_folio(folio, split_folios) == 0) { ...; continue; }</c>; if the split fails, the
    /// folio goes on to <c>migrate_folio_unmap()</c> as before. (A locked check with <c>is_on_deferred_list</c> was an
    /// earlier revision of the patch: docs/HISTORY.md §4.3 and §9, docs/SOURCES.md §3.5 and §4 item 2.)
    /// CUSTOMISED: the pages of a split folio are then migrated as order-0 folios, which ends in the
    /// isolation reference being dropped; the split comes before <c>migrate_folio_unmap()</c> allocates a
    /// destination, so a destination the scenario names stays unused.
    /// </summary>
    public override async Sim mmfuzz_migrate_folio(FolioPtr folio, FolioPtr dst)
    {
        bool queued;
        using (Cpu.Enter(Fn.migrate_deferred_check, folio.Addr))
            queued = await mmfuzz_migrate_split_first(folio);
        if (queued && await try_split_folio(folio) == 0)
        {
            await folio_put(folio);
            return;         // a destination is never allocated (the folio that stands for it stays unused)
        }
        await base.mmfuzz_migrate_folio(folio, dst);
    }

    /// <summary>
    /// Port of <c>try_split_folio()</c> (mm/migrate.c, v6.10-rc1 and v6.10): <c>folio_lock(folio);
    /// rc = split_folio_to_list(folio, split_folios); folio_unlock(folio);</c> (the list move of a split
    /// folio is not modelled). The lock is taken whatever the migration mode: MIGRATE_ASYNC's trylock
    /// came with 2e6506e1c4ee (v6.11).
    /// </summary>
    protected virtual async Sim<int> try_split_folio(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.try_split_folio, folio.Addr);
        await folio_lock(folio);
        int rc = await split_folio(folio);
        await folio_unlock(folio);
        return rc;
    }
}
