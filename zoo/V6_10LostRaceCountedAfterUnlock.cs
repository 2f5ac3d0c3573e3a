using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of <c>deferred_split_scan()</c> loop 1 (mm/huge_memory.c, v6.10): to shorten the locked
/// section, the patch counts the folios of the "We lost race with folio_put()" branch in a local
/// <c>lost</c> and subtracts them from <c>ds_queue-&gt;split_queue_len</c> after
/// <c>spin_unlock_irqrestore()</c>: a read-modify-write of the counter outside the queue lock, which
/// loses updates against every locked <c>split_queue_len++</c>/<c>--</c>.
/// </summary>
public sealed class V6_10LostRaceCountedAfterUnlock(World world, Cpu cpu) : KernelV6_10(world, cpu)
{
    /// <summary>Mutated loop 1 of <c>deferred_split_scan()</c> (v6.10): the lost-race folios are subtracted from <c>split_queue_len</c> after the unlock.</summary>
    protected override async Sim mmfuzz_deferred_split_scan_pin(QueuePtr ds_queue, ListPtr list, int nr_to_scan)
    {
        long lost = 0;
        await spin_lock(ds_queue.Lock);
        var head = ds_queue.SplitQueue;
        for (FolioPtr folio = await list_first_entry(head), next = await list_next_entry(folio);
             folio.DeferredList != head;
             folio = next, next = await list_next_entry(next))
        {
            if (await folio_try_get(folio))
            {
                await list_move(folio.DeferredList, list);
            }
            else
            {
                using var race = Cpu.Enter(Fn.lost_race, folio.Addr);
                /* We lost race with folio_put() */
                await list_del_init(folio.DeferredList);
                lost++;
            }
            if (--nr_to_scan == 0)
                break;
        }
        await spin_unlock(ds_queue.Lock);
        // MUTATION: ds_queue->split_queue_len -= lost, without the lock.
        if (lost != 0)
            await mmfuzz_split_queue_len_add(ds_queue, -lost);
    }
}
