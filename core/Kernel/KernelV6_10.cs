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
    /// <summary><c>free_tail_page_prepare()</c>: <c>if (unlikely(!list_empty(&amp;folio-&gt;_deferred_list))) bad_page(page, "on deferred list");</c> (v6.10 merge window).</summary>
    protected override bool free_checks_deferred_list => true;

    /// <summary>
    /// Port of the large-folio branch of <c>migrate_pages_batch()</c> (mm/migrate.c, v6.10-rc1,
    /// 7262f208ca68 as merged): an unlocked peek, <c>if (nr_pages &gt; 2 &amp;&amp; !list_empty(&amp;folio-&gt;_deferred_list))</c>,
    /// then <c>try_split_folio()</c> (<c>folio_lock</c>, <c>split_folio</c>, <c>folio_unlock</c>); if the split
    /// fails, the folio is migrated as before. (HISTORY.md describes a locked check with
    /// <c>is_on_deferred_list</c>: that was an earlier revision of the patch; see the variants digest.)
    /// CUSTOMISED: the pages of a split folio are then migrated as order-0 folios, which ends in the
    /// isolation reference being dropped.
    /// </summary>
    public override async Sim migrate_folio(FolioPtr folio)
    {
        bool queued;
        using (Cpu.Enter(Fn.migrate_deferred_check, folio.Addr))
            queued = await folio_order(folio) > 1 && !await list_empty(folio.DeferredList);
        if (queued)
        {
            using var _ = Cpu.Enter(Fn.migrate_folio, folio.Addr);
            await folio_lock(folio);          // try_split_folio()
            int rc = await split_folio(folio);
            await folio_unlock(folio);
            if (rc == 0)
            {
                await folio_put(folio);
                return;
            }
        }
        await base.migrate_folio(folio);
    }
}

/// <summary>
/// v6.10: v6.10-rc1 plus be9581ea8c05 (Hugh Dickins): <c>folio_migrate_mapping()</c> freezes the
/// refcount to 0 around the unqueue ("Take off deferred split queue while frozen and memcg set"),
/// and <c>mem_cgroup_migrate()</c> no longer unqueues. A scan that holds a reference makes the freeze
/// fail; a frozen folio makes the scan's <c>folio_try_get()</c> fail.
/// </summary>
public class KernelV6_10(World world, Cpu cpu) : KernelV6_10Rc1(world, cpu)
{
    /// <summary>
    /// Port of <c>folio_migrate_mapping()</c> (mm/migrate.c, v6.10, be9581ea8c05) for an anonymous folio
    /// without a mapping: <c>if (folio_ref_count(folio) != expected_count) return -EAGAIN;</c> then
    /// <c>if (folio_test_large(folio) &amp;&amp; folio_test_large_rmappable(folio)) { if (!folio_ref_freeze(folio,
    /// expected_count)) return -EAGAIN; folio_undo_large_rmappable(folio); folio_ref_unfreeze(folio, expected_count); }</c>
    /// </summary>
    protected override async Sim<int> folio_migrate_mapping(FolioPtr folio, int expected_count)
    {
        using var _ = Cpu.Enter(Fn.folio_migrate_mapping, folio.Addr, expected_count);
        if (await folio_ref_count(folio) != expected_count)
            return -EAGAIN;
        /* Take off deferred split queue while frozen and memcg set */
        if (await folio_test_large(folio) && await folio_test_large_rmappable(folio))
        {
            if (!await folio_ref_freeze(folio, expected_count))
                return -EAGAIN;
            await folio_undo_large_rmappable(folio);
            await folio_ref_unfreeze(folio, expected_count);
        }
        return 0;
    }

    /// <summary><c>mem_cgroup_migrate()</c> (mm/memcontrol.c, v6.10): the unqueue is gone.</summary>
    protected override Sim mem_cgroup_migrate_unqueue(FolioPtr old) => default;
}
