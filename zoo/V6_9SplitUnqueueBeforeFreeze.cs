using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of <c>split_huge_page_to_list_to_order()</c> (mm/huge_memory.c, v6.9, reached through
/// <c>split_folio()</c>): the patch takes the folio off the deferred list under <c>split_queue_lock</c>
/// BEFORE <c>folio_ref_freeze()</c>, and returns -EAGAIN when the freeze then fails, without putting
/// it back. The freeze is what proves nobody else holds the folio: without it first, a split by
/// another path unlinks a folio the scan has pinned on its on-stack list while loop 2 walks that
/// list without the lock (the mechanism of the v6.8–v6.10-rc1 migration race, docs/HISTORY.md §5.2).
/// </summary>
public sealed class V6_9SplitUnqueueBeforeFreeze(World world, Cpu cpu) : KernelV6_9(world, cpu)
{
    /// <summary>Mutated deferred-list part of <c>split_huge_page_to_list_to_order()</c> (v6.9): unqueue, then freeze.</summary>
    protected override async Sim<int> split_folio(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.split_folio, folio.Addr);
        var ds_queue = await get_deferred_split_queue(folio);
        const int extra_pins = 0;
        await spin_lock(ds_queue.Lock);
        // MUTATION: the unqueue no longer waits for the freeze to succeed.
        if (await folio_order(folio) > 1 && !await list_empty(folio.DeferredList))
        {
            await mmfuzz_split_queue_len_add(ds_queue, -1);
            await mmfuzz_clear_partially_mapped_on_unqueue(folio);
            await mmfuzz_split_list_del(folio.DeferredList);
        }
        if (await folio_ref_freeze(folio, 1 + extra_pins))
        {
            await spin_unlock(ds_queue.Lock);
            await __split_huge_page(folio);
            return 0;
        }
        await spin_unlock(ds_queue.Lock);
        return -EAGAIN;
    }
}
