using MmFuzz.Engine;

namespace MmFuzz.Kernel;

// PORTED: memcg v1 charge moving (memory.move_charge_at_immigrate, cgroup v1) of an anonymous THP its
// task maps by a PMD: the page walk's mem_cgroup_move_charge_pte_range(), get_mctgt_type_thp(),
// get_mctgt_type() and mem_cgroup_move_account() (mm/memcontrol.c in v6.8-v6.10, mm/memcontrol-v1.c
// from v6.11, the same code; read in a stored v6.11/v6.12-rc memcontrol-v1.c). 6b611388b626
// "memcg-v1: remove charge move code" (Shakeel Butt, MM updates for 6.13-rc1) deleted it all: v6.13
// has no such path, and the variants after v6.12-rc1 run v6.12's form (f8f931bba0f9). The page walk,
// the PMD and PTE locks, mc.precharge, folio_memcg_lock(), the statistics and the LRU are not modelled.
public abstract partial class Kernel
{
    /// <summary>Error code of <c>mem_cgroup_move_account()</c> for a folio no longer charged to <c>from</c>.</summary>
    protected const int EINVAL = 22;

    /// <summary>
    /// Port of <c>mem_cgroup_move_charge_pte_range()</c> (v6.8–v6.12) for the pmd that maps
    /// <paramref name="folio"/>: the PMD branch while <c>pmd_trans_huge_lock()</c> finds a huge PMD —
    /// <c>get_mctgt_type_thp()</c> gets and locks the folio, <c>mem_cgroup_move_account(folio, true,
    /// mc.from, mc.to)</c>, unlock, put — else the PTE loop's entry for the head page, whose large
    /// folio is skipped ("We can have a part of the split pmd here"). From f8f931bba0f9 (v6.12) the
    /// PMD branch first splits a queued THP and retries once, or skips it
    /// (<see cref="mmfuzz_move_charge_thp_queued"/>). The caller holds the mapping's reference.
    /// CUSTOMISED: page tables are not modelled, so a folio is mapped by a PMD while it is large and by
    /// PTEs once split; the ptl is not taken, <c>mc.precharge</c> always suffices, and
    /// <c>folio_isolate_lru()</c> / <c>folio_putback_lru()</c> are STUBBED (no LRU: isolation succeeds,
    /// and its reference is taken and dropped with nothing between them to race).
    /// </summary>
    public virtual async Sim mem_cgroup_move_charge_pte_range(FolioPtr folio, MemcgPtr from, MemcgPtr to)
    {
        using var _ = Cpu.Enter(Fn.mem_cgroup_move_charge_pte_range, folio.Addr, to.Addr);
        bool tried_split_before = false;
    retry_pmd:
        if (await folio_test_large(folio))              // ptl = pmd_trans_huge_lock(pmd, vma)
        {
            if (!await get_mctgt_type_thp(folio, from))   // MC_TARGET_NONE
                return;
            if (await mmfuzz_move_charge_thp_queued(folio))
            {
                /* spin_unlock(ptl); */
                if (!tried_split_before)
                    await mmfuzz_split_folio_pmd_mapped(folio);
                await folio_unlock(folio);
                await folio_put(folio);
                if (tried_split_before)
                    return;
                tried_split_before = true;
                goto retry_pmd;
            }
            await mem_cgroup_move_account(folio, true, from, to);
            await folio_unlock(folio);
            await folio_put(folio);
            return;
        }
        // retry: pte_offset_map_lock(); the head page's entry. get_mctgt_type() gets and locks the page.
        if (!await get_mctgt_type(folio, from))
            return;
        if (!await folio_test_large(folio))
            await mem_cgroup_move_account(folio, false, from, to);
        await folio_unlock(folio);                      // put:
        await folio_put(folio);
    }

    /// <summary>
    /// Port of <c>get_mctgt_type_thp()</c> with a target (v6.8–v6.12): <c>if (folio_memcg(folio) ==
    /// mc.from)</c> take a reference (<c>folio_get()</c>) and <c>folio_trylock()</c>; a failed trylock
    /// puts it back (MC_TARGET_NONE). Returns whether the folio is MC_TARGET_PAGE, referenced and
    /// locked. The swap-PMD and <c>MOVE_ANON</c> tests are not modelled (anonymous, moved).
    /// </summary>
    protected virtual async Sim<bool> get_mctgt_type_thp(FolioPtr folio, MemcgPtr from)
    {
        using var _ = Cpu.Enter(Fn.get_mctgt_type_thp, folio.Addr);
        if (await folio_memcg(folio) != from)
            return false;
        await folio_get(folio);
        if (!await folio_trylock(folio))
        {
            await folio_put(folio);
            return false;
        }
        return true;
    }

    /// <summary>
    /// Port of <c>get_mctgt_type()</c> with a target for a present PTE (v6.8–v6.12):
    /// <c>mc_handle_present_pte()</c>'s <c>get_page()</c>, <c>folio_trylock()</c> (else put,
    /// MC_TARGET_NONE), then MC_TARGET_PAGE if <c>folio_memcg(folio) == mc.from</c>, else unlock and put.
    /// </summary>
    protected virtual async Sim<bool> get_mctgt_type(FolioPtr folio, MemcgPtr from)
    {
        using var _ = Cpu.Enter(Fn.get_mctgt_type, folio.Addr);
        await folio_get(folio);
        if (!await folio_trylock(folio))
        {
            await folio_put(folio);
            return false;
        }
        if (await folio_memcg(folio) == from)
            return true;
        await folio_unlock(folio);
        await folio_put(folio);
        return false;
    }

    /// <summary>
    /// Port of <c>mem_cgroup_move_account()</c> (v6.8–v6.12-rc): <c>VM_BUG_ON_FOLIO(!folio_test_locked(folio))</c>;
    /// -EINVAL unless <c>folio_memcg(folio) == from</c>; then <c>folio-&gt;memcg_data = (unsigned long)to;</c>
    /// with the folio still linked on <c>from</c>'s deferred split queue if it was queued, so every later
    /// unqueue locks <c>to</c>'s queue (f8f931bba0f9: "sometimes corrupting 'from' memcg's list").
    /// 87eaceb3faa5 (v5.4) moved a queued THP between the queues here; fac0516b5534 (v5.6) removed that,
    /// arguing that a PMD-mapped THP is never queued. STUBBED: <c>VM_BUG_ON(from == to)</c>, the LRU and
    /// compound checks, <c>folio_memcg_lock()</c>, the lruvec statistics, css references and events.
    /// </summary>
    protected virtual async Sim<int> mem_cgroup_move_account(FolioPtr folio, bool compound, MemcgPtr from, MemcgPtr to)
    {
        using var _ = Cpu.Enter(Fn.mem_cgroup_move_account, folio.Addr, to.Addr);
        if (!await folio_test_locked(folio))
            await Bug(BugKind.LockMisuse, $"kernel BUG at {MemcgV1File}: VM_BUG_ON_FOLIO(!folio_test_locked(folio)) ({Name(folio)})");
        if (await folio_memcg(folio) != from)
            return -EINVAL;
        await mmfuzz_mem_cgroup_move_account_unqueue(folio);
        using var move = Cpu.Enter(Fn.memcg_data_move, folio.Addr, to.Addr);
        await Store(folio.MemcgData, to);
        return 0;
    }

    /// <summary>
    /// <c>split_folio()</c> of a folio its task maps by one PMD, as <c>split_huge_page_to_list_to_order()</c>
    /// (mm/huge_memory.c) treats the mapping: <c>can_split_folio()</c> lets only the mapping and the
    /// caller's pin hold references (<c>folio_mapcount(folio) == folio_ref_count(folio) - extra_pins - 1</c>);
    /// <c>unmap_folio()</c> replaces the PMD by a migration entry (<c>set_pmd_migration_entry()</c> drops
    /// the mapping's reference with <c>folio_put()</c>); the split freezes at the caller's pin (the base
    /// <see cref="split_folio"/>); <c>remap_page()</c> maps the page again, split or not
    /// (<c>remove_migration_pte()</c>: <c>folio_get()</c> for the head page's PTE). CUSTOMISED: one
    /// mapping; the tail pages' references are not modelled.
    /// </summary>
    protected virtual async Sim<int> mmfuzz_split_folio_pmd_mapped(FolioPtr folio)
    {
        if (await folio_ref_count(folio) != 2)          // can_split_folio(): the PMD and the caller's pin
            return -EAGAIN;
        using (Cpu.Enter(Fn.unmap_folio, folio.Addr))
            await folio_put(folio);
        int ret = await split_folio(folio);
        using (Cpu.Enter(Fn.remap_page, folio.Addr))
            await folio_get(folio);
        return ret;
    }

    /// <summary>
    /// The test f8f931bba0f9 (v6.12) added to the PMD branch, <c>!list_empty(&amp;folio-&gt;_deferred_list)</c>:
    /// a queued THP is split (or skipped) instead of moved. Absent before: never queued.
    /// </summary>
    protected virtual Sim<bool> mmfuzz_move_charge_thp_queued(FolioPtr folio) => default;

    /// <summary>The check before <c>folio-&gt;memcg_data = to</c>: absent until f8f931bba0f9 (v6.12).</summary>
    protected virtual Sim mmfuzz_mem_cgroup_move_account_unqueue(FolioPtr folio) => default;

    /// <summary>The file of the memcg v1 code in messages: mm/memcontrol.c until v6.11 moved it to mm/memcontrol-v1.c.</summary>
    protected virtual string MemcgV1File => "mm/memcontrol.c";
}
