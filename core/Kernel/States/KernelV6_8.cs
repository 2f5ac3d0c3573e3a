using MmFuzz.Engine;

namespace MmFuzz.Kernel;

/// <summary>
/// v6.8, before the batch-freeing series: the split path uses <c>list_del()</c> (LIST_POISON left
/// behind; <c>list_del_init()</c> came with c010d47f107f in v6.9),
/// and <c>release_pages()</c> does not batch large folios: each that reaches 0 goes through
/// <c>__folio_put_large()</c> → <c>destroy_large_folio()</c> (unqueue, then uncharge). Migration is
/// the shared v6.8/v6.9 port (count checked, not frozen; <c>mem_cgroup_migrate()</c> unqueues).
/// </summary>
public class KernelV6_8(World world, Cpu cpu) : Kernel(world, cpu)
{
    /// <summary><c>split_huge_page_to_list()</c> (mm/huge_memory.c, v6.8): <c>list_del(&amp;folio-&gt;_deferred_list);</c></summary>
    protected override Sim mmfuzz_split_list_del(ListPtr entry) => list_del(entry);

    // folio_undo_large_rmappable() keeps the shared list_del_init() (docs/HISTORY.md §4.1 and §9; the
    // research notes wrote list_del): since 9bcef5973e31 (v6.7) mem_cgroup_migrate() unqueues a folio that
    // destroy_large_folio() unqueues again when it is freed; with list_del the second call would find
    // LIST_POISON1 and report list_del corruption on every migration of a queued THP (the model showed
    // exactly that, with no preemption at all), which no kernel of that time did. Baolin Wang's
    // 9bcef5973e31 made it list_del_init (docs/SOURCES.md §3.2 and §4 item 1).

    /// <summary>
    /// Port of <c>release_pages()</c> (mm/swap.c, v6.8), the batch path of v6.8: for each folio,
    /// <c>if (!folio_put_testzero(folio)) continue; if (folio_test_large(folio)) { __folio_put_large(folio); continue; }</c>.
    /// CUSTOMISED: order-0 folios (what a split leaves) also take <see cref="Kernel.__folio_put"/>; the
    /// small-folio list free differs only in batching.
    /// </summary>
    public override async Sim folios_put_refs(FolioBatch folios, int[]? refs)
    {
        using var _ = Cpu.Enter(Fn.folios_put_refs, folios.nr);
        for (int i = 0; i < folios.nr; i++)
        {
            var folio = folios.folios[i];
            if (!await folio_put_testzero(folio))
                continue;
            await __folio_put(folio);
        }
        folios.reinit();
    }
}
