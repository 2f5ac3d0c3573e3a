using MmFuzz.Engine;

namespace MmFuzz.Kernel;

// PORTED: migration of an isolated anonymous large folio without a mapping (mm/migrate.c,
// mm/memcontrol.c, v6.8/v6.9), in MIGRATE_ASYNC mode: the mode of compaction's first pass
// (compact_zone() with cc->mode MIGRATE_ASYNC) and of NUMA balancing (migrate_misplaced_folio()), and the
// first batch migrate_pages_sync() runs for every other mode. The destination folio is not modelled:
// nothing queues it (Zi Yan's point, docs/HISTORY.md §4.4), and the source's fate is what races with
// the scan. Variants override the steps their kernel state changed.
public abstract partial class Kernel
{
    /// <summary>Error code of a migration or split that must be retried.</summary>
    protected const int EAGAIN = 11;

    /// <summary><c>MIGRATEPAGE_UNMAP</c> (include/linux/migrate.h, 1 since Huang Ying's batched migration, v6.3): the source is unmapped and stays locked for the move.</summary>
    protected const int MIGRATEPAGE_UNMAP = 1;

    /// <summary>
    /// One isolated folio through <c>migrate_pages_batch()</c> (mm/migrate.c, v6.8/v6.9, MIGRATE_ASYNC):
    /// the unmap pass (<see cref="migrate_folio_unmap"/>, which takes the source folio lock), then the
    /// move pass (<see cref="migrate_folio_move"/>, which releases it and drops the isolation reference).
    /// A folio whose unmap failed with -EAGAIN stays on the <c>from</c> list for a retry and is finally
    /// put back by the caller (<c>putback_movable_pages()</c> → <c>folio_putback_lru()</c>, which ends in
    /// <c>folio_put()</c>). CUSTOMISED: retries are not taken (a failed attempt puts the folio back).
    /// </summary>
    public virtual async Sim mmfuzz_migrate_folio(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.migrate_folio, folio.Addr);
        if (await migrate_folio_unmap(folio) != MIGRATEPAGE_UNMAP)
        {
            await folio_put(folio);     // putback_movable_pages(): folio_putback_lru()
            return;
        }
        await migrate_folio_move(folio);
    }

    /// <summary>
    /// Port of the locking of <c>migrate_folio_unmap()</c> (mm/migrate.c, v6.3 batching to v6.13; read in a
    /// v6.11 copy): <c>if (!folio_trylock(src)) { if (mode == MIGRATE_ASYNC) goto out; ... }</c>, where
    /// <c>out:</c> with rc -EAGAIN leaves the folio on the <c>from</c> list, unlocked, for a retry. On success
    /// the source stays locked: <c>return MIGRATEPAGE_UNMAP;</c> with src and dst locked, until
    /// <c>migrate_folio_move()</c> unlocks it. CUSTOMISED: the folio is already unmapped (its one reference,
    /// the isolation reference, is the count the move expects), so <c>try_to_migrate()</c>, the anon_vma
    /// and the destination are not modelled, nor the first check <c>if (folio_ref_count(src) == 1)</c>
    /// ("Folio was freed from under us"), which in the kernel sees the mappings' references too.
    /// </summary>
    protected virtual async Sim<int> migrate_folio_unmap(FolioPtr src)
    {
        using var _ = Cpu.Enter(Fn.migrate_folio_unmap, src.Addr);
        if (!await folio_trylock(src))
            return -EAGAIN;             // MIGRATE_ASYNC: goto out
        return MIGRATEPAGE_UNMAP;
    }

    /// <summary>
    /// Port of <c>migrate_folio_move()</c> (mm/migrate.c, v6.8/v6.9) for the source folio, locked since
    /// <see cref="migrate_folio_unmap"/>: <c>move_to_new_folio()</c> → <c>migrate_folio()</c> →
    /// <c>folio_migrate_mapping()</c>, then <c>folio_migrate_flags()</c>, which ends in
    /// <c>mem_cgroup_migrate()</c>; on success <c>folio_unlock(src); migrate_folio_done(src, reason);</c>
    /// (<c>folio_put()</c>). On -EAGAIN the kernel keeps src locked on <c>unmap_folios</c> for another pass and
    /// finally <c>migrate_folio_undo_src()</c> unlocks it and the caller puts it back: here the failed move
    /// unlocks and puts at once (no retry).
    /// </summary>
    protected virtual async Sim migrate_folio_move(FolioPtr src)
    {
        using var _ = Cpu.Enter(Fn.migrate_folio_move, src.Addr);
        if (await folio_migrate_mapping(src, 1) == 0)
            await mem_cgroup_migrate(src);
        await folio_unlock(src);
        await folio_put(src);           // migrate_folio_done(), or the putback after migrate_folio_undo_src()
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
    /// old folio is charged, <c>commit_charge(new, memcg)</c> (the destination is not modelled), then
    /// <c>if (folio_test_large(old) &amp;&amp; folio_test_large_rmappable(old)) folio_undo_large_rmappable(old);</c>
    /// with the refcount NOT 0, then <c>old-&gt;memcg_data = 0;</c>
    /// </summary>
    protected virtual async Sim mem_cgroup_migrate(FolioPtr old)
    {
        using var _ = Cpu.Enter(Fn.mem_cgroup_migrate, old.Addr);
        if ((await folio_memcg(old)).IsNull)
            return;
        await mmfuzz_mem_cgroup_migrate_unqueue(old);
        using var clear = Cpu.Enter(Fn.memcg_data_clear, old.Addr);
        await Store(old.MemcgData, default);
    }

    /// <summary>The unqueue of <c>mem_cgroup_migrate()</c>: present from 9bcef5973e31 until be9581ea8c05 (v6.10) removed it.</summary>
    protected virtual async Sim mmfuzz_mem_cgroup_migrate_unqueue(FolioPtr old)
    {
        if (await folio_test_large(old) && await folio_test_large_rmappable(old))
            await folio_undo_large_rmappable(old);
    }
}
