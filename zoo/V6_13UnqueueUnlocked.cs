using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of <c>__folio_unqueue_deferred_split()</c> (mm/huge_memory.c, v6.13, f8f931bba0f9): the patch
/// re-checks, counts off and unlinks the folio without <c>split_queue_lock</c>, reasoning that its
/// refcount is 0 so nobody else holds it. The queue is not the folio's: its neighbours and
/// <c>split_queue_len</c> are written under no lock. One of the lock removals of the mutation check
/// (tests/ZooTests.cs, <c>MutationCheck</c>).
/// </summary>
public sealed class V6_13UnqueueUnlocked(World world, Cpu cpu) : KernelV6_13(world, cpu)
{
    /// <summary>Mutated locked part of the unqueue (v6.13): no queue lock.</summary>
    protected override async Sim<bool> __folio_undo_large_rmappable(FolioPtr folio)
    {
        bool unqueued = false;
        var ds_queue = await get_deferred_split_queue(folio);
        // MUTATION: no spin_lock_irqsave(&ds_queue->split_queue_lock, flags).
        if (!await list_empty(folio.DeferredList))
        {
            await mmfuzz_split_queue_len_add(ds_queue, -1);
            await mmfuzz_clear_partially_mapped_on_unqueue(folio);
            await mmfuzz_undo_list_del(folio.DeferredList);
            unqueued = true;
        }
        // MUTATION: no spin_unlock_irqrestore().
        return unqueued;
    }
}
