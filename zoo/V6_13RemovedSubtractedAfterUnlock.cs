using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of <c>deferred_split_scan()</c>'s splice (mm/huge_memory.c, v6.13, e66f3185fa04): the patch moves
/// <c>ds_queue-&gt;split_queue_len -= removed;</c> after <c>spin_unlock_irqrestore()</c>, a read-modify-write
/// of the counter outside <c>split_queue_lock</c> that loses updates against the locked
/// <c>split_queue_len++</c>/<c>--</c> of every other CPU.
/// </summary>
public sealed class V6_13RemovedSubtractedAfterUnlock(World world, Cpu cpu) : KernelV6_13(world, cpu)
{
    /// <summary>Mutated loop 2 of <c>deferred_split_scan()</c> (v6.13) and the splice: the subtraction after the unlock.</summary>
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
                (folio, prev) = (prev, folio);
            }
            if (!folio.IsNull)
                await folio_put(folio);
        }

        await spin_lock(ds_queue.Lock);
        await list_splice_tail(list, ds_queue.SplitQueue);
        await spin_unlock(ds_queue.Lock);
        // MUTATION: outside the lock.
        await mmfuzz_split_queue_len_sub(ds_queue, removed);

        if (!prev.IsNull)
            await folio_put(prev);
        return split;
    }
}
