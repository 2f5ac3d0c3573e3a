using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of <c>deferred_split_scan()</c> loop 2 (mm/huge_memory.c, v6.13, e66f3185fa04): the patch keeps
/// <c>removed</c> and <c>split_queue_len -= removed</c> under the lock but drops the separator: a partially
/// mapped folio left on the on-stack list is <c>folio_put()</c> at once instead of being held as
/// <c>prev</c>. Its last reference can then go on another CPU, whose free path unqueues it under the
/// lock while the scan's unlocked <c>list_del_init()</c> of the next folio rewrites the same link:
/// Hugh Dickins' race of October 2024 (docs/HISTORY.md §5.1 (iv)) with half of its fix.
/// </summary>
public sealed class V6_13KeptFolioPutAtOnce(World world, Cpu cpu) : KernelV6_13(world, cpu)
{
    /// <summary>Mutated loop 2 of <c>deferred_split_scan()</c> (v6.13) and the splice: no <c>prev</c> separator.</summary>
    protected override async Sim<int> mmfuzz_deferred_split_scan_split(QueuePtr ds_queue, ListPtr list)
    {
        int split = 0;
        long removed = 0;
        for (FolioPtr folio = await list_first_entry(list), next = await list_next_entry(folio);
             folio.DeferredList != list;
             folio = next, next = await list_next_entry(next))
        {
            bool did_split = await mmfuzz_deferred_split_scan_try_split(folio);
            if (did_split)
                split++;
            // next:
            if (did_split)
            {
                /* folio already removed from list */
            }
            else if (!await folio_test_partially_mapped(folio))
            {
                await list_del_init(folio.DeferredList);
                removed++;
            }
            // MUTATION: no `else swap(folio, prev);` the kept folio's pin goes now.
            await folio_put(folio);
        }

        await spin_lock(ds_queue.Lock);
        await list_splice_tail(list, ds_queue.SplitQueue);
        await mmfuzz_split_queue_len_sub(ds_queue, removed);
        await spin_unlock(ds_queue.Lock);
        return split;
    }
}
