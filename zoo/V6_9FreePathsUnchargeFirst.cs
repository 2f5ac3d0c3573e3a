using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of both free paths of v6.9 (mm/swap.c, mm/page_alloc.c): the patch undoes 47932e7048df's
/// order everywhere. <c>__folio_put()</c> calls <c>mem_cgroup_uncharge()</c> before
/// <c>folio_undo_large_rmappable()</c>, and <c>folios_put_refs()</c> no longer unqueues, leaving it to
/// <c>free_unref_folios()</c>, after <c>mem_cgroup_uncharge_folios()</c>. v6.9's own
/// <c>VM_BUG_ON_FOLIO(... !list_empty(&amp;folio-&gt;_deferred_list))</c> in <c>uncharge_folio()</c> trips
/// on a queued folio in either path. The mutation check's swap (tests/ZooTests.cs, <c>MutationCheck</c>);
/// <see cref="V6_9UnchargeBeforeUnqueue"/> is the <c>__folio_put()</c> half alone.
/// </summary>
public sealed class V6_9FreePathsUnchargeFirst(World world, Cpu cpu) : KernelV6_9(world, cpu)
{
    /// <summary>Mutated: the free paths' unqueue before the uncharge is gone.</summary>
    protected override Sim mmfuzz_free_path_unqueue(FolioPtr folio) => default;

    /// <summary>Mutated <c>free_unref_folios()</c> (v6.9): each folio is unqueued here, after the batch's uncharge.</summary>
    protected override async Sim free_unref_folios(FolioBatch folios)
    {
        using var _ = Cpu.Enter(Fn.free_unref_folios, folios.nr);
        foreach (var folio in folios.folios.AsSpan(0, folios.nr).ToArray())
        {
            // MUTATION: the unqueue moved here from folios_put_refs(), after mem_cgroup_uncharge_folios().
            if (await folio_order(folio) > 0 && await folio_test_large_rmappable(folio))
                await folio_undo_large_rmappable(folio);
            if (await free_pages_prepare(folio))
                hook_page_free(folio);
        }
    }

    /// <summary>Mutated <c>__folio_put()</c> (v6.9): uncharge, then unqueue, then free.</summary>
    protected override async Sim __folio_put(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.__folio_put, folio.Addr);
        // MUTATION: the uncharge before the unqueue.
        await mem_cgroup_uncharge(folio);
        if (await folio_test_large(folio) && await folio_test_large_rmappable(folio))
            await folio_undo_large_rmappable(folio);
        await free_unref_page(folio);
    }
}
