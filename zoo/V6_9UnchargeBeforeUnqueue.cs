using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of <c>__folio_put()</c> (mm/swap.c, v6.9): the patch calls <c>mem_cgroup_uncharge()</c> before
/// <c>folio_undo_large_rmappable()</c>, the order 47932e7048df removed from the batch path. Once
/// <c>folio-&gt;memcg_data</c> is clear, <c>get_deferred_split_queue()</c> answers the node's queue for a
/// folio still linked on its memcg's queue; v6.9's own <c>VM_BUG_ON_FOLIO(... !list_empty(&amp;folio-&gt;_deferred_list))</c>
/// in <c>uncharge_folio()</c> trips first.
/// </summary>
public sealed class V6_9UnchargeBeforeUnqueue(World world, Cpu cpu) : KernelV6_9(world, cpu)
{
    /// <summary>Mutated <c>__folio_put()</c> (v6.9): uncharge, then unqueue, then free.</summary>
    protected override async Sim __folio_put(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.__folio_put, folio.Addr);
        // MUTATION: swapped with the unqueue below.
        await mem_cgroup_uncharge(folio);
        await mmfuzz_free_path_unqueue(folio);
        await free_unref_page(folio);
    }
}
