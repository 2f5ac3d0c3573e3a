using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;

namespace MmFuzz.Tests;

/// <summary>
/// A simulated system whose CPUs run C# code instead of a scenario's operations: the hand-made
/// tests of single ports (<see cref="Rig"/>, where a test variant's <see cref="Kernel.Kernel"/>
/// subclass exposes them) and litmus tests of the explorer. Built the way
/// <see cref="Search.Simulation"/> builds a system (the world booted for the scenario, a machine
/// with every oracle of <see cref="KernelOracles"/>, one kernel per CPU); the scenario gives the
/// folios and the number of CPUs, the programs replace its operations. Kept here so that no
/// production type needs a seam for code programs.
/// </summary>
public sealed class HandMadeSystem : IMachineHost, IDisposable
{
    readonly Kernel.Kernel[] kernels;
    readonly IReadOnlyList<Func<Kernel.Kernel, Sim>> programs;

    /// <summary>
    /// Builds the system for <paramref name="scenario"/> under <paramref name="variant"/>, with the
    /// oracles <paramref name="oraclesOff"/> names turned off, CPU <c>i</c> running <c>programs[i]</c>.
    /// </summary>
    public HandMadeSystem(Variant variant, Scenario scenario, IReadOnlySet<BugKind>? oraclesOff, IReadOnlyList<Func<Kernel.Kernel, Sim>> programs)
    {
        if (programs.Count != scenario.Cpus.Length)
            throw new ArgumentException($"{programs.Count} programs for {scenario.Cpus.Length} CPUs", nameof(programs));
        this.programs = programs;
        World = new World(variant, scenario);
        Machine = new Machine(World.Arena, scenario.Cpus.Length);
        Machine.Attach(this, KernelOracles.For(World, oraclesOff ?? new HashSet<BugKind>()));
        kernels = Machine.Cpus.Select(c => variant.Create(World, c)).ToArray();
    }

    /// <summary>The memory and its layout.</summary>
    public World World { get; }

    /// <summary>The engine running the CPUs.</summary>
    public Machine Machine { get; }

    /// <summary>Runs one execution under <paramref name="strategy"/>.</summary>
    public Outcome Run(ISchedulingStrategy strategy) => Machine.Run(strategy);

    /// <inheritdoc/>
    public Sim StartProgram(Cpu cpu) => programs[cpu.Index](kernels[cpu.Index]);

    /// <inheritdoc/>
    public string Symbol(nint addr) => World.Symbols.Symbol(addr);

    /// <summary>Releases the arena.</summary>
    public void Dispose() => World.Dispose();
}
