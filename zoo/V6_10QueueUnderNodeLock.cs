using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of <c>deferred_split_folio()</c> (mm/huge_memory.c, v6.10): the patch takes
/// <c>NODE_DATA(folio_nid(folio))-&gt;deferred_split_queue.split_queue_lock</c> but still links the folio
/// on the queue <c>get_deferred_split_queue()</c> returns, which for a charged folio is its memcg's:
/// the memcg queue's list and <c>split_queue_len</c> are written under the wrong queue's lock.
/// </summary>
public sealed class V6_10QueueUnderNodeLock(World world, Cpu cpu) : KernelV6_10(world, cpu)
{
    /// <summary>Mutated <c>deferred_split_folio()</c> (v6.10): the node queue's lock around the memcg queue's list.</summary>
    public override async Sim deferred_split_folio(FolioPtr folio, bool partially_mapped)
    {
        using var _ = Cpu.Enter(Fn.deferred_split_folio, folio.Addr);
        var ds_queue = await get_deferred_split_queue(folio);
        await folio_memcg(folio);
        if (await folio_order(folio) <= 1)
            return;
        if (!await list_empty(folio.DeferredList))
            return;
        // MUTATION: the lock of the folio's node queue, whatever queue ds_queue is.
        var node_queue = World.NodeData(await folio_nid(folio)).DeferredSplitQueue;
        await spin_lock(node_queue.Lock);
        if (await list_empty(folio.DeferredList))
        {
            await list_add_tail(folio.DeferredList, ds_queue.SplitQueue);
            await mmfuzz_split_queue_len_add(ds_queue, 1);
        }
        await spin_unlock(node_queue.Lock);
    }
}
