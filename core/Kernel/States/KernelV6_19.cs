using MmFuzz.Engine;

namespace MmFuzz.Kernel;

/// <summary>
/// <c>v6.19</c>: v6.13 plus the folio_batch series as merged (Muchun Song, Qi Zheng): fd603ae11e72 "mm:
/// thp: replace folio_memcg() with folio_memcg_charged()", ad7c7f4576a5 "mm: thp: introduce
/// folio_split_queue_lock and its variants" (every queue lock goes through <c>split_queue_lock()</c>),
/// 776bde7caf80 "mm: thp: use folio_batch to handle THP splitting in deferred_split_scan()" and
/// 46156dba32cb "mm: thp: reparent the split queue during memcg offline" (that helper retries on the
/// parent while the memcg is dying, and <c>mem_cgroup_css_offline()</c> splices the queue onto the
/// parent's) — the second half of this file. They came with tag mm-stable-2025-12-03-21-26, which Linus
/// merged on 2025-12-05 (7203ca412fc8) in the 6.19 merge window: the first release with them is v6.19
/// (docs/SOURCES.md §1.4). The state stands for v6.19 and v7.0: the two 2026 commits on top of it
/// (a2e0c0668a34, 3bac01168982) came together in the 7.1 merge window.
/// Loop 1 takes every folio it visits off the queue under the lock into a <c>folio_batch</c>; loop 2
/// works on the batch; folios that stay partially mapped are re-queued under the lock; the scan goes
/// round again while budget and queue remain. There is no on-stack list, so no list is ever written
/// without its queue's lock, and <c>split_queue_len</c> stays exact (but for memcg offline's window:
/// docs/FINDINGS.md §5). Loop 2's failed <c>folio_trylock()</c> goes to <c>next:</c>, which drops an
/// underused folio (docs/FINDINGS.md §2b). Migration does not requeue its destination (no
/// a2e0c0668a34). Written from the posted v6 series (docs/HISTORY.md §4.8) and checked against 7.1.8's
/// mm/huge_memory.c (<c>deferred_split_scan()</c> lines 4530-4625, the lock helpers 1163-1244,
/// <c>reparent_deferred_split_queue()</c> 4628-4651): the same logic, less what the port leaves out
/// (listed in docs/SOURCES.md §3.9; an mlocked skip is not modelled: no folio is mlocked), and less
/// 3bac01168982's <c>goto requeue</c>. docs/SOURCES.md §1.4, §3.9, §3.10.
/// </summary>
public class KernelV6_19(World world, Cpu cpu) : KernelV6_13(world, cpu)
{
    /// <summary>Memcg offline reparents the deferred split queue (patch 4/4).</summary>
    public static new KernelTraits Traits { get; } = KernelV6_13.Traits with { ReparentsSplitQueue = true };

    /// <summary>
    /// Port of <c>deferred_split_scan()</c> (mm/huge_memory.c, folio_batch series v6 patch 3/4; 7.1.8
    /// lines 4530-4625): an empty batch; then, at <c>retry:</c>, lock the queue of
    /// <c>(sc-&gt;nid, sc-&gt;memcg)</c> with <c>split_queue_lock_irqsave()</c>, run loop 1, unlock, run
    /// loop 2 on the batch and drop its pins with <c>folios_put()</c>; go round again while
    /// <c>sc-&gt;nr_to_scan</c> is left and the queue is not empty; return SHRINK_STOP if nothing was split
    /// and the queue is empty, else the number split (docs/SOURCES.md §3.9).
    /// CUSTOMISED: <c>sc-&gt;memcg</c> is the memcg whose queue the operation names (NULL for the node's),
    /// <c>sc-&gt;nid</c> node 0; <c>folio_test_mlocked()</c> is false. The retry's <c>list_empty()</c> reads
    /// the last locked queue without the lock (a <c>READ_ONCE</c>); a folio re-queued in loop 2 is
    /// visited again on the next pass, until <c>nr_to_scan</c> is spent. The loops are separate methods
    /// so that a patch to one overrides just that one.
    /// </summary>
    public override async Sim<long> deferred_split_scan(QueuePtr queue, int nr_to_scan)
    {
        using var _ = Cpu.Enter(Fn.deferred_split_scan, queue.Addr, nr_to_scan);
        const int sc_nid = 0;
        var sc_memcg = World.MemcgOfQueue(queue);
        var fbatch = new FolioBatch();
        int split = 0;
        QueuePtr ds_queue;
        while (true)
        {
            // retry:
            ds_queue = await split_queue_lock(sc_nid, sc_memcg);
            nr_to_scan = await mmfuzz_deferred_split_scan_fill(ds_queue, fbatch, nr_to_scan);
            await spin_unlock(ds_queue.Lock);      // split_queue_unlock_irqrestore()
            split += await mmfuzz_deferred_split_scan_batch(fbatch);
            await mmfuzz_deferred_split_scan_put(fbatch);
            if (nr_to_scan == 0 || await list_empty(ds_queue.SplitQueue))
                break;
            // cond_resched(); goto retry;
        }
        if (split == 0 && await list_empty(ds_queue.SplitQueue))
            return -1;   // SHRINK_STOP
        return split;
    }

    /// <summary>
    /// Loop 1 of <c>deferred_split_scan()</c> (folio_batch series v6 patch 3/4), under the lock the
    /// caller took: every folio visited leaves the queue (<c>list_del_init()</c>,
    /// <c>split_queue_len--</c>); the ones <c>folio_try_get()</c> pins go into the batch, the others are
    /// the lost-race branch. Stops when <c>--sc-&gt;nr_to_scan</c> reaches 0 or the batch is full.
    /// Returns what is left of <c>sc-&gt;nr_to_scan</c>.
    /// </summary>
    protected virtual async Sim<int> mmfuzz_deferred_split_scan_fill(QueuePtr ds_queue, FolioBatch fbatch, int nr_to_scan)
    {
        /* Take pin on all head pages to avoid freeing them under us */
        var head = ds_queue.SplitQueue;
        for (FolioPtr folio = await list_first_entry(head), next = await list_next_entry(folio);
             folio.DeferredList != head;
             folio = next, next = await list_next_entry(next))
        {
            bool pinned = await folio_try_get(folio);
            if (pinned)
            {
                using (Cpu.Enter(Fn.folio_batch_add, folio.Addr))
                    fbatch.add(folio);
            }
            // Off the queue, under the lock; for a folio whose try_get failed this is the lost-race branch.
            using (Cpu.Enter(pinned ? Fn.lost_race_or_batched : Fn.lost_race, folio.Addr))
            {
                if (!pinned && await folio_test_partially_mapped(folio))
                    await mmfuzz_partially_mapped_update(folio, set: false);   /* We lost race with folio_put() */
                await list_del_init(folio.DeferredList);
                await mmfuzz_split_queue_len_add(ds_queue, -1);
            }
            if (--nr_to_scan == 0)
                break;
            if (fbatch.folios.Length - fbatch.nr == 0)      // !folio_batch_space(&fbatch)
                break;
        }
        return nr_to_scan;
    }

    /// <summary>
    /// Loop 2 of <c>deferred_split_scan()</c> (folio_batch series, 776bde7caf80 as merged), without the
    /// queue lock: for each pinned folio, split it if it is partially mapped (or underused) and its
    /// trylock succeeds; re-queue a partially mapped folio that was not split
    /// (<see cref="mmfuzz_deferred_split_scan_requeue"/>). A failed trylock goes to <c>next:</c>, which
    /// re-queues only a partially mapped folio: an underused one another task held locked for a moment
    /// is dropped without being tried, "silently lost from split_queue" (3bac01168982, 2026, which makes
    /// it <c>goto requeue</c>: <see cref="KernelFolioBatch"/>, <see cref="KernelV7_1"/>). Returns the number split.
    /// </summary>
    protected virtual Sim<int> mmfuzz_deferred_split_scan_batch(FolioBatch fbatch) =>
        mmfuzz_deferred_split_scan_loop2(fbatch, requeue_unlocked: false);

    /// <summary>
    /// The body of loop 2 in both its versions: as merged (776bde7caf80), a failed <c>folio_trylock()</c>
    /// goes to <c>next:</c>; with <paramref name="requeue_unlocked"/>, 3bac01168982's scan half, to
    /// <c>requeue:</c> ("Add back partially mapped folios, or underused folios that we could not lock
    /// this round"; 7.1.8 mm/huge_memory.c lines 4570-4614). Returns the number split.
    /// </summary>
    protected async Sim<int> mmfuzz_deferred_split_scan_loop2(FolioBatch fbatch, bool requeue_unlocked)
    {
        int split = 0;
        for (int i = 0; i < fbatch.count; i++)
        {
            bool did_split = false;
            bool underused = false;
            var folio = fbatch.folios[i];
            if (!await folio_test_partially_mapped(folio))
            {
                underused = thp_underused(folio);
                if (!underused)
                    goto next;
            }
            if (!await folio_trylock(folio))
            {
                if (requeue_unlocked)
                    goto requeue;
                goto next;
            }
            if (await split_folio(folio) == 0)
            {
                did_split = true;
                split++;
            }
            await folio_unlock(folio);
        next:
            if (did_split || !await folio_test_partially_mapped(folio))
                continue;
        requeue:
            await mmfuzz_deferred_split_scan_requeue(folio);
        }
        return split;
    }

    /// <summary>
    /// The re-queue in loop 2 (folio_batch series): a partially mapped folio not split (and, from
    /// 3bac01168982 on, an underused one the scan could not lock) goes back under
    /// <c>folio_split_queue_lock_irqsave()</c> (the folio's queue, or its dying memcg's parent's), if the
    /// folio is not queued already.
    /// </summary>
    protected virtual async Sim mmfuzz_deferred_split_scan_requeue(FolioPtr folio)
    {
        var fqueue = await folio_split_queue_lock(folio);
        if (await list_empty(folio.DeferredList))
        {
            await list_add_tail(folio.DeferredList, fqueue.SplitQueue);
            await mmfuzz_split_queue_len_add(fqueue, 1);
        }
        await spin_unlock(fqueue.Lock);       // split_queue_unlock_irqrestore()
    }

    /// <summary>
    /// <c>folios_put(&amp;fbatch)</c> after loop 2: drops the batch's pins (<c>folios_put_refs(fbatch, NULL)</c>),
    /// which empties the batch for the next pass (<c>free_unref_folios()</c>' <c>folio_batch_reinit()</c>,
    /// which the model's <see cref="Kernel.free_unref_folios"/> leaves to its callers).
    /// </summary>
    protected virtual async Sim mmfuzz_deferred_split_scan_put(FolioBatch fbatch)
    {
        await folios_put_refs(fbatch, null);
        fbatch.reinit();
    }

    /// <summary>
    /// memcg v1 charge moving does not exist here: 6b611388b626 "memcg-v1: remove charge move code"
    /// (Shakeel Butt, 6.13-rc1) removed it before the folio_batch series, so a task's move between
    /// cgroups leaves its folios' charges where they are. (The <c>v6.13</c> port keeps v6.12's fixed form,
    /// f8f931bba0f9, as the last form the path had; this series' re-queue of an underused folio it could
    /// not lock would make that form's <c>WARN_ON_ONCE(folio_unqueue_deferred_split())</c> fire, a
    /// combination no kernel has.)
    /// </summary>
    public override Sim mem_cgroup_move_charge_pte_range(FolioPtr folio, MemcgPtr from, MemcgPtr to) => default;

    // The folio_batch series' queue locking (v6 patch 2/4, "mm: thp: introduce folio_split_queue_lock and
    // its variants", Muchun Song) and memcg offline (patch 4/4, "mm: thp: reparent the split queue during
    // memcg offline", Qi Zheng), 2025-11-10, mm/huge_memory.c and mm/memcontrol.c. Every user of a
    // queue's lock takes it through split_queue_lock(), which re-checks under the lock whether the memcg
    // is dying and then retries on its parent; offline splices the dying memcg's queue onto the parent's.

    /// <summary>
    /// Port of <c>split_queue_lock()</c> / <c>split_queue_lock_irqsave()</c> (patch 2/4, with patch 4/4's retry;
    /// 7.1.8 mm/huge_memory.c 1181-1217): lock the queue <c>memcg_split_queue(nid, memcg)</c> names; if,
    /// under that lock, <c>memcg_is_dying(memcg)</c>, unlock, move to <c>parent_mem_cgroup(memcg)</c> and
    /// start again. The patch's comment there names the window between a memcg's dying and the
    /// reparenting, in which its queued THPs are out of the shrinker's reach (docs/FINDINGS.md §5).
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
            await mmfuzz_split_queue_len_add(ds_queue, -1);
            await mmfuzz_clear_partially_mapped_on_unqueue(folio);
            await mmfuzz_undo_list_del(folio.DeferredList);
            unqueued = true;
        }
        await spin_unlock(ds_queue.Lock);
        return unqueued;
    }

    /// <summary>
    /// The deferred-list part of <c>__folio_split()</c> (mm/huge_memory.c, folio_batch series):
    /// <c>ds_queue = folio_split_queue_lock(folio);</c> (patch 2/4) before the freeze, and patch 3/4's
    /// freeze block: for order &gt; 1, count off and <c>list_del_init()</c> if linked, then clear
    /// PG_partially_mapped whether it was linked or not (a folio split from the scan's batch is off every
    /// queue; 7.1.8 mm/huge_memory.c 3903-3926, docs/SOURCES.md §3.9). CUSTOMISED as the base port:
    /// <c>can_split_folio()</c> is the freeze itself.
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
                    await mmfuzz_split_queue_len_add(ds_queue, -1);
                    await mmfuzz_split_list_del(folio.DeferredList);
                }
                await mmfuzz_clear_partially_mapped_on_unqueue(folio);
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
    /// Port of <c>reparent_deferred_split_queue()</c> (mm/huge_memory.c, patch 4/4; 7.1.8 lines
    /// 4628-4651): take the child's queue lock, then the parent's (nested); if the child's
    /// <c>split_queue_len</c> is not 0, <c>list_splice_tail_init()</c> its queue onto the parent's, add its
    /// length to the parent's and zero it, and set the parent's shrinker bit on every node; unlock in
    /// reverse order. STUBBED: <c>set_shrinker_bit()</c> (the memcg shrinker bitmap is not modelled; the
    /// scan operations name their queue).
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
