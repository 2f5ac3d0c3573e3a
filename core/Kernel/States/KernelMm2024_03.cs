using MmFuzz.Engine;

namespace MmFuzz.Kernel;

/// <summary>
/// mm-unstable, March 2024 (the seed mail's state): Wilcox's batch-freeing series
/// (f77171d241e3 "mm: allow non-hugetlb large folios to be batch processed", 31b2ff82aefb "mm: handle
/// large folios in free_unref_folios()") before 47932e7048df. Large folios freed in a batch
/// (<c>folios_put_refs()</c>, the path of <c>release_pages()</c>/<c>folios_put()</c>) are uncharged by
/// <c>mem_cgroup_uncharge_folios()</c> first and unqueued later in <c>free_unref_folios()</c>, when
/// <c>get_deferred_split_queue()</c> already returns the node queue: that unqueue (31b2ff82aefb) is
/// the base port's <see cref="Kernel.free_unref_folios"/>, which v6.9 kept after 47932e7048df added
/// the earlier one. A single <c>folio_put()</c> still went through <c>destroy_large_folio()</c>
/// (unqueue, then uncharge) and is the shared port.
/// RECONSTRUCTED from the resulting v6.9 code and the fix's title: the series' own text was not
/// available (see docs/HISTORY.md §4.2 and docs/SOURCES.md §3.3).
/// </summary>
public class KernelMm2024_03(World world, Cpu cpu) : Kernel(world, cpu)
{
    /// <summary>
    /// Port of <c>folios_put_refs()</c> (mm/swap.c, mm-unstable 2024-03, after f77171d241e3): no unqueue
    /// in the loop; <c>mem_cgroup_uncharge_folios()</c>, then <c>free_unref_folios()</c>, which unqueues
    /// (the base port: 31b2ff82aefb's unqueue, after the uncharge).
    /// </summary>
    public override async Sim folios_put_refs(FolioBatch folios, int[]? refs)
    {
        using var _ = Cpu.Enter(Fn.folios_put_refs, folios.nr);
        int i, j;
        for (i = 0, j = 0; i < folios.nr; i++)
        {
            var folio = folios.folios[i];
            if (!await folio_ref_sub_and_test(folio, refs is null ? 1 : refs[i]))
                continue;
            folios.folios[j++] = folio;     // __page_cache_release(): no LRU here
        }
        if (j == 0)
        {
            folios.reinit();
            return;
        }
        folios.nr = j;
        await mem_cgroup_uncharge_folios(folios);
        await free_unref_folios(folios);
    }
}
