using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of <c>deferred_split_folio()</c> (mm/huge_memory.c, v6.13, unchanged since v6.12-rc1): the
/// patch drops <c>spin_lock_irqsave(&amp;ds_queue-&gt;split_queue_lock)</c> and its unlock, as if setting
/// PG_partially_mapped and queueing a folio nobody else holds needed no lock. The queue's head, its
/// tail folio and <c>split_queue_len</c> are still everyone's: the scan and the free path write them
/// under the lock. One of the lock removals of the mutation check (tests/ZooTests.cs, <c>MutationCheck</c>).
/// </summary>
public sealed class V6_13QueueUnlocked(World world, Cpu cpu) : KernelV6_13(world, cpu)
{
    /// <summary>Mutated <c>deferred_split_folio(folio, partially_mapped)</c> (v6.13): no queue lock.</summary>
    public override async Sim deferred_split_folio(FolioPtr folio, bool partially_mapped)
    {
        using var _ = Cpu.Enter(Fn.deferred_split_folio, folio.Addr);
        var ds_queue = await get_deferred_split_queue(folio);
        await folio_memcg(folio);
        if (await folio_order(folio) <= 1)
            return;
        if (!partially_mapped && !split_underused_thp)
            return;
        // MUTATION: no spin_lock_irqsave(&ds_queue->split_queue_lock, flags).
        if (partially_mapped)
        {
            if (!await folio_test_partially_mapped(folio))
                await mmfuzz_partially_mapped_update(folio, set: true);
        }
        else if (await folio_test_partially_mapped(folio))
        {
            await Bug(BugKind.Accounting, $"WARNING: CPU: {Cpu.Number} at mm/huge_memory.c deferred_split_folio: VM_WARN_ON_FOLIO(folio_test_partially_mapped(folio)) ({Name(folio)})");
            return;
        }
        if (await list_empty(folio.DeferredList))
        {
            await list_add_tail(folio.DeferredList, ds_queue.SplitQueue);
            await mmfuzz_split_queue_len_add(ds_queue, 1);
        }
        // MUTATION: no spin_unlock_irqrestore().
    }
}
