using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of <c>folio_migrate_mapping()</c> (mm/migrate.c, v6.10, be9581ea8c05): the patch keeps the
/// <c>folio_ref_freeze()</c> check but unqueues after <c>folio_ref_unfreeze()</c>, so the unqueue runs with
/// a live refcount again. Between the unfreeze and the unqueue the scan's <c>folio_try_get()</c>
/// succeeds and moves the folio to its on-stack list; migration then pulls it off that list under
/// the scan's feet: loop 2 revisits the self-linked folio and walks it after freeing it, or never
/// reaches the folios behind it and leaks their pins: the race be9581ea8c05 fixed.
/// </summary>
/// <remarks>
/// Since 7262f208ca68 (v6.10-rc1) migration splits instead of migrating a folio it sees queued, so
/// the witness needs the folio queued after that check: three preemptions, as v6.10-rc1's own race.
/// </remarks>
public sealed class V6_10UnqueueAfterUnfreeze(World world, Cpu cpu) : KernelV6_10(world, cpu)
{
    /// <summary>Mutated <c>folio_migrate_mapping()</c> (v6.10): freeze, unfreeze, then unqueue.</summary>
    protected override async Sim<int> folio_migrate_mapping(FolioPtr folio, int expected_count)
    {
        using var _ = Cpu.Enter(Fn.folio_migrate_mapping, folio.Addr, expected_count);
        if (await folio_ref_count(folio) != expected_count)
            return -EAGAIN;
        if (await folio_test_large(folio) && await folio_test_large_rmappable(folio))
        {
            if (!await folio_ref_freeze(folio, expected_count))
                return -EAGAIN;
            // MUTATION: unfrozen before the unqueue instead of after it.
            await folio_ref_unfreeze(folio, expected_count);
            await folio_undo_large_rmappable(folio);
        }
        return 0;
    }
}
