using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of <c>deferred_split_scan()</c> loop 2 (mm/huge_memory.c, folio_batch series, Muchun Song /
/// Qi Zheng 2025, on v6.13): the patch re-queues a folio that stays partially mapped (or could not be
/// locked) with <c>list_empty()</c>, <c>list_add_tail()</c> and <c>split_queue_len++</c> but without
/// <c>split_queue_lock_irqsave()</c>, reasoning that the batch's reference and the folio lock keep the
/// folio to itself. They do not protect the queue: its head, its tail folio and its length are written
/// without the queue's lock.
/// </summary>
/// <remarks>
/// <see cref="KernelFolioBatch"/> is sealed, so this derives from <see cref="KernelV6_13"/>, its base, and
/// overrides the one function <see cref="KernelFolioBatch"/> overrides: its <c>deferred_split_scan()</c>,
/// copied with the patch applied.
/// </remarks>
public sealed class FolioBatchRequeueUnlocked(World world, Cpu cpu) : KernelV6_13(world, cpu)
{
    /// <summary>Mutated <c>deferred_split_scan()</c> (folio-batch): the re-queue without the queue lock.</summary>
    public override async Sim<long> deferred_split_scan(QueuePtr ds_queue, int nr_to_scan)
    {
        using var _ = Cpu.Enter(Fn.deferred_split_scan, ds_queue.Addr, nr_to_scan);
        var fbatch = new FolioBatch();
        int split = 0;
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
            /*
             * Add back partially mapped folios, or underused folios that
             * we could not lock this round.
             */
            var fqueue = await get_deferred_split_queue(folio);
            // MUTATION: no spin_lock_irqsave(&fqueue->split_queue_lock) / spin_unlock_irqrestore().
            if (await list_empty(folio.DeferredList))
            {
                await list_add_tail(folio.DeferredList, fqueue.SplitQueue);
                await split_queue_len_add(fqueue, 1);
            }
        }
        await folios_put_refs(fbatch, null);      // folios_put(&fbatch)
        return split;
    }
}
