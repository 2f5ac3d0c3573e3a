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
/// <remarks>
/// Loop 1 is not a virtual method of the port (<c>Kernel.deferred_split_scan_pin</c>), so this
/// overrides the whole of <c>deferred_split_scan()</c> with loop 1 inline and loop 2 unchanged.
/// </remarks>
public sealed class V6_13PinWithFolioGet(World world, Cpu cpu) : KernelV6_13(world, cpu)
{
    /// <summary>Mutated <c>deferred_split_scan()</c> (v6.13): loop 1 pins with <c>folio_get()</c>.</summary>
    public override async Sim<long> deferred_split_scan(QueuePtr ds_queue, int nr_to_scan)
    {
        using var _ = Cpu.Enter(Fn.deferred_split_scan, ds_queue.Addr, nr_to_scan);
        var list = await LIST_HEAD();
        // Loop 1.
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
        // Loop 2 and the splice, unchanged.
        int split = await deferred_split_scan_split(ds_queue, list);
        hook_stack_list_exit(list);
        if (split == 0 && await list_empty(ds_queue.SplitQueue))
            return -1;
        return split;
    }
}
