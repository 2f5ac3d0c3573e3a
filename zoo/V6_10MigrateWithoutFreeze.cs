using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of <c>folio_migrate_mapping()</c> (mm/migrate.c, v6.10, be9581ea8c05): the patch unqueues
/// without <c>folio_ref_freeze()</c>, as v6.10-rc1 did, trusting the refcount check before it. Between
/// the check and the unqueue the scan's <c>folio_try_get()</c> succeeds and moves the folio to its
/// on-stack list; migration then takes it off that list, so loop 2 never reaches it and the scan's
/// pin leaks. The mutation check's refcount-freeze removal (tests/ZooTests.cs, <c>MutationCheck</c>);
/// <see cref="V6_10UnqueueAfterUnfreeze"/> keeps the freeze but unqueues after it.
/// </summary>
public sealed class V6_10MigrateWithoutFreeze(World world, Cpu cpu) : KernelV6_10(world, cpu)
{
    /// <summary>Mutated <c>folio_migrate_mapping()</c> (v6.10): unqueue without the refcount freeze.</summary>
    protected override async Sim<int> folio_migrate_mapping(FolioPtr folio, int expected_count)
    {
        using var _ = Cpu.Enter(Fn.folio_migrate_mapping, folio.Addr, expected_count);
        if (await folio_ref_count(folio) != expected_count)
            return -EAGAIN;
        // MUTATION: no folio_ref_freeze(folio, expected_count) / folio_ref_unfreeze() around the unqueue.
        if (await folio_test_large(folio) && await folio_test_large_rmappable(folio))
            await folio_undo_large_rmappable(folio);
        return 0;
    }
}
