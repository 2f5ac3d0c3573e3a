using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of <c>split_huge_page_to_list_to_order()</c> (mm/huge_memory.c, v6.13): the patch freezes the
/// refcount and unqueues the folio without <c>split_queue_lock</c>, reasoning that a frozen folio is
/// the splitter's alone. The "Prevent deferred_split_scan() touching -&gt;_refcount" lock also guards
/// the queue: <c>split_queue_len--</c> and the unlink write it under no lock. One of the lock removals
/// of the mutation check (tests/ZooTests.cs, <c>MutationCheck</c>).
/// </summary>
public sealed class V6_13SplitUnlocked(World world, Cpu cpu) : KernelV6_13(world, cpu)
{
    /// <summary>Mutated <c>split_folio()</c> (v6.13): freeze and unqueue without the queue lock.</summary>
    protected override async Sim<int> split_folio(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.split_folio, folio.Addr);
        var ds_queue = await get_deferred_split_queue(folio);
        const int extra_pins = 0;       // anon, not in swap cache
        // MUTATION: no spin_lock(&ds_queue->split_queue_lock).
        if (await folio_ref_freeze(folio, 1 + extra_pins))
        {
            if (await folio_order(folio) > 1 && !await list_empty(folio.DeferredList))
            {
                await mmfuzz_split_queue_len_add(ds_queue, -1);
                await mmfuzz_clear_partially_mapped_on_unqueue(folio);
                await mmfuzz_split_list_del(folio.DeferredList);
            }
            // MUTATION: no spin_unlock().
            await __split_huge_page(folio);
            return 0;
        }
        // MUTATION: no spin_unlock().
        return -11;
    }
}
