using MmFuzz.Engine;

namespace MmFuzz.Kernel;

// PORTED: reclaim swapping out an anonymous large folio that sits in the swap cache
// (mm/vmscan.c shrink_folio_list() -> __remove_mapping() -> mm/memcontrol.c mem_cgroup_swapout(),
// then the free), cgroup v1 (memsw accounting on: mem_cgroup_swapout() clears memcg_data). The
// swap cache, the xarray lock and the swap entry are not modelled.
public abstract partial class Kernel
{
    /// <summary>
    /// One folio through <c>shrink_folio_list()</c> (mm/vmscan.c, v6.9): <c>folio_trylock()</c> (else the
    /// folio is kept), <c>__remove_mapping()</c>: <c>folio_ref_freeze(folio, 1 + nr_pages)</c> — here the
    /// isolation reference alone, the swap cache's references are not modelled — and on success
    /// <c>mem_cgroup_swapout()</c> with the refcount frozen at 0, then the folio is unlocked and freed
    /// as <c>__folio_put()</c> frees it (unqueue, uncharge, free; v6.9's batch does the same per folio).
    /// CUSTOMISED: a folio that cannot be freed (locked, or pinned: the scan's <c>folio_try_get()</c>)
    /// is put back at once, with no retry.
    /// </summary>
    public virtual async Sim mmfuzz_swapout_folio(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.shrink_folio_list, folio.Addr);
        if (!await folio_trylock(folio))
        {
            await folio_put(folio);         // keep_locked: the isolation reference goes back
            return;
        }
        if (!await folio_ref_freeze(folio, 1))
        {
            await folio_unlock(folio);      // cannot_free
            await folio_put(folio);
            return;
        }
        await mem_cgroup_swapout(folio);
        await folio_unlock(folio);
        await __folio_put(folio);
    }

    /// <summary>
    /// Port of <c>mem_cgroup_swapout()</c> (mm/memcontrol.c, v6.8–v6.12-rc; cgroup v1, where
    /// <c>do_memsw_account()</c> holds): the charge moves to the swap entry and
    /// <c>folio-&gt;memcg_data = 0;</c> with the folio still on its memcg's deferred split queue, so the
    /// free that follows unqueues it under the node's lock (f8f931bba0f9: "potentially corrupting the
    /// memcg's list"). The swap-entry bookkeeping is not modelled.
    /// </summary>
    protected virtual async Sim mem_cgroup_swapout(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.mem_cgroup_swapout, folio.Addr);
        if ((await folio_memcg(folio)).IsNull)
            return;
        await mmfuzz_mem_cgroup_swapout_unqueue(folio);
        using var clear = Cpu.Enter(Fn.memcg_data_clear, folio.Addr);
        await Store(folio.MemcgData, default);
    }

    /// <summary>The unqueue before <c>memcg_data = 0</c> in <c>mem_cgroup_swapout()</c>: absent until f8f931bba0f9 (v6.12).</summary>
    protected virtual Sim mmfuzz_mem_cgroup_swapout_unqueue(FolioPtr folio) => default;
}
