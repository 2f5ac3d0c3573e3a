using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of the re-queue in <c>deferred_split_scan()</c> loop 2 (mm/huge_memory.c, folio_batch series,
/// on v6.13): the patch tests <c>list_empty(&amp;folio-&gt;_deferred_list)</c> before taking the lock, to
/// skip the lock for a folio that is already queued, and then adds it under the lock without testing
/// again. Between the test and the lock the rmap path can queue the folio: the add is then a double add.
/// </summary>
public sealed class FolioBatchRequeueCheckOutsideLock(World world, Cpu cpu) : KernelFolioBatch(world, cpu)
{
    /// <summary>Mutated re-queue: <c>list_empty()</c> tested before the lock, not under it.</summary>
    protected override async Sim mmfuzz_deferred_split_scan_requeue(FolioPtr folio)
    {
        if (await list_empty(folio.DeferredList))
        {
            var fqueue = await folio_split_queue_lock(folio);
            await list_add_tail(folio.DeferredList, fqueue.SplitQueue);
            await mmfuzz_split_queue_len_add(fqueue, 1);
            await spin_unlock(fqueue.Lock);
        }
    }
}
