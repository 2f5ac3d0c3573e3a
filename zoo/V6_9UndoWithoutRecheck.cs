using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of <c>folio_undo_large_rmappable()</c> (mm/huge_memory.c, v6.9): the patch trusts the
/// unlocked <c>data_race(list_empty())</c> peek and drops the <c>if (!list_empty(&amp;folio-&gt;_deferred_list))</c>
/// re-check under <c>split_queue_lock</c>. If the scan's lost-race branch unlinked the folio between the
/// peek and the lock, the free path counts it off a second time: <c>split_queue_len</c> drifts (and,
/// being unsigned, wraps), while the second <c>list_del_init()</c> of a self-linked entry is a no-op.
/// </summary>
public sealed class V6_9UndoWithoutRecheck(World world, Cpu cpu) : KernelV6_9(world, cpu)
{
    /// <summary>Mutated <c>folio_undo_large_rmappable()</c> (v6.9): peek, lock, and count off without re-checking.</summary>
    protected override async Sim folio_undo_large_rmappable(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.folio_undo_large_rmappable, folio.Addr);
        if (await folio_order(folio) <= 1)
            return;
        if (await mmfuzz_list_empty_data_race(folio.DeferredList))
            return;
        var ds_queue = await get_deferred_split_queue(folio);
        await spin_lock(ds_queue.Lock);
        // MUTATION: no `if (!list_empty(&folio->_deferred_list))` here.
        await mmfuzz_split_queue_len_add(ds_queue, -1);
        await mmfuzz_clear_partially_mapped_on_unqueue(folio);
        await mmfuzz_undo_list_del(folio.DeferredList);
        await spin_unlock(ds_queue.Lock);
    }
}
