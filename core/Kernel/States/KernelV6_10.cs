using MmFuzz.Engine;

namespace MmFuzz.Kernel;

/// <summary>
/// v6.10: v6.10-rc1 plus be9581ea8c05 (Hugh Dickins): <c>folio_migrate_mapping()</c> freezes the
/// refcount to 0 around the unqueue ("Take off deferred split queue while frozen and memcg set"),
/// and <c>mem_cgroup_migrate()</c> no longer unqueues. A scan that holds a reference makes the freeze
/// fail; a frozen folio makes the scan's <c>folio_try_get()</c> fail.
/// </summary>
public class KernelV6_10(World world, Cpu cpu) : KernelV6_10Rc1(world, cpu)
{
    /// <summary>
    /// Port of <c>folio_migrate_mapping()</c> (mm/migrate.c, v6.10, be9581ea8c05) for an anonymous folio
    /// without a mapping: -EAGAIN unless the count is the expected one; then, for a large rmappable folio,
    /// freeze the count at that value (-EAGAIN if it moved), unqueue with <c>folio_undo_large_rmappable()</c>
    /// while frozen and still charged, and unfreeze (docs/SOURCES.md §3.6).
    /// </summary>
    protected override async Sim<int> folio_migrate_mapping(FolioPtr folio, int expected_count)
    {
        using var _ = Cpu.Enter(Fn.folio_migrate_mapping, folio.Addr, expected_count);
        if (await folio_ref_count(folio) != expected_count)
            return -EAGAIN;
        /* Take off deferred split queue while frozen and memcg set */
        if (await folio_test_large(folio) && await folio_test_large_rmappable(folio))
        {
            if (!await folio_ref_freeze(folio, expected_count))
                return -EAGAIN;
            await folio_undo_large_rmappable(folio);
            await folio_ref_unfreeze(folio, expected_count);
        }
        return 0;
    }

    /// <summary><c>mem_cgroup_migrate()</c> (mm/memcontrol.c, v6.10): the unqueue is gone.</summary>
    protected override Sim mmfuzz_mem_cgroup_migrate_unqueue(FolioPtr old) => default;
}
