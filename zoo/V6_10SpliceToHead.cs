using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// EQUIVALENT mutant of <c>deferred_split_scan()</c> loop 2 (mm/huge_memory.c, v6.10): the survivors are
/// put back with <c>list_splice()</c> at the head of the queue instead of <c>list_splice_tail()</c>. Still
/// under <c>split_queue_lock</c>, so only the order the next scan visits them in changes: a harmless
/// refactoring, expected to stay clean.
/// </summary>
public sealed class V6_10SpliceToHead(World world, Cpu cpu) : KernelV6_10(world, cpu)
{
    /// <summary>The tracer's name for <c>list_splice()</c> (the core names only <c>list_splice_tail()</c>).</summary>
    static readonly KernelFunction list_splice_fn = new("list_splice", true);

    /// <summary>Loop 2 of <c>deferred_split_scan()</c> (v6.10) as <see cref="Kernel.Kernel"/> has it, with the splice to the head.</summary>
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
                await folio_unlock(folio);
            }
            await folio_put(folio);
        }

        await spin_lock(ds_queue.Lock);
        // MUTATION: list_splice(&list, &ds_queue->split_queue).
        await list_splice(list, ds_queue.SplitQueue);
        await spin_unlock(ds_queue.Lock);
        return split;
    }

    /// <summary>
    /// Port of <c>list_splice()</c> / <c>__list_splice(list, head, head-&gt;next)</c> (include/linux/list.h):
    /// <c>if (!list_empty(list)) { first = list-&gt;next; last = list-&gt;prev; first-&gt;prev = head;
    /// head-&gt;next = first; last-&gt;next = next; next-&gt;prev = last; }</c> The source head is not reinitialised.
    /// </summary>
    async Sim list_splice(ListPtr list, ListPtr head)
    {
        using var _ = Cpu.Enter(list_splice_fn, list.Addr, head.Addr);
        if (await list_empty(list))
            return;
        var prev = head;
        var next = await Load(head.Next);
        var first = await Load(list.Next);
        var last = await Load(list.Prev);
        await Store(first.Prev, prev);
        await Store(prev.Next, first);
        await Store(last.Next, next);
        await Store(next.Prev, last);
        hook_list_spliced(list, head);
    }
}
