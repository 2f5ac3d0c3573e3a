using MmFuzz.Engine;

namespace MmFuzz.Kernel;

/// <summary>
/// <c>folio-batch</c>: the design the seed mail proposed ("use a folio_batch in deferred_split_scan()"),
/// as Muchun Song and Qi Zheng implemented it in 2025 ("mm: thp: use folio_batch to handle THP
/// splitting in deferred_split_scan()", v5, Oct 2025), on top of v6.13. Loop 1 takes every folio it
/// visits off the queue under the lock into a <c>folio_batch</c>; loop 2 works on the batch; folios
/// that stay partially mapped are re-queued under the lock. There is no on-stack list, so no list
/// is ever written without its queue's lock, and <c>split_queue_len</c> stays exact.
/// RECONSTRUCTED from the posted series (docs/HISTORY.md §4.8): whether and when it reached mainline is not verified.
/// </summary>
public class KernelFolioBatch(World world, Cpu cpu) : KernelV6_13(world, cpu)
{
    /// <summary>
    /// Port of <c>deferred_split_scan()</c> (mm/huge_memory.c, folio_batch series v5). CUSTOMISED:
    /// <c>split_queue_lock_irqsave(sc-&gt;nid, sc-&gt;memcg)</c> is the lock of the scanned queue;
    /// <c>folio_test_mlocked()</c> is false. The <c>goto retry</c> of later revisions (scan again while
    /// budget is left and the queue is not empty) is not modelled: each scan is one pass, as in the
    /// other variants, so the bounded search stays comparable. The loops are separate methods so that
    /// a patch to one overrides just that one.
    /// </summary>
    public override async Sim<long> deferred_split_scan(QueuePtr ds_queue, int nr_to_scan)
    {
        using var _ = Cpu.Enter(Fn.deferred_split_scan, ds_queue.Addr, nr_to_scan);
        var fbatch = new FolioBatch();
        await deferred_split_scan_fill(ds_queue, fbatch, nr_to_scan);
        int split = await deferred_split_scan_batch(fbatch);
        await folios_put_refs(fbatch, null);      // folios_put(&fbatch)
        return split;
    }

    /// <summary>
    /// Loop 1 of <c>deferred_split_scan()</c> (folio_batch series): under the queue lock, every folio
    /// visited leaves the queue (<c>list_del_init()</c>, <c>split_queue_len--</c>); the ones
    /// <c>folio_try_get()</c> pins go into the batch, the others are the lost-race branch.
    /// </summary>
    protected virtual async Sim deferred_split_scan_fill(QueuePtr ds_queue, FolioBatch fbatch, int nr_to_scan)
    {
        await spin_lock(ds_queue.Lock);
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
        await spin_unlock(ds_queue.Lock);
    }

    /// <summary>
    /// Loop 2 of <c>deferred_split_scan()</c> (folio_batch series), without the queue lock: for each
    /// pinned folio, split it if it is partially mapped (or underused) and its trylock succeeds;
    /// re-queue a partially mapped folio that was not split (<see cref="deferred_split_scan_requeue"/>).
    /// Returns the number split.
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
    /// folios that we could not lock this round", on the queue of <c>get_deferred_split_queue()</c>,
    /// under its lock, if the folio is not queued already.
    /// </summary>
    protected virtual async Sim deferred_split_scan_requeue(FolioPtr folio)
    {
        var fqueue = await get_deferred_split_queue(folio);
        await spin_lock(fqueue.Lock);
        if (await list_empty(folio.DeferredList))
        {
            await list_add_tail(folio.DeferredList, fqueue.SplitQueue);
            await split_queue_len_add(fqueue, 1);
        }
        await spin_unlock(fqueue.Lock);
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
