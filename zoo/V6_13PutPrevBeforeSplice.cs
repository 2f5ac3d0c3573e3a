using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// EQUIVALENT mutant of <c>deferred_split_scan()</c> loop 2 (mm/huge_memory.c, v6.13, e66f3185fa04): the
/// patch drops the separator <c>prev</c> with <c>folio_put()</c> as soon as the walk ends, before the
/// locked splice, instead of after <c>spin_unlock_irqrestore()</c>. Harmless: <c>prev</c> only has to
/// separate the unlocked <c>list_del_init()</c>s of loop 2 from earlier folios, and there are none
/// left; if the put is the last, the free path unqueues <c>prev</c> from the on-stack list under the
/// same lock the splice takes.
/// </summary>
public sealed class V6_13PutPrevBeforeSplice(World world, Cpu cpu) : KernelV6_13(world, cpu)
{
    /// <summary>Loop 2 of <c>deferred_split_scan()</c> (v6.13) and the splice, with <c>folio_put(prev)</c> before the splice.</summary>
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

        // MUTATION: moved up from after the unlock.
        if (!prev.IsNull)
            await folio_put(prev);

        await spin_lock(ds_queue.Lock);
        await list_splice_tail(list, ds_queue.SplitQueue);
        await mmfuzz_split_queue_len_sub(ds_queue, removed);
        await spin_unlock(ds_queue.Lock);
        return split;
    }
}
