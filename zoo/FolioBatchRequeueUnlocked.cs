using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of the re-queue in <c>deferred_split_scan()</c> loop 2 (mm/huge_memory.c, folio_batch series,
/// Muchun Song / Qi Zheng 2025, on v6.13): the patch re-queues a folio that stays partially mapped (or
/// could not be locked) with <c>list_empty()</c>, <c>list_add_tail()</c> and <c>split_queue_len++</c> but
/// without <c>split_queue_lock_irqsave()</c>, reasoning that the batch's reference and the folio lock keep
/// the folio to itself. They do not protect the queue: its head, its tail folio and its length are
/// written without the queue's lock.
/// </summary>
public sealed class FolioBatchRequeueUnlocked(World world, Cpu cpu) : KernelFolioBatch(world, cpu)
{
    /// <summary>Mutated re-queue: no <c>spin_lock_irqsave(&amp;fqueue-&gt;split_queue_lock)</c> / <c>spin_unlock_irqrestore()</c>.</summary>
    protected override async Sim mmfuzz_deferred_split_scan_requeue(FolioPtr folio)
    {
        var fqueue = await get_deferred_split_queue(folio);
        if (await list_empty(folio.DeferredList))
        {
            await list_add_tail(folio.DeferredList, fqueue.SplitQueue);
            await mmfuzz_split_queue_len_add(fqueue, 1);
        }
    }
}
