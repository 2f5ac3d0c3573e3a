using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of the splice at the end of <c>deferred_split_scan()</c> (mm/huge_memory.c, v6.13,
/// e66f3185fa04): the patch splices the survivors back and subtracts <c>removed</c> from
/// <c>split_queue_len</c> without <c>split_queue_lock</c>, as if the scan owned the queue once loop 1
/// was done. Both write the queue everyone else writes under the lock. One of the lock removals of
/// the mutation check (tests/ZooTests.cs, <c>MutationCheck</c>).
/// </summary>
public sealed class V6_13SpliceUnlocked(World world, Cpu cpu) : KernelV6_13(world, cpu)
{
    /// <summary>Mutated loop 2 of <c>deferred_split_scan()</c> (v6.13) and the splice: no queue lock around the splice.</summary>
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
            if (did_split)
            {
                /* folio already removed from list */
            }
            else if (!await folio_test_partially_mapped(folio))
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

        // MUTATION: no spin_lock_irqsave(&ds_queue->split_queue_lock, flags) around the splice.
        await list_splice_tail(list, ds_queue.SplitQueue);
        await mmfuzz_split_queue_len_sub(ds_queue, removed);

        if (!prev.IsNull)
            await folio_put(prev);
        return split;
    }
}
