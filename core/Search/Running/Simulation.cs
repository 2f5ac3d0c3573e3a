using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;

namespace MmFuzz.Search;

/// <summary>
/// One simulated system, ready to run schedules: the <see cref="World"/> (memory laid out and booted
/// for the scenario), a <see cref="Machine"/> with one CPU per program, each CPU's ports of the
/// variant's kernel, and every oracle (<see cref="KernelOracles"/>). Built once; each
/// <see cref="Run"/> starts from the booted state.
/// </summary>
public sealed class Simulation : IMachineHost, IDisposable
{
    readonly Kernel.Kernel[] kernels;
    readonly ProgramRunner runner;

    /// <summary>Builds the system for <paramref name="scenario"/> under <paramref name="variant"/>.</summary>
    /// <param name="variant">The kernel state.</param>
    /// <param name="scenario">The scenario.</param>
    /// <param name="oraclesOff">The bug kinds whose oracles are off, or null: none.</param>
    /// <param name="observer">An observer that never reports (<see cref="BranchCoverage"/>), attached after the oracles, or null.</param>
    public Simulation(Variant variant, Scenario scenario, IReadOnlySet<BugKind>? oraclesOff = null, Oracle? observer = null)
    {
        OraclesOff = oraclesOff ?? new HashSet<BugKind>();
        World = new World(variant, scenario);
        Machine = new Machine(World.Arena, scenario.Cpus.Length);
        var oracles = KernelOracles.For(World, OraclesOff);
        Machine.Attach(this, observer is null ? oracles : oracles.Append(observer));
        kernels = Machine.Cpus.Select(c => variant.Create(World, c)).ToArray();
        runner = new ProgramRunner(World);
    }

    /// <summary>
    /// Makes this system run <paramref name="scenario"/> instead, which must fit its layout
    /// (<see cref="World.Fits"/>): the memory is booted again and every oracle derives again what it
    /// derived from the booted state (<see cref="Oracle.Rebooted"/>), so nothing of the last scenario
    /// remains. Far cheaper than building a new system.
    /// </summary>
    public void Reload(Scenario scenario)
    {
        World.Reload(scenario);
        foreach (var o in Machine.Oracles)
            o.Rebooted();
    }

    /// <summary>The memory and its layout.</summary>
    public World World { get; }

    /// <summary>The engine running the CPUs.</summary>
    public Machine Machine { get; }

    /// <summary>The kernel state being simulated.</summary>
    public Variant Variant => World.Variant;

    /// <summary>The scenario.</summary>
    public Scenario Scenario => World.Scenario;

    /// <summary>The oracles turned off.</summary>
    public IReadOnlySet<BugKind> OraclesOff { get; }

    /// <summary>Runs one execution under <paramref name="strategy"/>.</summary>
    public Outcome Run(ISchedulingStrategy strategy) => Machine.Run(strategy);

    /// <inheritdoc/>
    public Sim StartProgram(Cpu cpu) => runner.Run(cpu, kernels[cpu.Index], Scenario.Cpus[cpu.Index]);

    /// <inheritdoc/>
    public string Symbol(nint addr) => World.Symbols.Symbol(addr);

    /// <summary>Releases the arena.</summary>
    public void Dispose() => World.Dispose();
}
