using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of <c>split_huge_page_to_list_to_order()</c> (mm/huge_memory.c, v6.10, reached through
/// <c>split_folio()</c>): to shorten the <c>split_queue_lock</c> section, the patch counts the folio off
/// (<c>split_queue_len--</c>) under the lock but unlinks it with <c>list_del_init()</c> after
/// <c>spin_unlock()</c>, reasoning that a frozen folio cannot be touched by anyone else. Its neighbours
/// can: when the scan splits a folio on its on-stack list, the unlocked unlink rewrites the link of
/// the folio before it, which that folio's free path may be unqueueing under the lock at the same
/// time (the mechanism of v6.12-rc1's race, docs/HISTORY.md §5.1 (iv), in the split path).
/// </summary>
public sealed class V6_10SplitUnlinkAfterUnlock(World world, Cpu cpu) : KernelV6_10(world, cpu)
{
    /// <summary>Mutated deferred-list part of <c>split_huge_page_to_list_to_order()</c> (v6.10): unlink after the unlock.</summary>
    protected override async Sim<int> split_folio(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.split_folio, folio.Addr);
        var ds_queue = await get_deferred_split_queue(folio);
        const int extra_pins = 0;
        await spin_lock(ds_queue.Lock);
        if (await folio_ref_freeze(folio, 1 + extra_pins))
        {
            bool queued = false;
            if (await folio_order(folio) > 1 && !await list_empty(folio.DeferredList))
            {
                await mmfuzz_split_queue_len_add(ds_queue, -1);
                await mmfuzz_clear_partially_mapped_on_unqueue(folio);
                queued = true;
            }
            await spin_unlock(ds_queue.Lock);
            // MUTATION: list_del_init(&folio->_deferred_list) moved out of the locked section.
            if (queued)
                await mmfuzz_split_list_del(folio.DeferredList);
            await __split_huge_page(folio);
            return 0;
        }
        await spin_unlock(ds_queue.Lock);
        return -EAGAIN;
    }
}
