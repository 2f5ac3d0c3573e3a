using MmFuzz.Engine;

namespace MmFuzz.Kernel;

// PORTED: the folio free path (mm/swap.c, mm/memcontrol.c, mm/page_alloc.c). The base class is the
// v6.9 order (47932e7048df): refcount reaches 0, unqueue from the deferred list, memcg uncharge,
// free. Variants override the functions their kernel state changed. LRU removal
// (page_cache_release) is STUBBED: no LRU is modelled.
public abstract partial class Kernel
{
    /// <summary>Port of <c>folio_put()</c> (include/linux/mm.h): <c>if (folio_put_testzero(folio)) __folio_put(folio);</c></summary>
    public virtual async Sim folio_put(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.folio_put, folio.Addr);
        if (await folio_put_testzero(folio))
            await __folio_put(folio);
    }

    /// <summary>
    /// Port of <c>__folio_put()</c> (mm/swap.c, v6.9): <c>page_cache_release(folio);</c>
    /// <c>if (folio_test_large(folio) &amp;&amp; folio_test_large_rmappable(folio)) folio_undo_large_rmappable(folio);</c>
    /// <c>mem_cgroup_uncharge(folio); free_unref_page(&amp;folio-&gt;page, folio_order(folio));</c>
    /// </summary>
    protected virtual async Sim __folio_put(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.__folio_put, folio.Addr);
        await mmfuzz_free_path_unqueue(folio);
        await mem_cgroup_uncharge(folio);
        await free_unref_page(folio);
    }

    /// <summary>
    /// Port of <c>folios_put_refs()</c> (mm/swap.c, v6.9): drop <c>refs[i]</c> references of each folio;
    /// each that reached 0 is unqueued from the deferred list (before the uncharge) and kept, compacted
    /// in place (<c>folios-&gt;folios[j++] = folio</c>); then <c>mem_cgroup_uncharge_folios()</c> and
    /// <c>free_unref_folios()</c> on what is left of the batch. <c>__page_cache_release()</c> is
    /// STUBBED (no LRU).
    /// </summary>
    public virtual async Sim folios_put_refs(FolioBatch folios, int[]? refs)
    {
        using var _ = Cpu.Enter(Fn.folios_put_refs, folios.nr);
        int i, j;
        for (i = 0, j = 0; i < folios.nr; i++)
        {
            var folio = folios.folios[i];
            int nr_refs = refs is null ? 1 : refs[i];
            if (!await folio_ref_sub_and_test(folio, nr_refs))
                continue;
            await mmfuzz_free_path_unqueue(folio);
            folios.folios[j++] = folio;
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
    /// The unqueue call of the free paths (<c>__folio_put()</c>, <c>folios_put_refs()</c>, <c>free_unref_folios()</c>), v6.9:
    /// <c>if (folio_test_large(folio) &amp;&amp; folio_test_large_rmappable(folio)) folio_undo_large_rmappable(folio);</c>
    /// (v6.11 moved the checks into the callee, v6.12 renamed it <c>folio_unqueue_deferred_split()</c>.)
    /// </summary>
    protected virtual async Sim mmfuzz_free_path_unqueue(FolioPtr folio)
    {
        if (await folio_test_large(folio) && await folio_test_large_rmappable(folio))
            await folio_undo_large_rmappable(folio);
    }

    /// <summary>
    /// Port of <c>mem_cgroup_uncharge()</c> → <c>__mem_cgroup_uncharge()</c> → <c>uncharge_folio()</c>
    /// (mm/memcontrol.c, v6.9): if the folio is charged, clear <c>folio-&gt;memcg_data</c>. The page
    /// counters are STUBBED.
    /// </summary>
    protected virtual async Sim mem_cgroup_uncharge(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.mem_cgroup_uncharge, folio.Addr);
        if ((await folio_memcg(folio)).IsNull)
            return;
        await uncharge_folio(folio);
    }

    /// <summary>Port of <c>mem_cgroup_uncharge_folios()</c> (mm/memcontrol.c, v6.9): <c>uncharge_folio()</c> on each charged folio.</summary>
    protected virtual async Sim mem_cgroup_uncharge_folios(FolioBatch folios)
    {
        using var _ = Cpu.Enter(Fn.mem_cgroup_uncharge_folios, folios.nr);
        for (int i = 0; i < folios.nr; i++)
        {
            var folio = folios.folios[i];
            if (!(await folio_memcg(folio)).IsNull)
                await uncharge_folio(folio);
        }
    }

    /// <summary>The part of <c>uncharge_folio()</c> (mm/memcontrol.c) that matters: <c>folio-&gt;memcg_data = 0;</c></summary>
    protected virtual async Sim uncharge_folio(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.memcg_data_clear, folio.Addr);
        await Store(folio.MemcgData, default);
    }

    /// <summary>
    /// Port of <c>free_unref_folios()</c> (mm/page_alloc.c, v6.9 to v6.12-rc4): for each folio, the
    /// unqueue the batch-freeing series put here (31b2ff82aefb: <c>if (order &gt; 0 &amp;&amp;
    /// folio_test_large_rmappable(folio)) folio_undo_large_rmappable(folio);</c>, from v6.11 the call
    /// alone, <see cref="mmfuzz_free_path_unqueue"/>), then <c>free_pages_prepare()</c> and the free.
    /// From 47932e7048df (v6.9) every caller unqueues before the batch's uncharge, so the call normally
    /// finds the folio unqueued; it is still made, and read, after the uncharge. f8f931bba0f9 (v6.12)
    /// removed it (<see cref="KernelV6_13"/>). In mm-2024-03 it was the batch's only unqueue.
    /// </summary>
    protected virtual async Sim free_unref_folios(FolioBatch folios)
    {
        using var _ = Cpu.Enter(Fn.free_unref_folios, folios.nr);
        for (int i = 0; i < folios.nr; i++)
        {
            var folio = folios.folios[i];
            await mmfuzz_free_path_unqueue(folio);
            if (!await free_pages_prepare(folio))
                continue;
            hook_page_free(folio);
        }
        folios.reinit();        // folio_batch_reinit(folios): the caller's batch is empty after the free
    }

    /// <summary>Port of <c>free_unref_page()</c> (mm/page_alloc.c, v6.9) for a whole folio: prepare, then free.</summary>
    protected virtual async Sim free_unref_page(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.free_unref_page, folio.Addr);
        if (await free_pages_prepare(folio))
            hook_page_free(folio);
    }

    /// <summary>
    /// The check <c>free_tail_page_prepare()</c> (mm/page_alloc.c) makes of the page that holds
    /// <c>_deferred_list</c>: the reason the page is bad, or null. Up to v6.9 it makes none there
    /// (page[2] was not validated: a folio freed while linked was not reported by the kernel; the
    /// bad-page oracle still reports it); "mm: always initialise folio-&gt;_deferred_list" (v6.10 merge
    /// window) added <c>if (unlikely(!list_empty(&amp;folio-&gt;_deferred_list))) bad_page(page, "on deferred list");</c>
    /// (<see cref="KernelV6_10Rc1"/> and later).
    /// </summary>
    protected virtual Sim<string?> free_tail_page_prepare(FolioPtr folio) => default;

    /// <summary>
    /// Port of the checks of <c>free_pages_prepare()</c> (mm/page_alloc.c, v6.9) that concern these
    /// folios: <c>free_tail_page_prepare()</c>'s "on deferred list" for the second tail page, then
    /// the head's <c>PAGE_FLAGS_CHECK_AT_FREE</c> (PG_locked) and nonzero refcount. A bad page is
    /// reported with <c>bad_page()</c>'s text.
    /// </summary>
    protected virtual async Sim<bool> free_pages_prepare(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.check_free_page, folio.Addr);
        if (await free_tail_page_prepare(folio) is { } reason)
        {
            await Bug(BugKind.BadPageState, BadPage(folio, reason));
            return false;
        }
        if ((await Load(folio.Flags) & (1UL << PageFlags.PG_locked)) != 0)
        {
            await Bug(BugKind.BadPageState, BadPage(folio, "PAGE_FLAGS_CHECK_AT_FREE flag(s) set"));
            return false;
        }
        if (await AtomicRead(folio.Refcount) != 0)
        {
            await Bug(BugKind.BadPageState, BadPage(folio, "nonzero _refcount"));
            return false;
        }
        return true;
    }
}
