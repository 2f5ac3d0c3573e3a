using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;

namespace MmFuzz.Search;

/// <summary>
/// Systems for generated scenarios, one per layout (CPU count and folio names), each reloaded with
/// the next scenario of its shape (<see cref="Simulation.Reload"/>) instead of building a new one per
/// execution: a generating hunt draws a new scenario for every execution, and building a system
/// (arena, machine, kernels, oracles) cost more than running it. Belongs to one thread.
/// </summary>
/// <param name="variant">The kernel state.</param>
/// <param name="oraclesOff">The bug kinds whose oracles are off.</param>
/// <param name="observer">An observer to attach to every system, or null.</param>
public sealed class SimulationCache(Variant variant, IReadOnlySet<BugKind>? oraclesOff = null, Oracle? observer = null) : IDisposable
{
    readonly Dictionary<string, Simulation> systems = [];

    /// <summary>A system running <paramref name="scenario"/>.</summary>
    public Simulation For(Scenario scenario)
    {
        var shape = World.ShapeOf(scenario);
        if (systems.TryGetValue(shape, out var sim))
        {
            if (!ReferenceEquals(sim.Scenario, scenario))
                sim.Reload(scenario);
            return sim;
        }
        sim = new Simulation(variant, scenario, oraclesOff, observer);
        systems.Add(shape, sim);
        return sim;
    }

    /// <summary>Releases every system.</summary>
    public void Dispose()
    {
        foreach (var s in systems.Values)
            s.Dispose();
        systems.Clear();
    }
}
