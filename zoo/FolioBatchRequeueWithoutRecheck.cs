using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of the re-queue in <c>deferred_split_scan()</c> loop 2 (mm/huge_memory.c, folio_batch series,
/// on v6.13): the patch drops <c>if (list_empty(&amp;folio-&gt;_deferred_list))</c> under the lock,
/// reasoning that loop 1 took every batched folio off the queue. But the rmap path may have queued it
/// again since (a partial unmap while it sat in the batch), and <c>list_add_tail()</c> of a linked
/// entry corrupts the queue (CONFIG_DEBUG_LIST: "list_add double add") and counts it twice.
/// </summary>
public sealed class FolioBatchRequeueWithoutRecheck(World world, Cpu cpu) : KernelFolioBatch(world, cpu)
{
    /// <summary>Mutated re-queue: no <c>list_empty()</c> re-check under the queue lock.</summary>
    protected override async Sim mmfuzz_deferred_split_scan_requeue(FolioPtr folio)
    {
        var fqueue = await folio_split_queue_lock(folio);
        await list_add_tail(folio.DeferredList, fqueue.SplitQueue);
        await mmfuzz_split_queue_len_add(fqueue, 1);
        await spin_unlock(fqueue.Lock);
    }
}
