using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of <c>deferred_split_scan()</c> loop 1 (mm/huge_memory.c, v6.13): the patch pins each queued
/// folio with <c>folio_get()</c> instead of <c>folio_try_get()</c> ("the queue lock keeps it alive") and
/// drops the lost-race branch. The queue lock does not protect the refcount: a folio whose last
/// reference is already gone, waiting for its free path to take the lock and unqueue it, is pinned
/// at refcount 0 (<c>VM_BUG_ON_FOLIO(folio_ref_zero_or_close_to_overflow(folio))</c>; without
/// CONFIG_DEBUG_VM, a use after free).
/// </summary>
public sealed class V6_13PinWithFolioGet(World world, Cpu cpu) : KernelV6_13(world, cpu)
{
    /// <summary>Mutated loop 1 of <c>deferred_split_scan()</c> (v6.13): pins with <c>folio_get()</c>.</summary>
    protected override async Sim mmfuzz_deferred_split_scan_pin(QueuePtr ds_queue, ListPtr list, int nr_to_scan)
    {
        await spin_lock(ds_queue.Lock);
        var head = ds_queue.SplitQueue;
        for (FolioPtr folio = await list_first_entry(head), next = await list_next_entry(folio);
             folio.DeferredList != head;
             folio = next, next = await list_next_entry(next))
        {
            // MUTATION: folio_get() for `if (folio_try_get(folio)) ... else { /* We lost race with folio_put() */ ... }`.
            await folio_get(folio);
            await list_move(folio.DeferredList, list);
            if (--nr_to_scan == 0)
                break;
        }
        await spin_unlock(ds_queue.Lock);
    }
}
