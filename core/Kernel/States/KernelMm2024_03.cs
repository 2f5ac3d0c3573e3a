using MmFuzz.Engine;

namespace MmFuzz.Kernel;

/// <summary>
/// mm-unstable, March 2024 (the seed mail's state): Wilcox's batch-freeing series
/// (f77171d241e3 "mm: allow non-hugetlb large folios to be batch processed", 31b2ff82aefb "mm: handle
/// large folios in free_unref_folios()") before 47932e7048df. Large folios freed in a batch
/// (<c>folios_put_refs()</c>, the path of <c>release_pages()</c>/<c>folios_put()</c>) are uncharged by
/// <c>mem_cgroup_uncharge_folios()</c> first and unqueued later in <c>free_unref_folios()</c>, when
/// <c>get_deferred_split_queue()</c> already returns the node queue. A single <c>folio_put()</c> still
/// went through <c>destroy_large_folio()</c> (unqueue, then uncharge) and is the shared port.
/// RECONSTRUCTED from the resulting v6.9 code and the fix's title: the series' own text was not
/// available (see docs/HISTORY.md §4.2 and docs/SOURCES.md §3.3).
/// </summary>
public class KernelMm2024_03(World world, Cpu cpu) : Kernel(world, cpu)
{
    /// <summary>
    /// Port of <c>folios_put_refs()</c> (mm/swap.c, mm-unstable 2024-03, after f77171d241e3): no unqueue
    /// in the loop; <c>mem_cgroup_uncharge_folios()</c>, then <c>free_unref_folios()</c>, which unqueues.
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

    /// <summary>
    /// Port of <c>free_unref_folios()</c> (mm/page_alloc.c) in this state (31b2ff82aefb): each large
    /// rmappable folio is unqueued here, after the uncharge:
    /// <c>if (order &gt; 0 &amp;&amp; folio_test_large_rmappable(folio)) folio_undo_large_rmappable(folio);</c>
    /// then <c>free_pages_prepare()</c> and the free.
    /// </summary>
    protected override async Sim free_unref_folios(FolioBatch folios)
    {
        using var _ = Cpu.Enter(Fn.free_unref_folios, folios.nr);
        for (int i = 0; i < folios.nr; i++)
        {
            var folio = folios.folios[i];
            if (await folio_order(folio) > 0 && await folio_test_large_rmappable(folio))
                await folio_undo_large_rmappable(folio);
            if (!await free_pages_prepare(folio))
                continue;
            hook_page_free(folio);
        }
        folios.reinit();        // folio_batch_reinit(folios): the caller's batch is empty after the free
    }
}
