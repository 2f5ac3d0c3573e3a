using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of <c>deferred_split_scan()</c> loop 1 (mm/huge_memory.c, v6.13): the patch walks the queue,
/// pins each folio and moves it to the on-stack list without <c>split_queue_lock</c>, as if
/// <c>folio_try_get()</c> were protection enough. It pins the folio, not the queue: the
/// <c>list_move()</c> and the lost-race branch's unlink and <c>split_queue_len--</c> write the queue
/// under no lock. One of the lock removals of the mutation check (tests/ZooTests.cs, <c>MutationCheck</c>).
/// </summary>
public sealed class V6_13PinUnlocked(World world, Cpu cpu) : KernelV6_13(world, cpu)
{
    /// <summary>Mutated loop 1 of <c>deferred_split_scan()</c> (v6.13): no queue lock.</summary>
    protected override async Sim mmfuzz_deferred_split_scan_pin(QueuePtr ds_queue, ListPtr list, int nr_to_scan)
    {
        // MUTATION: no spin_lock_irqsave(&ds_queue->split_queue_lock, flags).
        /* Take pin on all head pages to avoid freeing them under us */
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
                await mmfuzz_clear_partially_mapped_on_unqueue(folio);
                await list_del_init(folio.DeferredList);
                await mmfuzz_split_queue_len_add(ds_queue, -1);
            }
            if (--nr_to_scan == 0)
                break;
        }
        // MUTATION: no spin_unlock_irqrestore().
    }
}
