using MmFuzz.Engine;

namespace MmFuzz.Kernel;

// The folio_batch series' queue locking (v6 patch 2/4, "mm: thp: introduce folio_split_queue_lock and
// its variants", Muchun Song) and memcg offline (patch 4/4, "mm: thp: reparent the split queue during
// memcg offline", Qi Zheng), 2025-11-10, mm/huge_memory.c and mm/memcontrol.c. Every user of a
// queue's lock takes it through split_queue_lock(), which re-checks under the lock whether the memcg
// is dying and then retries on its parent; offline splices the dying memcg's queue onto the parent's.
public partial class KernelFolioBatch
{
    /// <summary>
    /// Port of <c>split_queue_lock()</c> / <c>split_queue_lock_irqsave()</c> (patch 2/4, with patch 4/4's retry):
    /// <code>
    /// retry:
    ///     queue = memcg_split_queue(nid, memcg);
    ///     spin_lock_irqsave(&amp;queue-&gt;split_queue_lock, *flags);
    ///     if (unlikely(memcg_is_dying(memcg))) {
    ///         spin_unlock_irqrestore(&amp;queue-&gt;split_queue_lock, *flags);
    ///         memcg = parent_mem_cgroup(memcg);
    ///         goto retry;
    ///     }
    ///     return queue;
    /// </code>
    /// "There is a period between setting memcg to dying and reparenting deferred split queue, and
    /// during this period the THPs in the deferred split queue will be hidden from the shrinker side."
    /// Returns the queue whose lock the CPU now holds. Interrupts are not modelled, so the two variants
    /// are one port.
    /// </summary>
    protected virtual async Sim<QueuePtr> split_queue_lock(int nid, MemcgPtr memcg)
    {
        using var _ = Cpu.Enter(Fn.split_queue_lock, memcg.Addr);
        while (true)
        {
            var queue = memcg_split_queue(nid, memcg);
            await spin_lock(queue.Lock);
            if (!await memcg_is_dying(memcg))
                return queue;
            await spin_unlock(queue.Lock);
            memcg = World.ParentMemcg(memcg);
        }
    }

    /// <summary>
    /// Port of <c>folio_split_queue_lock()</c> / <c>folio_split_queue_lock_irqsave()</c> (patch 2/4):
    /// <c>split_queue_lock(folio_nid(folio), folio_memcg(folio))</c>. The memcg is read at lock time,
    /// as <c>get_deferred_split_queue()</c> read it.
    /// </summary>
    protected async Sim<QueuePtr> folio_split_queue_lock(FolioPtr folio)
    {
        var memcg = await folio_memcg(folio);
        int nid = await folio_nid(folio);
        return await split_queue_lock(nid, memcg);
    }

    /// <summary><c>memcg_split_queue()</c> (patch 2/4): <c>memcg ? &amp;memcg-&gt;deferred_split_queue : split_queue_node(nid)</c>. No memory access.</summary>
    QueuePtr memcg_split_queue(int nid, MemcgPtr memcg) => memcg.IsNull ? World.NodeData(nid).DeferredSplitQueue : memcg.DeferredSplitQueue;

    /// <summary>
    /// Port of <c>memcg_is_dying()</c> (include/linux/memcontrol.h, patch 4/4):
    /// <c>memcg ? css_is_dying(&amp;memcg-&gt;css) : false</c>, with <c>css_is_dying()</c> as
    /// a22b3d54de94 (v6.15) made it: <c>css-&gt;flags &amp; CSS_DYING</c>, a plain read.
    /// </summary>
    protected async Sim<bool> memcg_is_dying(MemcgPtr memcg)
    {
        if (memcg.IsNull)
            return false;
        using var _ = Cpu.Enter(Fn.memcg_is_dying, memcg.Addr);
        return (await Load(memcg.CssFlags) & CssFlags.CSS_DYING) != 0;
    }

    /// <summary>
    /// Port of <c>deferred_split_folio()</c> (mm/huge_memory.c, v6.13 with patch 2/4): no
    /// <c>get_deferred_split_queue()</c> or <c>folio_memcg()</c> up front; after the order, knob and
    /// swapcache tests the lock is <c>folio_split_queue_lock_irqsave()</c>. Under it, as v6.12: set
    /// PG_partially_mapped if asked, then queue if not queued. <c>folio_split_queue_memcg()</c> and
    /// the shrinker bit it is for are STUBBED; <c>folio_test_swapcache()</c> is false here.
    /// </summary>
    public override async Sim deferred_split_folio(FolioPtr folio, bool partially_mapped)
    {
        using var _ = Cpu.Enter(Fn.deferred_split_folio, folio.Addr);
        if (await folio_order(folio) <= 1)
            return;
        if (!partially_mapped && !split_underused_thp)
            return;
        var ds_queue = await folio_split_queue_lock(folio);
        if (partially_mapped)
        {
            if (!await folio_test_partially_mapped(folio))
                await partially_mapped_update(folio, set: true);
        }
        else if (await folio_test_partially_mapped(folio))
        {
            await Bug(BugKind.Accounting, $"WARNING: mm/huge_memory.c: VM_WARN_ON_FOLIO(folio_test_partially_mapped(folio)) ({Name(folio)}): a partially mapped folio cannot become non-partially mapped");
            return;
        }
        if (await list_empty(folio.DeferredList))
        {
            await list_add_tail(folio.DeferredList, ds_queue.SplitQueue);
            await split_queue_len_add(ds_queue, 1);
        }
        await spin_unlock(ds_queue.Lock);
    }

    /// <summary>
    /// The locked part of <c>__folio_unqueue_deferred_split()</c> (mm/huge_memory.c, v6.13 with patch 2/4):
    /// <c>ds_queue = folio_split_queue_lock_irqsave(folio, &amp;flags);</c> then, as v6.13, re-check,
    /// <c>split_queue_len--</c>, clear PG_partially_mapped, <c>list_del_init()</c>. Returns whether it
    /// unqueued. (Patch 1/4's <c>folio_memcg_charged()</c> in the WARN is left out as v6.13's is.)
    /// </summary>
    protected override async Sim<bool> __folio_undo_large_rmappable(FolioPtr folio)
    {
        bool unqueued = false;
        var ds_queue = await folio_split_queue_lock(folio);
        if (!await list_empty(folio.DeferredList))
        {
            await split_queue_len_add(ds_queue, -1);
            await clear_partially_mapped_on_unqueue(folio);
            await undo_list_del(folio.DeferredList);
            unqueued = true;
        }
        await spin_unlock(ds_queue.Lock);
        return unqueued;
    }

    /// <summary>
    /// The deferred-list part of <c>__folio_split()</c> (mm/huge_memory.c, folio_batch series):
    /// <c>ds_queue = folio_split_queue_lock(folio);</c> (patch 2/4) before the freeze, and patch 3/4's
    /// freeze block: <c>if (old_order &gt; 1) { if (!list_empty(&amp;folio-&gt;_deferred_list)) {
    /// ds_queue-&gt;split_queue_len--; list_del_init(&amp;folio-&gt;_deferred_list); } if
    /// (folio_test_partially_mapped(folio)) { folio_clear_partially_mapped(folio); ... } }</c> — the flag is
    /// cleared even when the folio is not queued (a folio split from the scan's batch is off every
    /// queue). CUSTOMISED as the base port: <c>can_split_folio()</c> is the freeze itself.
    /// </summary>
    protected override async Sim<int> split_folio(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.split_folio, folio.Addr);
        const int extra_pins = 0;       // anon, not in swap cache
        /* Prevent deferred_split_scan() touching ->_refcount */
        var ds_queue = await folio_split_queue_lock(folio);
        if (await folio_ref_freeze(folio, 1 + extra_pins))
        {
            if (await folio_order(folio) > 1)
            {
                if (!await list_empty(folio.DeferredList))
                {
                    await split_queue_len_add(ds_queue, -1);
                    await split_list_del(folio.DeferredList);
                }
                await clear_partially_mapped_on_unqueue(folio);
            }
            await spin_unlock(ds_queue.Lock);      // split_queue_unlock()
            await __split_huge_page(folio);
            return 0;
        }
        await spin_unlock(ds_queue.Lock);
        return -11;
    }

    /// <summary>
    /// Port of <c>mem_cgroup_css_offline()</c> (mm/memcontrol.c, with patch 4/4): as v6.9 (STUBBED),
    /// plus <c>reparent_deferred_split_queue(memcg);</c> after <c>memcg_offline_kmem()</c>.
    /// </summary>
    protected override Sim mem_cgroup_css_offline(MemcgPtr memcg) => reparent_deferred_split_queue(memcg);

    /// <summary>
    /// Port of <c>reparent_deferred_split_queue()</c> (mm/huge_memory.c, patch 4/4):
    /// <code>
    /// spin_lock_irq(&amp;ds_queue-&gt;split_queue_lock);
    /// spin_lock_nested(&amp;parent_ds_queue-&gt;split_queue_lock, SINGLE_DEPTH_NESTING);
    /// if (!ds_queue-&gt;split_queue_len) goto unlock;
    /// list_splice_tail_init(&amp;ds_queue-&gt;split_queue, &amp;parent_ds_queue-&gt;split_queue);
    /// parent_ds_queue-&gt;split_queue_len += ds_queue-&gt;split_queue_len;
    /// ds_queue-&gt;split_queue_len = 0;
    /// for_each_node(nid) set_shrinker_bit(parent, nid, shrinker_id(deferred_split_shrinker));
    /// unlock: ...
    /// </code>
    /// The child's lock first, then the parent's. STUBBED: <c>set_shrinker_bit()</c> (the memcg shrinker
    /// bitmap is not modelled; the scan operations name their queue).
    /// </summary>
    protected virtual async Sim reparent_deferred_split_queue(MemcgPtr memcg)
    {
        using var _ = Cpu.Enter(Fn.reparent_deferred_split_queue, memcg.Addr);
        var parent = World.ParentMemcg(memcg);
        var ds_queue = memcg.DeferredSplitQueue;
        var parent_ds_queue = parent.DeferredSplitQueue;
        await spin_lock(ds_queue.Lock);
        await spin_lock(parent_ds_queue.Lock);
        if (await Load(ds_queue.Len) != 0)
        {
            await list_splice_tail_init(ds_queue.SplitQueue, parent_ds_queue.SplitQueue);
            using (Cpu.Enter(Fn.split_queue_len_move, parent_ds_queue.Len.Addr))
            {
                ulong len = await Load(ds_queue.Len);
                await Store(parent_ds_queue.Len, await Load(parent_ds_queue.Len) + len);
                await Store(ds_queue.Len, 0UL);
            }
        }
        await spin_unlock(parent_ds_queue.Lock);
        await spin_unlock(ds_queue.Lock);
    }
}
