using MmFuzz.Engine;

namespace MmFuzz.Kernel;

/// <summary>
/// <c>v7.1</c>: mm-2026-03 (<see cref="KernelMm2026_03"/>) plus 3bac01168982 "mm: fix deferred split
/// queue races during migration" (Lance Yang, Fixes: 8a8ca142a488, reported by syzbot, suggested by David
/// Hildenbrand; Zi Yan moved a comment). The replay moves before <c>remove_migration_ptes()</c>, so the
/// destination is back on its queue before any task can see it, with its lock still held; and because of
/// that lock, loop 2 of the scan re-queues a folio whose <c>folio_trylock()</c> fails
/// (<c>goto requeue</c>) instead of dropping it. Both commits reached mainline together, with tag
/// mm-stable-2026-04-13-21-45 (merged 2026-04-15, 334fbe734e68), in the 7.1 merge window: v7.1 is the
/// first release with them (v7.1-rc1, 2026-04-26); 7.0.y took both as stable backports. Checked against
/// 7.1.8's mm/migrate.c <c>migrate_folio_move()</c> (lines 1355-1451) and mm/huge_memory.c loop 2
/// (docs/SOURCES.md §1.4, §3.10).
/// </summary>
public class KernelV7_1(World world, Cpu cpu) : KernelMm2026_03(world, cpu)
{
    /// <summary>
    /// Port of <c>migrate_folio_move()</c> (mm/migrate.c, 7.1.8 lines 1355-1451): the record of
    /// 8a8ca142a488, and the replay <c>if (src_deferred_split) deferred_split_folio(dst, src_partially_mapped);</c>
    /// right after a successful <c>move_to_new_folio()</c>, before <c>folio_add_lru(dst)</c> and
    /// <c>remove_migration_ptes(src, dst, 0)</c> (3bac01168982).
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
            if (src_deferred_split)
                await deferred_split_folio(dst, src_partially_mapped);
            await remove_migration_ptes(src, dst, 0);
            await folio_unlock(dst);            // out_unlock_both:
            await folio_put(dst);
        }
        await folio_unlock(src);
        await folio_put(src);                   // migrate_folio_done()
        return 0;
    }

    /// <summary>
    /// Loop 2 of <c>deferred_split_scan()</c> with 3bac01168982 (7.1.8 mm/huge_memory.c): a failed
    /// trylock goes to the re-queue (<c>goto requeue</c>), "Add back partially mapped folios, or
    /// underused folios that we could not lock this round" — the loop of <see cref="KernelFolioBatch"/>.
    /// Returns the number split.
    /// </summary>
    protected override Sim<int> mmfuzz_deferred_split_scan_batch(FolioBatch fbatch) =>
        mmfuzz_deferred_split_scan_loop2(fbatch, requeue_unlocked: true);
}
