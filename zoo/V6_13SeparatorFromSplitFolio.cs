using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of <c>deferred_split_scan()</c> loop 2 (mm/huge_memory.c, v6.13): e66f3185fa04 as first posted,
/// without its follow-up a3477c9e02cc. The test is <c>if (!did_split &amp;&amp; !folio_test_partially_mapped(folio))
/// list_del_init() else swap(folio, prev);</c>, so a folio the scan has just split, already off the list,
/// becomes the separator <c>prev</c> and the partially mapped folio it replaces is released: nothing
/// pinned separates that folio from the next unlocked <c>list_del_init()</c>.
/// </summary>
public sealed class V6_13SeparatorFromSplitFolio(World world, Cpu cpu) : KernelV6_13(world, cpu)
{
    /// <summary>Mutated loop 2 of <c>deferred_split_scan()</c> (v6.13) and the splice: a split folio can become <c>prev</c>.</summary>
    protected override async Sim<int> mmfuzz_deferred_split_scan_split(QueuePtr ds_queue, ListPtr list)
    {
        int split = 0;
        long removed = 0;
        FolioPtr prev = default;
        for (FolioPtr folio = await list_first_entry(list), next = await list_next_entry(folio);
             folio.DeferredList != list;
             folio = next, next = await list_next_entry(next))
        {
            bool did_split = await mmfuzz_deferred_split_scan_try_split(folio);
            if (did_split)
                split++;
            // next:
            // MUTATION: the `if (did_split) { /* folio already removed from list */ }` case of a3477c9e02cc is missing.
            if (!did_split && !await folio_test_partially_mapped(folio))
            {
                await list_del_init(folio.DeferredList);
                removed++;
            }
            else
            {
                (folio, prev) = (prev, folio);
            }
            if (!folio.IsNull)
                await folio_put(folio);
        }

        await spin_lock(ds_queue.Lock);
        await list_splice_tail(list, ds_queue.SplitQueue);
        await mmfuzz_split_queue_len_sub(ds_queue, removed);
        await spin_unlock(ds_queue.Lock);

        if (!prev.IsNull)
            await folio_put(prev);
        return split;
    }
}
