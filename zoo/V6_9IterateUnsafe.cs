using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of <c>deferred_split_scan()</c> loop 2 (mm/huge_memory.c, v6.9): the patch walks the on-stack
/// list with <c>list_for_each_entry()</c> instead of <c>list_for_each_entry_safe()</c>, so the successor
/// is read from <c>folio-&gt;_deferred_list.next</c> after the body, i.e. after <c>split_folio()</c> may have
/// unlinked the folio and after <c>folio_put()</c> dropped the scan's reference. If the put was not the
/// last, another CPU can free the folio first, and the walk reads a freed folio (or, after a split,
/// a self-linked entry).
/// </summary>
public sealed class V6_9IterateUnsafe(World world, Cpu cpu) : KernelV6_9(world, cpu)
{
    /// <summary>Mutated loop 2 of <c>deferred_split_scan()</c> (v6.9) and the splice: the successor is read after the put.</summary>
    protected override async Sim<int> mmfuzz_deferred_split_scan_split(QueuePtr ds_queue, ListPtr list)
    {
        int split = 0;
        // MUTATION: list_for_each_entry(folio, &list, _deferred_list): no `next` saved before the body.
        for (FolioPtr folio = await list_first_entry(list);
             folio.DeferredList != list;
             folio = await list_next_entry(folio))
        {
            if (await folio_trylock(folio))
            {
                if (await split_folio(folio) == 0)
                    split++;
                await folio_unlock(folio);
            }
            await folio_put(folio);
        }

        await spin_lock(ds_queue.Lock);
        await list_splice_tail(list, ds_queue.SplitQueue);
        await spin_unlock(ds_queue.Lock);
        return split;
    }
}
