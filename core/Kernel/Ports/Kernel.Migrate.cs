using MmFuzz.Engine;

namespace MmFuzz.Kernel;

// PORTED: migration of an isolated anonymous large folio (mm/migrate.c, mm/memcontrol.c, v6.8/v6.9),
// in MIGRATE_ASYNC mode: the mode of compaction's first pass (compact_zone() with cc->mode
// MIGRATE_ASYNC) and of NUMA balancing (migrate_misplaced_folio()), and the first batch
// migrate_pages_sync() runs for every other mode. The source's mappings are already migration entries
// (try_to_migrate() is not modelled). The destination folio is modelled when the scenario names one
// (migrate_folio(A, B)): migration locks it, charges it (commit_charge()), maps it in place of the
// source (remove_migration_ptes()), unlocks it and drops its reference; a scenario that names none
// leaves it out, and the source's fate is what races with the scan. Variants override the steps
// their kernel state changed (docs/KERNEL.md §2.5, docs/SOURCES.md §3.1 and §3.10).
public abstract partial class Kernel
{
    /// <summary>Error code of a migration or split that must be retried.</summary>
    protected const int EAGAIN = 11;

    /// <summary><c>MIGRATEPAGE_UNMAP</c> (include/linux/migrate.h, 1 since Huang Ying's batched migration, v6.3): the source is unmapped and stays locked for the move.</summary>
    protected const int MIGRATEPAGE_UNMAP = 1;

    /// <summary>
    /// One isolated folio through <c>migrate_pages_batch()</c> (mm/migrate.c, v6.8/v6.9, MIGRATE_ASYNC):
    /// the unmap pass (<see cref="migrate_folio_unmap"/>, which takes the source folio lock and the
    /// destination's), then the move pass (<see cref="migrate_folio_move"/>, which releases them and drops
    /// the isolation reference). A folio whose unmap failed with -EAGAIN stays on the <c>from</c> list for a
    /// retry and is finally put back by the caller (<c>putback_movable_pages()</c> → <c>folio_putback_lru()</c>,
    /// which ends in <c>folio_put()</c>). CUSTOMISED: retries are not taken (a failed attempt puts the folio
    /// back). <paramref name="dst"/> is the destination, or NULL when the scenario does not model it.
    /// </summary>
    public virtual async Sim mmfuzz_migrate_folio(FolioPtr folio, FolioPtr dst)
    {
        using var _ = Cpu.Enter(Fn.migrate_folio, folio.Addr);
        if (await migrate_folio_unmap(folio, dst) != MIGRATEPAGE_UNMAP)
        {
            await folio_put(folio);     // putback_movable_pages(): folio_putback_lru()
            return;
        }
        if (await migrate_folio_move(folio, dst) == -EAGAIN)
        {
            // The kernel keeps both locked for another pass; with retries not taken, migrate_pages_batch()
            // gives up at once: migrate_folio_undo_src(), migrate_folio_undo_dst(), then the putback.
            await folio_unlock(folio);
            await migrate_folio_undo_dst(dst, true);
            await folio_put(folio);
        }
    }

    /// <summary>
    /// Port of the locking of <c>migrate_folio_unmap()</c> (mm/migrate.c, v6.3 batching to 7.1; read in a
    /// v6.11 copy and in 7.1.8): <c>if (!folio_trylock(src)) { if (mode == MIGRATE_ASYNC) goto out; ... }</c>,
    /// then <c>if (unlikely(!folio_trylock(dst))) goto out;</c> (the fresh destination, which nobody else
    /// can reach yet); <c>out:</c> with rc -EAGAIN unlocks what it locked (<c>migrate_folio_undo_src()</c>),
    /// frees the destination (<c>migrate_folio_undo_dst()</c>) and leaves the source on the <c>from</c> list
    /// for a retry. On success both stay locked: <c>return MIGRATEPAGE_UNMAP;</c> until
    /// <c>migrate_folio_move()</c> unlocks them. CUSTOMISED: the source is already unmapped (its one
    /// reference, the isolation reference, is the count the move expects), so <c>try_to_migrate()</c> and
    /// the anon_vma are not modelled, nor the first check <c>if (folio_ref_count(src) == 1)</c> ("Folio was
    /// freed from under us"), which in the kernel sees the mappings' references too.
    /// </summary>
    protected virtual async Sim<int> migrate_folio_unmap(FolioPtr src, FolioPtr dst)
    {
        using var _ = Cpu.Enter(Fn.migrate_folio_unmap, src.Addr);
        if (!await folio_trylock(src))
        {
            await migrate_folio_undo_dst(dst, false);       // MIGRATE_ASYNC: goto out
            return -EAGAIN;
        }
        if (!dst.IsNull && !await folio_trylock(dst))
        {
            await folio_unlock(src);                        // migrate_folio_undo_src(): locked
            await migrate_folio_undo_dst(dst, false);
            return -EAGAIN;
        }
        return MIGRATEPAGE_UNMAP;
    }

    /// <summary>
    /// Port of <c>migrate_folio_undo_dst()</c> (mm/migrate.c): <c>if (locked) folio_unlock(dst);</c>.
    /// Nothing when the scenario models no destination. CUSTOMISED: the <c>folio_put(dst)</c> (or
    /// <c>put_new_folio()</c>) that gives the unused destination back is left out, as is its allocation:
    /// the folio that stands for it keeps its one reference, unmapped and unqueued, so that a task's zap
    /// of the range (which finds migration entries, or the source back) never reads freed memory.
    /// Nothing else can reach an unused destination.
    /// </summary>
    protected virtual async Sim migrate_folio_undo_dst(FolioPtr dst, bool locked)
    {
        if (dst.IsNull || !locked)
            return;
        using var _ = Cpu.Enter(Fn.migrate_folio_undo_dst, dst.Addr);
        await folio_unlock(dst);
    }

    /// <summary>
    /// Port of <c>migrate_folio_move()</c> (mm/migrate.c, v6.8/v6.9; to v7.0), source and destination
    /// locked since <see cref="migrate_folio_unmap"/>: <c>move_to_new_folio()</c> → <c>migrate_folio()</c> →
    /// <c>folio_migrate_mapping()</c>, then <c>folio_migrate_flags()</c>, which ends in
    /// <c>mem_cgroup_migrate()</c>; on success <c>remove_migration_ptes(src, dst, 0)</c> (the source was
    /// mapped), then <c>out_unlock_both:</c> <c>folio_unlock(dst); folio_put(dst);</c> and
    /// <c>folio_unlock(src); migrate_folio_done(src, reason);</c> (<c>folio_put()</c>). On -EAGAIN both stay
    /// locked for another pass and it returns -EAGAIN (<see cref="mmfuzz_migrate_folio"/> gives up at
    /// once). Without a destination its steps are left out.
    /// </summary>
    protected virtual async Sim<int> migrate_folio_move(FolioPtr src, FolioPtr dst)
    {
        using var _ = Cpu.Enter(Fn.migrate_folio_move, src.Addr);
        int rc = await folio_migrate_mapping(src, 1);
        if (rc != 0)
            return rc;                          // out: -EAGAIN, kept for another pass
        await mem_cgroup_migrate(src, dst);
        if (!dst.IsNull)
        {
            await remove_migration_ptes(src, dst, 0);
            await folio_unlock(dst);            // out_unlock_both:
            await folio_put(dst);
        }
        await folio_unlock(src);
        await folio_put(src);                   // migrate_folio_done()
        return 0;
    }

    /// <summary>
    /// Port of <c>remove_migration_ptes(src, dst, 0)</c> (mm/migrate.c) as it acts on the destination
    /// (a successful move then drops the migration's own reference: the mapping's is left):
    /// for the source's one mapping (migration entries since <c>try_to_migrate()</c>),
    /// <c>remove_migration_pte()</c> takes a reference (<c>folio_get()</c>), adds the rmap of the
    /// folio's pages (<c>folio_add_anon_rmap_ptes()</c>: the model's mapcount counts the pages mapped,
    /// <c>folio_nr_pages()</c>, added at once) and installs the PTEs (<c>set_pte_at()</c>) under the page
    /// table lock: from here a task's zap of the range finds the destination. CUSTOMISED: one mapping
    /// and one reference for it; the page table, the rmap walk and the lock are not modelled, and the
    /// add is a fully ordered atomic, which orders the destination's charge before a zap that finds it
    /// as the page table lock does.
    /// </summary>
    protected virtual async Sim remove_migration_ptes(FolioPtr src, FolioPtr dst, int flags)
    {
        using var _ = Cpu.Enter(Fn.remove_migration_ptes, dst.Addr);
        int nr = 1 << await folio_order(dst);
        await folio_get(dst);
        await AtomicAddReturn(dst.Mapcount, nr);
    }

    /// <summary>
    /// The zap of part of a task's range (<c>zap_pte_range()</c>, a partial <c>munmap()</c> or
    /// <c>MADV_DONTNEED</c>) that maps <paramref name="folio"/>, a migration's destination: under the page
    /// table lock, if the PTE maps a page of the folio (<c>remove_migration_ptes()</c> has run), the
    /// rmap of that page goes (<c>folio_remove_rmap_ptes()</c> → <c>__folio_remove_rmap()</c>: the
    /// model's mapcount less one, <c>atomic_add_unless(-1, 0)</c>, which leaves a folio mapped by no
    /// migration-entry-free PTE alone), and <c>__folio_remove_rmap()</c>'s call of
    /// <c>deferred_split_folio()</c> is the state's <see cref="mmfuzz_queue_for_deferred_split"/>,
    /// partially mapped while pages stay mapped. Before the remap the range holds migration entries, whose
    /// zap does not touch the folio. CUSTOMISED: the page table and its lock are not modelled; the
    /// fully ordered atomic stands for the lock's ordering; the unmapped pages' references, which the
    /// TLB flush drops, are not modelled (the mapping keeps its one reference).
    /// </summary>
    public virtual async Sim mmfuzz_zap_folio_range(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.zap_pte_range, folio.Addr);
        int mapped = await AtomicAddUnless(folio.Mapcount, -1, 0);
        if (mapped == 0)
            return;             // migration entries: not the folio's PTEs yet
        await mmfuzz_queue_for_deferred_split(folio, mapped > 1);
    }

    /// <summary>
    /// Port of <c>folio_migrate_mapping()</c> (mm/migrate.c, v6.8/v6.9) for an anonymous folio without
    /// a mapping: <c>if (folio_ref_count(folio) != expected_count) return -EAGAIN;</c> — the count is
    /// checked, not frozen, so a scan may pin the folio right after the check.
    /// </summary>
    protected virtual async Sim<int> folio_migrate_mapping(FolioPtr folio, int expected_count)
    {
        using var _ = Cpu.Enter(Fn.folio_migrate_mapping, folio.Addr, expected_count);
        if (await folio_ref_count(folio) != expected_count)
            return -EAGAIN;
        return 0;
    }

    /// <summary>
    /// Port of <c>mem_cgroup_migrate()</c> (mm/memcontrol.c, v6.7–v6.10-rc, from 9bcef5973e31): if the
    /// old folio is charged, <c>commit_charge(new, memcg)</c>, then
    /// <c>if (folio_test_large(old) &amp;&amp; folio_test_large_rmappable(old)) folio_undo_large_rmappable(old);</c>
    /// with the refcount NOT 0, then <c>old-&gt;memcg_data = 0;</c>
    /// </summary>
    protected virtual async Sim mem_cgroup_migrate(FolioPtr old, FolioPtr @new)
    {
        using var _ = Cpu.Enter(Fn.mem_cgroup_migrate, old.Addr);
        var memcg = await folio_memcg(old);
        if (memcg.IsNull)
            return;
        await commit_charge(@new, memcg);
        await mmfuzz_mem_cgroup_migrate_unqueue(old);
        using var clear = Cpu.Enter(Fn.memcg_data_clear, old.Addr);
        await Store(old.MemcgData, default);
    }

    /// <summary>
    /// Port of <c>commit_charge()</c> (mm/memcontrol.c): <c>folio-&gt;memcg_data = (unsigned long)memcg;</c>
    /// (from 7.1 the memcg's objcg; the model keeps the memcg). Nothing when the scenario models no
    /// destination. CUSTOMISED: its <c>VM_BUG_ON_FOLIO()</c> that the folio is not yet charged is left out
    /// (a destination is fresh by construction).
    /// </summary>
    protected virtual async Sim commit_charge(FolioPtr folio, MemcgPtr memcg)
    {
        if (folio.IsNull)
            return;
        using var _ = Cpu.Enter(Fn.commit_charge, folio.Addr);
        await Store(folio.MemcgData, memcg);
    }

    /// <summary>The unqueue of <c>mem_cgroup_migrate()</c>: present from 9bcef5973e31 until be9581ea8c05 (v6.10) removed it.</summary>
    protected virtual async Sim mmfuzz_mem_cgroup_migrate_unqueue(FolioPtr old)
    {
        if (await folio_test_large(old) && await folio_test_large_rmappable(old))
            await folio_undo_large_rmappable(old);
    }
}
