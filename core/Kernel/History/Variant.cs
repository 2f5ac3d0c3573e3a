using MmFuzz.Engine;

namespace MmFuzz.Kernel;

/// <summary>
/// A kernel state the model reproduces: its name, the kernel state and commit it stands for, and the
/// <see cref="Kernel"/> subclass that holds the functions that differ in it. What history says about
/// it is its row in <see cref="History"/>.
/// </summary>
/// <param name="Name">Name on the command line (<c>v6.9</c>, <c>mm-2024-03</c>).</param>
/// <param name="KernelState">The kernel state and commit it reproduces.</param>
/// <param name="Factory">Creates the ports for one CPU.</param>
public sealed record Variant(string Name, string KernelState, Func<World, Cpu, Kernel> Factory)
{
    /// <summary>The ports bound to one CPU.</summary>
    public Kernel Create(World world, Cpu cpu) => Factory(world, cpu);

    /// <summary>Whether this kernel state has <c>PG_partially_mapped</c> (v6.12-rc1, dafff3f4c850, and later).</summary>
    public bool HasPartiallyMappedFlag { get; init; }

    /// <summary>
    /// Whether memcg offline reparents the deferred split queue and <c>split_queue_lock()</c> takes a
    /// dying memcg's parent's lock instead of its own (the folio_batch series, patch 4/4): from
    /// <c>kill_css()</c> on, a dying memcg's list is guarded by its parent's lock too.
    /// </summary>
    public bool ReparentsSplitQueue { get; init; }
}
