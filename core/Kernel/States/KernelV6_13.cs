using MmFuzz.Engine;

namespace MmFuzz.Kernel;

/// <summary>
/// v6.13: v6.12-rc1 plus Hugh Dickins' fixes. e66f3185fa04 and its follow-up: the unlocked
/// <c>list_del_init()</c> stays, but the scan keeps one partially mapped folio pinned (<c>prev</c>) as a
/// separator between it and every earlier folio left on the local list, and
/// <c>split_queue_len -= removed</c> moves under the lock at the splice. f8f931bba0f9: the unqueue is
/// <c>folio_unqueue_deferred_split()</c>, called before every change of memcg_data (uncharge, migrate, swapout; the charge move splits or skips a queued THP),
/// and <c>free_unref_folios()</c> no longer unqueues at all: the merged v2 deleted that call outright
/// (v1 had kept it for <c>mem_cgroup_disabled()</c>), so the callers that hand it large folios
/// (<c>folios_put_refs()</c>, reclaim) unqueue them first, whether memcg is enabled or not
/// (6.12.8's mm/page_alloc.c <c>free_unref_folios()</c>, lines 2693-2786, has no unqueue), which this
/// class's <see cref="free_unref_folios"/> ports. docs/SOURCES.md §3.8 and §4 item 4.
/// </summary>
public class KernelV6_13(World world, Cpu cpu) : KernelV6_12Rc1(world, cpu)
{
    /// <summary>
    /// Port of <c>free_unref_folios()</c> (mm/page_alloc.c, v6.12 final, f8f931bba0f9): for each folio,
    /// <c>free_pages_prepare()</c> and the free; the unqueue of v6.9 to v6.12-rc4 is gone ("Just omit the
    /// folio_unqueue_deferred_split() from free_unref_folios(), all of whose callers now call it
    /// beforehand"; 6.12.8 lines 2693-2786).
    /// </summary>
    protected override async Sim free_unref_folios(FolioBatch folios)
    {
        using var _ = Cpu.Enter(Fn.free_unref_folios, folios.nr);
        for (int i = 0; i < folios.nr; i++)
        {
            var folio = folios.folios[i];
            if (!await free_pages_prepare(folio))
                continue;
            hook_page_free(folio);
        }
        folios.reinit();        // folio_batch_reinit(folios)
    }

    /// <summary><c>free_tail_page_prepare()</c> (v6.13, e66f3185fa04): the unconditional "on deferred list" check again.</summary>
    protected override async Sim<string?> free_tail_page_prepare(FolioPtr folio) =>
        await folio_order(folio) > 1 && !await list_empty(folio.DeferredList) ? "on deferred list" : null;

    /// <summary>v6.13 sets and clears the flag atomically (42b2eb69835b).</summary>
    protected override Sim mmfuzz_partially_mapped_update(FolioPtr folio, bool set) => mmfuzz_folio_change_partially_mapped(folio, set);

    /// <summary>
    /// Port of <c>__folio_unqueue_deferred_split()</c> (mm/huge_memory.c, v6.13, f8f931bba0f9):
    /// <c>WARN_ON_ONCE(folio_ref_count(folio));</c> then, under the lock of
    /// <c>get_deferred_split_queue()</c>, unqueue if queued. Returns whether it unqueued. CUSTOMISED:
    /// <c>WARN_ON_ONCE(!mem_cgroup_disabled() &amp;&amp; !folio_memcg(folio))</c> is left out: the scenarios'
    /// uncharged folios on the node queue stand for a system where memcg does not charge them.
    /// </summary>
    protected virtual async Sim<bool> __folio_unqueue_deferred_split(FolioPtr folio)
    {
        if (await folio_ref_count(folio) != 0)
            await Bug(BugKind.Refcount, $"WARNING: mm/huge_memory.c: __folio_unqueue_deferred_split: WARN_ON_ONCE(folio_ref_count(folio)) ({Name(folio)})");
        return await __folio_undo_large_rmappable(folio);
    }

    /// <summary>
    /// Port of the inline <c>folio_unqueue_deferred_split()</c> (mm/internal.h, v6.13):
    /// <c>if (folio_order(folio) &lt;= 1 || !folio_test_large_rmappable(folio)) return false;
    /// if (data_race(list_empty(&amp;folio-&gt;_deferred_list))) return false; return __folio_unqueue_deferred_split(folio);</c>
    /// </summary>
    protected virtual async Sim<bool> folio_unqueue_deferred_split(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.folio_unqueue_deferred_split, folio.Addr);
        if (await folio_order(folio) <= 1 || !await folio_test_large_rmappable(folio))
            return false;
        if (await mmfuzz_list_empty_data_race(folio.DeferredList))
            return false;
        return await __folio_unqueue_deferred_split(folio);
    }

    /// <summary>
    /// f8f931bba0f9 in <c>mem_cgroup_swapout()</c>: <c>folio_unqueue_deferred_split(folio);</c> before
    /// <c>folio-&gt;memcg_data = 0;</c> ("__remove_mapping() has frozen refcount to 0 here").
    /// </summary>
    protected override async Sim mmfuzz_mem_cgroup_swapout_unqueue(FolioPtr folio) => await folio_unqueue_deferred_split(folio);

    /// <summary>
    /// f8f931bba0f9 in <c>mem_cgroup_move_charge_pte_range()</c> (mm/memcontrol-v1.c, v6.12): "Deferred
    /// split queue locking depends on memcg, and unqueue is unsafe unless folio refcount is 0: split or
    /// skip if on the queue? first try to split." — <c>if (!list_empty(&amp;folio-&gt;_deferred_list))</c>.
    /// v6.13 itself has no charge moving (6b611388b626 "memcg-v1: remove charge move code", 6.13-rc1):
    /// this variant runs v6.12's last form of it.
    /// </summary>
    protected override async Sim<bool> mmfuzz_move_charge_thp_queued(FolioPtr folio) => !await list_empty(folio.DeferredList);

    /// <summary>
    /// f8f931bba0f9 in <c>mem_cgroup_move_account()</c> (v6.12): "Warning should never happen, so don't
    /// worry about refcount non-0": <c>WARN_ON_ONCE(folio_unqueue_deferred_split(folio));</c> before
    /// <c>folio-&gt;memcg_data = (unsigned long)to;</c>
    /// </summary>
    protected override async Sim mmfuzz_mem_cgroup_move_account_unqueue(FolioPtr folio)
    {
        if (await folio_unqueue_deferred_split(folio))
            await Bug(BugKind.BadPageState, $"WARNING: {MemcgV1File}: mem_cgroup_move_account: WARN_ON_ONCE(folio_unqueue_deferred_split(folio)) ({Name(folio)} was still queued when its charge moved)");
    }

    /// <summary>Every former <c>folio_undo_large_rmappable()</c> call is <c>folio_unqueue_deferred_split()</c> in v6.13.</summary>
    protected override async Sim folio_undo_large_rmappable(FolioPtr folio) => await folio_unqueue_deferred_split(folio);

    /// <summary>
    /// Port of <c>uncharge_folio()</c> (mm/memcontrol.c, v6.13, f8f931bba0f9):
    /// <c>WARN_ON_ONCE(folio_unqueue_deferred_split(folio));</c> before <c>folio-&gt;memcg_data = 0;</c>
    /// (replacing v6.9's VM_BUG_ON_FOLIO).
    /// </summary>
    protected override async Sim uncharge_folio(FolioPtr folio)
    {
        if (await folio_unqueue_deferred_split(folio))
            await Bug(BugKind.BadPageState, $"WARNING: mm/memcontrol.c: uncharge_folio: WARN_ON_ONCE(folio_unqueue_deferred_split(folio)) ({Name(folio)} was still queued when uncharged)");
        using var _ = Cpu.Enter(Fn.memcg_data_clear, folio.Addr);
        await Store(folio.MemcgData, default);
    }

    /// <summary><c>mem_cgroup_migrate()</c> (mm/memcontrol.c, v6.13): <c>WARN_ON_ONCE(folio_unqueue_deferred_split(old));</c> before <c>old-&gt;memcg_data = 0;</c></summary>
    protected override async Sim mmfuzz_mem_cgroup_migrate_unqueue(FolioPtr old)
    {
        if (await folio_unqueue_deferred_split(old))
            await Bug(BugKind.BadPageState, $"WARNING: mm/memcontrol.c: mem_cgroup_migrate: WARN_ON_ONCE(folio_unqueue_deferred_split(old)) ({Name(old)} was still queued when migrated)");
    }

    /// <summary>
    /// Loop 2 of <c>deferred_split_scan()</c> and the splice (mm/huge_memory.c, v6.13, e66f3185fa04 and
    /// its follow-up): a folio kept on the list (partially mapped, not split) stays pinned as
    /// <c>prev</c> until the next one is kept, so the unlocked <c>list_del_init()</c> of a later folio is
    /// separated from every earlier folio by one whose refcount the scan still holds;
    /// <c>split_queue_len -= removed</c> under the lock at the splice; <c>folio_put(prev)</c> at the end.
    /// </summary>
    protected override async Sim<int> mmfuzz_deferred_split_scan_split(QueuePtr ds_queue, ListPtr list)
    {
        int split = 0;
        long removed = 0;
        FolioPtr prev = default;
        for (FolioPtr folio = await list_first_entry(list), next = await list_next_entry(folio);
             folio.DeferredList != list;
             folio = next, next = await list_next_entry(next))
        {
            bool did_split = await mmfuzz_deferred_split_scan_try_split(folio);
            if (did_split)
                split++;
            // next:
            if (did_split)
            {
                /* folio already removed from list */
            }
            else if (!await folio_test_partially_mapped(folio))
            {
                await list_del_init(folio.DeferredList);
                removed++;
            }
            else
            {
                // Kept, and kept pinned as the separator: the next unlocked list_del_init() then
                // never touches an earlier folio that a free path may be unqueueing under the lock.
                (folio, prev) = (prev, folio);
            }
            if (!folio.IsNull)
                await folio_put(folio);
        }

        await spin_lock(ds_queue.Lock);
        await list_splice_tail(list, ds_queue.SplitQueue);
        await mmfuzz_split_queue_len_sub(ds_queue, removed);
        await spin_unlock(ds_queue.Lock);

        if (!prev.IsNull)
            await folio_put(prev);
        return split;
    }

    /// <summary><c>ds_queue-&gt;split_queue_len -= removed;</c> (a plain read-modify-write).</summary>
    protected virtual async Sim mmfuzz_split_queue_len_sub(QueuePtr ds_queue, long removed)
    {
        using var _ = Cpu.Enter(Fn.mmfuzz_split_queue_len_sub, ds_queue.Len.Addr);
        ulong len = await Load(ds_queue.Len);
        await Store(ds_queue.Len, len - (ulong)removed);
    }
}
