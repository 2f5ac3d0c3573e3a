using MmFuzz.Engine;

namespace MmFuzz.Kernel;

/// <summary>
/// <c>mm-2026-03</c>: v6.19 (<see cref="KernelV6_19"/>) plus "mm: migrate: requeue destination folio on
/// deferred split queue" (Usama Arif, v2 posted 2026-03-10, Fixes: dafff3f4c850) as it stood in mm-stable
/// from late March 2026 to the 7.1 merge window, hash 8a8ca142a488 there (the hash 3bac01168982's
/// Fixes: tag cites; a2e0c0668a34 in mainline, where it came with its fix). __folio_migrate_mapping()
/// takes the source off the deferred split queue, and nothing put the destination back, so underused
/// THPs escaped the shrinker after a NUMA migration: <c>migrate_folio_move()</c> now records whether the
/// source was queued and partially mapped before <c>move_to_new_folio()</c> and replays it on the
/// destination with <c>deferred_split_folio(dst, src_partially_mapped)</c> AFTER
/// <c>remove_migration_ptes()</c>. The destination is mapped by then, so a task that unmaps part of it
/// first has <c>__folio_remove_rmap()</c> flag it partially mapped, and the replay with false trips
/// <c>VM_WARN_ON_FOLIO(folio_test_partially_mapped(folio))</c> (syzbot's report, fixed by
/// 3bac01168982); and the replay queues the destination while migration still holds its lock, which
/// loop 2's <c>goto next</c> answers by dropping it when it is underused. No release has this state:
/// the commit reached mainline only with its fix (docs/SOURCES.md §1.4, §3.10).
/// </summary>
public class KernelMm2026_03(World world, Cpu cpu) : KernelV6_19(world, cpu)
{
    /// <summary>
    /// Port of <c>migrate_folio_move()</c> (mm/migrate.c) with 8a8ca142a488: before
    /// <c>move_to_new_folio()</c>, <c>if (folio_order(src) &gt; 1 &amp;&amp; !data_race(list_empty(&amp;src-&gt;_deferred_list)))
    /// { src_deferred_split = true; src_partially_mapped = folio_test_partially_mapped(src); }</c>; after a
    /// successful move, <c>remove_migration_ptes(src, dst, 0)</c> and then
    /// <c>if (src_deferred_split) deferred_split_folio(dst, src_partially_mapped);</c>, before
    /// <c>out_unlock_both:</c>. Otherwise as <see cref="Kernel.migrate_folio_move"/>; without a
    /// destination in the scenario the record is made and nothing is replayed.
    /// </summary>
    protected override async Sim<int> migrate_folio_move(FolioPtr src, FolioPtr dst)
    {
        using var _ = Cpu.Enter(Fn.migrate_folio_move, src.Addr);
        bool src_deferred_split = false, src_partially_mapped = false;
        using (Cpu.Enter(Fn.src_deferred_split, src.Addr))
            if (await folio_order(src) > 1 && !await mmfuzz_list_empty_data_race(src.DeferredList))
            {
                src_deferred_split = true;
                src_partially_mapped = await folio_test_partially_mapped(src);
            }
        int rc = await folio_migrate_mapping(src, 1);       // move_to_new_folio()
        if (rc != 0)
            return rc;                          // out: -EAGAIN, kept for another pass
        await mem_cgroup_migrate(src, dst);
        if (!dst.IsNull)
        {
            await remove_migration_ptes(src, dst, 0);
            if (src_deferred_split)
                await deferred_split_folio(dst, src_partially_mapped);
            await folio_unlock(dst);            // out_unlock_both:
            await folio_put(dst);
        }
        await folio_unlock(src);
        await folio_put(src);                   // migrate_folio_done()
        return 0;
    }
}
