using MmFuzz.Engine;

namespace MmFuzz.Kernel;

/// <summary>
/// <c>folio-batch</c>: the design the seed mail proposed ("use a folio_batch in deferred_split_scan()"),
/// as Muchun Song and Qi Zheng implemented it in 2025 ("mm: thp: use folio_batch to handle THP
/// splitting in deferred_split_scan()", v6 patch 3/4, 2025-11-10), on top of v6.13, with its companions:
/// patch 2/4 ("mm: thp: introduce folio_split_queue_lock and its variants": every queue lock goes
/// through <c>split_queue_lock()</c>) and patch 4/4 ("mm: thp: reparent the split queue during memcg
/// offline": that helper retries on the parent while the memcg is dying, and
/// <c>mem_cgroup_css_offline()</c> splices the queue onto the parent's) — KernelFolioBatch.Queue.cs.
/// Loop 1 takes every folio it visits off the queue under the lock into a <c>folio_batch</c>; loop 2
/// works on the batch; folios that stay partially mapped are re-queued under the lock; the scan goes
/// round again while budget and queue remain. There is no on-stack list, so no list is ever written
/// without its queue's lock, and <c>split_queue_len</c> stays exact (but for memcg offline's window: docs/FINDINGS.md §5).
/// RECONSTRUCTED from the posted series (docs/HISTORY.md §4.8): whether and when it reached mainline is not verified.
/// </summary>
public partial class KernelFolioBatch(World world, Cpu cpu) : KernelV6_13(world, cpu)
{
    /// <summary>
    /// Port of <c>deferred_split_scan()</c> (mm/huge_memory.c, folio_batch series v6 patch 3/4):
    /// <code>
    /// folio_batch_init(&amp;fbatch);
    /// retry:
    ///     ds_queue = split_queue_lock_irqsave(sc-&gt;nid, sc-&gt;memcg, &amp;flags);
    ///     list_for_each_entry_safe(...) { ... }              /* loop 1 */
    ///     split_queue_unlock_irqrestore(ds_queue, flags);
    ///     for (i = 0; i &lt; folio_batch_count(&amp;fbatch); i++) { ... }   /* loop 2 */
    ///     folios_put(&amp;fbatch);
    ///     if (sc-&gt;nr_to_scan &amp;&amp; !list_empty(&amp;ds_queue-&gt;split_queue)) { cond_resched(); goto retry; }
    ///     if (!split &amp;&amp; list_empty(&amp;ds_queue-&gt;split_queue)) return SHRINK_STOP;
    ///     return split;
    /// </code>
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
            nr_to_scan = await deferred_split_scan_fill(ds_queue, fbatch, nr_to_scan);
            await spin_unlock(ds_queue.Lock);      // split_queue_unlock_irqrestore()
            split += await deferred_split_scan_batch(fbatch);
            await deferred_split_scan_put(fbatch);
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
    protected virtual async Sim<int> deferred_split_scan_fill(QueuePtr ds_queue, FolioBatch fbatch, int nr_to_scan)
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
                    await partially_mapped_update(folio, set: false);   /* We lost race with folio_put() */
                await list_del_init(folio.DeferredList);
                await split_queue_len_add(ds_queue, -1);
            }
            if (--nr_to_scan == 0)
                break;
            if (fbatch.folios.Length - fbatch.nr == 0)      // !folio_batch_space(&fbatch)
                break;
        }
        return nr_to_scan;
    }

    /// <summary>
    /// Loop 2 of <c>deferred_split_scan()</c> (folio_batch series), without the queue lock: for each
    /// pinned folio, split it if it is partially mapped (or underused) and its trylock succeeds;
    /// re-queue a partially mapped folio that was not split (<see cref="deferred_split_scan_requeue"/>).
    /// A failed trylock goes straight to the re-queue: 3bac01168982's <c>goto requeue</c> (2026), on top of
    /// v6, whose <c>goto next</c> re-queued only a partially mapped folio and so dropped an underused
    /// one it could not lock (docs/FINDINGS.md §2b). Returns the number split.
    /// </summary>
    protected virtual async Sim<int> deferred_split_scan_batch(FolioBatch fbatch)
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
                goto requeue;
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
            await deferred_split_scan_requeue(folio);
        }
        return split;
    }

    /// <summary>
    /// The re-queue in loop 2 (folio_batch series): "Add back partially mapped folios, or underused
    /// folios that we could not lock this round", under <c>folio_split_queue_lock_irqsave()</c> (the
    /// folio's queue, or its dying memcg's parent's), if the folio is not queued already.
    /// </summary>
    protected virtual async Sim deferred_split_scan_requeue(FolioPtr folio)
    {
        var fqueue = await folio_split_queue_lock(folio);
        if (await list_empty(folio.DeferredList))
        {
            await list_add_tail(folio.DeferredList, fqueue.SplitQueue);
            await split_queue_len_add(fqueue, 1);
        }
        await spin_unlock(fqueue.Lock);       // split_queue_unlock_irqrestore()
    }

    /// <summary>
    /// <c>folios_put(&amp;fbatch)</c> after loop 2: drops the batch's pins (<c>folios_put_refs(fbatch, NULL)</c>),
    /// which empties the batch for the next pass (<c>free_unref_folios()</c>' <c>folio_batch_reinit()</c>,
    /// which the model's <see cref="Kernel.free_unref_folios"/> leaves to its callers).
    /// </summary>
    protected virtual async Sim deferred_split_scan_put(FolioBatch fbatch)
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
}
