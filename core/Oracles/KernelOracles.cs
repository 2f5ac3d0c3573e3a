using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Oracles;

/// <summary>The oracles every simulated system runs with, in the order the machine calls them.</summary>
public static class KernelOracles
{
    /// <summary>
    /// Every oracle for <paramref name="world"/>, with the ones <paramref name="off"/> names turned off
    /// (<c>--ignore KIND</c>, a schedule file's <c>oracles-off</c>): the wrong-lock assertion keeps its
    /// bookkeeping but stays silent, and the data-race detector does not run, so the execution
    /// reaches what comes after. Other kinds cannot be turned off: their oracles stop the kernel
    /// where the kernel itself would stop (a search may still set their findings aside).
    /// </summary>
    /// <remarks>
    /// The order matters where two oracles watch the same event: the free-time check looks at a
    /// folio before KASAN poisons it, and at the end a deadlock is reported before the quiescence
    /// checks, the lost-split check after them, and a data race only when nothing else fired.
    /// </remarks>
    public static IReadOnlyList<Oracle> For(World world, IReadOnlySet<BugKind> off)
    {
        var queues = new QuiescenceOracle(world);
        var oracles = new List<Oracle>
        {
            new BadPageOracle(world),
            new KasanOracle(world),
            new WrongLockOracle(world, reports: !off.Contains(BugKind.WrongLock)),
            new LockMisuseOracle(),
            new LivelockOracle(),
            new DeadlockOracle(),
            queues,
        };
        if (world.Variant.Traits.HasPartiallyMappedFlag)
            oracles.Add(new LostDeferredSplitOracle(world, queues));
        if (!off.Contains(BugKind.DataRace))
            oracles.Add(new DataRaceOracle(world.Scenario.Cpus.Length, world.Arena));
        return oracles;
    }
}
