using MmFuzz.Engine;

namespace MmFuzz.Kernel;

/// <summary>
/// v6.12-rc1: v6.10, Kefeng Wang's v6.11 refactor (the checks move into
/// <c>folio_undo_large_rmappable()</c>) and dafff3f4c850 "split underused THPs": every THP may be
/// queued, <c>PG_partially_mapped</c> tells the two kinds apart, and loop 2 of the scan takes a folio
/// that is not partially mapped off the local list WITHOUT the queue lock (<c>list_del_init()</c> and
/// <c>split_queue_len--</c>). An earlier folio still on the local list can be unqueued concurrently by
/// its free path under the lock: the two deletions write the same link (docs/HISTORY.md §5.1 (iv)).
/// </summary>
public class KernelV6_12Rc1(World world, Cpu cpu) : KernelV6_10(world, cpu)
{
    /// <summary><c>PG_partially_mapped</c> exists from this state on (dafff3f4c850).</summary>
    public static new KernelTraits Traits { get; } = KernelV6_10.Traits with { HasPartiallyMappedFlag = true };

    /// <summary>The memcg v1 code is in mm/memcontrol-v1.c (moved there in v6.11; f8f931bba0f9 patches it at 6.12-rc4).</summary>
    protected override string MemcgV1File => "mm/memcontrol-v1.c";

    /// <summary>
    /// <c>free_tail_page_prepare()</c> case 2 in v6.12-rc (page_alloc.c): only a partially mapped folio
    /// is reported, "partially mapped folio on deferred list" (e66f3185fa04 restored the full check).
    /// </summary>
    protected override async Sim<string?> free_tail_page_prepare(FolioPtr folio) =>
        await folio_order(folio) > 1 && !await list_empty(folio.DeferredList) && await folio_test_partially_mapped(folio) ? "partially mapped folio on deferred list" : null;

    /// <summary>
    /// Port of <c>uncharge_folio()</c> (mm/memcontrol.c, v6.12-rc):
    /// <c>VM_BUG_ON_FOLIO(folio_order(folio) &gt; 1 &amp;&amp; !folio_test_hugetlb(folio) &amp;&amp;
    /// !list_empty(&amp;folio-&gt;_deferred_list) &amp;&amp; folio_test_partially_mapped(folio), folio);</c>
    /// then <c>folio-&gt;memcg_data = 0;</c>
    /// </summary>
    protected override async Sim uncharge_folio(FolioPtr folio)
    {
        if (await folio_order(folio) > 1 && !await list_empty(folio.DeferredList) && await folio_test_partially_mapped(folio))
            await Bug(BugKind.BadPageState,
                $"kernel BUG at mm/memcontrol.c: VM_BUG_ON_FOLIO(folio_order(folio) > 1 && !list_empty(&folio->_deferred_list) && folio_test_partially_mapped(folio)) ({Name(folio)})");
        using var _ = Cpu.Enter(Fn.memcg_data_clear, folio.Addr);
        await Store(folio.MemcgData, default);
    }

    /// <summary><c>split_underused_thp</c> (the sysfs knob), default true.</summary>
    protected const bool split_underused_thp = true;

    /// <summary>
    /// The partial unmap's call in <c>__folio_remove_rmap()</c> (mm/rmap.c, v6.12, 8422acdc97ed):
    /// <c>if (partially_mapped &amp;&amp; folio_test_anon(folio) &amp;&amp; !folio_test_partially_mapped(folio))
    /// deferred_split_folio(folio, true);</c> — a folio already flagged is not queued again, so one that a
    /// scan dropped from every queue stays off them (the lost deferred split). Every modelled folio is anon.
    /// </summary>
    public override async Sim mmfuzz_queue_for_deferred_split(FolioPtr folio, bool partially_mapped)
    {
        if (partially_mapped && await folio_test_partially_mapped(folio))
            return;
        await deferred_split_folio(folio, partially_mapped);
    }

    /// <summary>
    /// Port of <c>deferred_split_folio(folio, partially_mapped)</c> (mm/huge_memory.c, v6.12-rc1): no
    /// unlocked early return any more; under the lock, set PG_partially_mapped if asked, then queue
    /// if not queued. <c>folio_test_swapcache()</c> is false here; stats and the shrinker bit are STUBBED.
    /// </summary>
    public override async Sim deferred_split_folio(FolioPtr folio, bool partially_mapped)
    {
        using var _ = Cpu.Enter(Fn.deferred_split_folio, folio.Addr);
        var ds_queue = await get_deferred_split_queue(folio);
        await folio_memcg(folio);
        if (await folio_order(folio) <= 1)
            return;
        if (!partially_mapped && !split_underused_thp)
            return;
        await spin_lock(ds_queue.Lock);
        if (partially_mapped)
        {
            if (!await folio_test_partially_mapped(folio))
                await mmfuzz_partially_mapped_update(folio, set: true);
        }
        else if (await folio_test_partially_mapped(folio))
        {
            await Bug(BugKind.Accounting, $"WARNING: CPU: {Cpu.Number} at mm/huge_memory.c deferred_split_folio: VM_WARN_ON_FOLIO(folio_test_partially_mapped(folio)) ({Name(folio)})");
            return;
        }
        if (await list_empty(folio.DeferredList))
        {
            await list_add_tail(folio.DeferredList, ds_queue.SplitQueue);
            await mmfuzz_split_queue_len_add(ds_queue, 1);
        }
        await spin_unlock(ds_queue.Lock);
    }

    /// <summary>
    /// <c>if (folio_test_partially_mapped(folio)) { __folio_clear_partially_mapped(folio); mod_mthp_stat(...); }</c>
    /// wherever v6.12 takes a folio off a queue (split, unqueue, the scan's lost-race branch).
    /// </summary>
    protected override async Sim mmfuzz_clear_partially_mapped_on_unqueue(FolioPtr folio)
    {
        if (await folio_test_partially_mapped(folio))
            await mmfuzz_partially_mapped_update(folio, set: false);
    }

    /// <summary>How v6.12-rc1 sets and clears the flag: the non-atomic <c>__folio_set/clear_partially_mapped()</c>.</summary>
    protected virtual Sim mmfuzz_partially_mapped_update(FolioPtr folio, bool set) => mmfuzz___folio_change_partially_mapped(folio, set);

    /// <summary>
    /// Port of the inline <c>folio_undo_large_rmappable()</c> (mm/internal.h, v6.11 refactor):
    /// <c>if (folio_order(folio) &lt;= 1 || !folio_test_large_rmappable(folio)) return;
    /// if (data_race(list_empty(&amp;folio-&gt;_deferred_list))) return; __folio_undo_large_rmappable(folio);</c>
    /// </summary>
    protected override async Sim folio_undo_large_rmappable(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.folio_undo_large_rmappable, folio.Addr);
        if (await folio_order(folio) <= 1 || !await folio_test_large_rmappable(folio))
            return;
        if (await mmfuzz_list_empty_data_race(folio.DeferredList))
            return;
        await __folio_undo_large_rmappable(folio);
    }

    /// <summary>
    /// The test of <c>migrate_pages_batch()</c> (mm/migrate.c) from 8422acdc97ed "mm: introduce a
    /// pageflag for partially mapped folios" (v6.12-rc1): only a queued folio that is also partially
    /// mapped is split first; a fully mapped queued THP (queued at fault since dafff3f4c850) is
    /// migrated, and <c>folio_migrate_mapping()</c> unqueues it while its refcount is frozen.
    /// </summary>
    protected override async Sim<bool> mmfuzz_migrate_split_first(FolioPtr folio) =>
        await base.mmfuzz_migrate_split_first(folio) && await folio_test_partially_mapped(folio);

    /// <summary>
    /// Port of <c>try_split_folio()</c> (mm/migrate.c, v6.11+, 2e6506e1c4ee "mm/migrate: fix deadlock in
    /// migrate_pages_batch() on large folios"): <c>if (mode == MIGRATE_ASYNC) { if (!folio_trylock(folio))
    /// return -EAGAIN; } else folio_lock(folio);</c> then split and unlock. The model migrates in
    /// MIGRATE_ASYNC mode (<c>Kernel.Migrate.cs</c>); a failed trylock goes on to <c>migrate_folio_unmap()</c>.
    /// </summary>
    protected override async Sim<int> try_split_folio(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.try_split_folio, folio.Addr);
        if (!await folio_trylock(folio))
            return -EAGAIN;
        int rc = await split_folio(folio);
        await folio_unlock(folio);
        return rc;
    }

    /// <summary>v6.11: the free paths call <c>folio_undo_large_rmappable(folio)</c> without checks of their own.</summary>
    protected override Sim mmfuzz_free_path_unqueue(FolioPtr folio) => folio_undo_large_rmappable(folio);

    /// <summary>
    /// Port of <c>thp_underused()</c> (mm/huge_memory.c, v6.12, dafff3f4c850): <c>if
    /// (khugepaged_max_ptes_none == HPAGE_PMD_NR - 1) return false;</c> (the default), else count the
    /// zero-filled pages (<c>memchr_inv(kaddr, 0, PAGE_SIZE)</c>) and return true once more than
    /// <c>khugepaged_max_ptes_none</c> are. Page contents are scenario data: a folio whose spec says
    /// <c>underused</c> has that many zero pages under a lowered knob (<see cref="Scenarios.FolioSpec.Underused"/>),
    /// any other has too few or the default knob. No modelled CPU writes page contents, so reading them
    /// is not a scheduling point.
    /// </summary>
    protected virtual bool thp_underused(FolioPtr folio) => World.Scenario.Folios[World.FolioIndex(folio)].Underused;

    /// <summary>
    /// The head of loop 2's body in <c>deferred_split_scan()</c> (mm/huge_memory.c, v6.12-rc1, unchanged
    /// in v6.13), up to the <c>next:</c> label: a folio that is neither partially mapped nor underused,
    /// or whose <c>folio_trylock()</c> fails, goes straight to <c>next</c>; otherwise <c>split_folio()</c>,
    /// then <c>folio_unlock()</c>. Returns <c>did_split</c>.
    /// </summary>
    protected virtual async Sim<bool> mmfuzz_deferred_split_scan_try_split(FolioPtr folio)
    {
        bool did_split = false;
        if (!await folio_test_partially_mapped(folio) && !thp_underused(folio))
            return false;       // goto next
        if (!await folio_trylock(folio))
            return false;       // goto next
        if (await split_folio(folio) == 0)
            did_split = true;   // count_vm_event(THP_UNDERUSED_SPLIT_PAGE) if underused: STUBBED
        await folio_unlock(folio);
        return did_split;
    }

    /// <summary>
    /// Loop 2 of <c>deferred_split_scan()</c> (mm/huge_memory.c, v6.12-rc1, dafff3f4c850):
    /// <c>if (!did_split &amp;&amp; !folio_test_partially_mapped(folio)) { list_del_init(&amp;folio-&gt;_deferred_list);
    /// ds_queue-&gt;split_queue_len--; }</c> runs without the queue lock, then <c>folio_put(folio)</c>.
    /// </summary>
    protected override async Sim<int> mmfuzz_deferred_split_scan_split(QueuePtr ds_queue, ListPtr list)
    {
        int split = 0;
        for (FolioPtr folio = await list_first_entry(list), next = await list_next_entry(folio);
             folio.DeferredList != list;
             folio = next, next = await list_next_entry(next))
        {
            bool did_split = await mmfuzz_deferred_split_scan_try_split(folio);
            if (did_split)
                split++;
            // next:
            // A split folio is already off the list; one that stays partially mapped goes back with the
            // splice; any other counts as used and leaves the list here, without the queue lock.
            if (!did_split && !await folio_test_partially_mapped(folio))
            {
                await list_del_init(folio.DeferredList);
                await mmfuzz_split_queue_len_add(ds_queue, -1);
            }
            await folio_put(folio);
        }

        await spin_lock(ds_queue.Lock);
        await list_splice_tail(list, ds_queue.SplitQueue);
        await spin_unlock(ds_queue.Lock);
        return split;
    }
}
