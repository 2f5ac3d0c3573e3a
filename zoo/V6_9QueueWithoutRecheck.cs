using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of <c>deferred_split_folio()</c> (mm/huge_memory.c, v6.9): the patch keeps the unlocked
/// <c>if (!list_empty(&amp;folio-&gt;_deferred_list)) return;</c> fast path and drops the same test under
/// <c>split_queue_lock</c>, as if the peek were enough. Two CPUs unmapping parts of the same THP both
/// see it unqueued, and the second <c>list_add_tail()</c> adds an entry that is already on the list.
/// </summary>
public sealed class V6_9QueueWithoutRecheck(World world, Cpu cpu) : KernelV6_9(world, cpu)
{
    /// <summary>Mutated <c>deferred_split_folio()</c> (v6.9): queue on the strength of the unlocked peek.</summary>
    public override async Sim deferred_split_folio(FolioPtr folio, bool partially_mapped)
    {
        using var _ = Cpu.Enter(Fn.deferred_split_folio, folio.Addr);
        var ds_queue = await get_deferred_split_queue(folio);
        await folio_memcg(folio);
        if (await folio_order(folio) <= 1)
            return;
        if (!await list_empty(folio.DeferredList))
            return;
        await spin_lock(ds_queue.Lock);
        // MUTATION: no `if (list_empty(&folio->_deferred_list))` under the lock.
        await list_add_tail(folio.DeferredList, ds_queue.SplitQueue);
        await mmfuzz_split_queue_len_add(ds_queue, 1);
        await spin_unlock(ds_queue.Lock);
    }
}
