using MmFuzz.Engine;

namespace MmFuzz.Kernel;

// PORTED: migration of an isolated anonymous large folio without a mapping (mm/migrate.c,
// mm/memcontrol.c, v6.8/v6.9). The destination folio is not modelled: nothing queues it (Zi Yan's
// point, docs/HISTORY.md §4.4), and the source's fate is what races with the scan. Variants override the
// steps their kernel state changed.
public abstract partial class Kernel
{
    /// <summary>Error code of a migration or split that must be retried.</summary>
    protected const int EAGAIN = 11;

    /// <summary>
    /// One isolated folio through <c>migrate_pages_batch()</c> (mm/migrate.c, v6.9): move the mapping
    /// (<c>migrate_folio()</c> → <c>folio_migrate_mapping()</c>), hand the charge to the destination
    /// (<c>mem_cgroup_migrate()</c>, via <c>folio_migrate_flags()</c>), then drop the isolation
    /// reference (<c>migrate_folio_done()</c> on success, <c>folio_putback_lru()</c> on failure; both
    /// end in <c>folio_put()</c>). CUSTOMISED: unmapping and copying are not modelled; retries are not
    /// taken (a failed attempt puts the folio back).
    /// </summary>
    public virtual async Sim migrate_folio(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.migrate_folio, folio.Addr);
        if (await folio_migrate_mapping(folio, 1) == 0)
            await mem_cgroup_migrate(folio);
        await folio_put(folio);
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
        await mem_cgroup_migrate_unqueue(old);
        using var clear = Cpu.Enter(Fn.memcg_data_clear, old.Addr);
        await Store(old.MemcgData, default);
    }

    /// <summary>The unqueue of <c>mem_cgroup_migrate()</c>: present from 9bcef5973e31 until be9581ea8c05 (v6.10) removed it.</summary>
    protected virtual async Sim mem_cgroup_migrate_unqueue(FolioPtr old)
    {
        if (await folio_test_large(old) && await folio_test_large_rmappable(old))
            await folio_undo_large_rmappable(old);
    }
}
