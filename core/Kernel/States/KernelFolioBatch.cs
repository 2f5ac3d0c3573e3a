using MmFuzz.Engine;

namespace MmFuzz.Kernel;

/// <summary>
/// <c>folio-batch</c>: the design the seed mail proposed ("use a folio_batch in deferred_split_scan()"),
/// as Muchun Song and Qi Zheng implemented it in 2025 (<see cref="KernelV6_19"/>, the series as merged
/// for v6.19), with the scan half of 3bac01168982 "mm: fix deferred split queue races during migration"
/// (Lance Yang, 2026): loop 2's failed <c>folio_trylock()</c> re-queues the folio (<c>goto requeue</c>),
/// so an underused folio another task held locked is not dropped. It has neither a2e0c0668a34
/// (migration does not requeue its destination) nor the other half of 3bac01168982, so no kernel
/// release is this state: it is the seed mail's proposal with the scan as it ended up, kept as history's
/// row for the proposal (docs/HISTORY.md §4.8). The released states are <see cref="KernelV6_19"/>
/// (v6.19, v7.0), <see cref="KernelMm2026_03"/> and <see cref="KernelV7_1"/> (docs/SOURCES.md §3.9, §3.10).
/// </summary>
public class KernelFolioBatch(World world, Cpu cpu) : KernelV6_19(world, cpu)
{
    /// <summary>
    /// Loop 2 of <c>deferred_split_scan()</c> with 3bac01168982's scan half (7.1.8 lines 4570-4614): as
    /// <see cref="KernelV6_19.mmfuzz_deferred_split_scan_batch"/>, but a failed trylock goes straight to
    /// the re-queue (<c>goto requeue</c>): "Add back partially mapped folios, or underused folios that we
    /// could not lock this round". Returns the number split.
    /// </summary>
    protected override Sim<int> mmfuzz_deferred_split_scan_batch(FolioBatch fbatch) =>
        mmfuzz_deferred_split_scan_loop2(fbatch, requeue_unlocked: true);
}
