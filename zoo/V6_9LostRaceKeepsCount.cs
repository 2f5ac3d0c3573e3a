using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of <c>deferred_split_scan()</c> loop 1 (mm/huge_memory.c, v6.9): in the "We lost race with
/// folio_put()" branch the patch unlinks the folio whose <c>folio_try_get()</c> failed with
/// <c>list_del_init()</c> but forgets <c>ds_queue-&gt;split_queue_len--</c>. The free path then finds the
/// entry empty and does not count it off either, so the queue's length stays one too high.
/// </summary>
public sealed class V6_9LostRaceKeepsCount(World world, Cpu cpu) : KernelV6_9(world, cpu)
{
    /// <summary>Mutated loop 1 of <c>deferred_split_scan()</c> (v6.9): the lost-race branch does not decrement <c>split_queue_len</c>.</summary>
    protected override async Sim mmfuzz_deferred_split_scan_pin(QueuePtr ds_queue, ListPtr list, int nr_to_scan)
    {
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
                using var lost = Cpu.Enter(Fn.lost_race, folio.Addr);
                /* We lost race with folio_put() */
                await list_del_init(folio.DeferredList);
                // MUTATION: no ds_queue->split_queue_len--.
            }
            if (--nr_to_scan == 0)
                break;
        }
        await spin_unlock(ds_queue.Lock);
    }
}
