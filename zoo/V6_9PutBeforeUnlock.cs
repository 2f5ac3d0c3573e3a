using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of <c>deferred_split_scan()</c> loop 2 (mm/huge_memory.c, v6.9): the patch drops the scan's
/// reference with <c>folio_put()</c> right after <c>split_folio()</c>, before <c>folio_unlock()</c>. If the
/// other holders have dropped theirs meanwhile (or drop them right after), the folio is freed while
/// the scan still holds PG_locked ("Bad page state": PAGE_FLAGS_CHECK_AT_FREE), and the scan's
/// <c>folio_unlock()</c> then writes the flags of a freed folio.
/// </summary>
public sealed class V6_9PutBeforeUnlock(World world, Cpu cpu) : KernelV6_9(world, cpu)
{
    /// <summary>Mutated loop 2 of <c>deferred_split_scan()</c> (v6.9) and the splice: put, then unlock.</summary>
    protected override async Sim<int> mmfuzz_deferred_split_scan_split(QueuePtr ds_queue, ListPtr list)
    {
        int split = 0;
        for (FolioPtr folio = await list_first_entry(list), next = await list_next_entry(folio);
             folio.DeferredList != list;
             folio = next, next = await list_next_entry(next))
        {
            if (await folio_trylock(folio))
            {
                if (await split_folio(folio) == 0)
                    split++;
                // MUTATION: the reference is dropped while the folio lock is still held.
                await folio_put(folio);
                await folio_unlock(folio);
            }
            else
            {
                await folio_put(folio);
            }
        }

        await spin_lock(ds_queue.Lock);
        await list_splice_tail(list, ds_queue.SplitQueue);
        await spin_unlock(ds_queue.Lock);
        return split;
    }
}
