using MmFuzz.Memory;

namespace MmFuzz.Engine;

/// <summary>
/// What the engine needs from the simulated kernel: the CPUs' programs, the kernel-specific oracles
/// and the names of things. Implemented by <c>Kernel.World</c>; the engine itself knows nothing of
/// folios or queues.
/// </summary>
public interface IMachineHost
{
    /// <summary>Starts CPU <paramref name="cpu"/>'s program (it runs until its first scheduling point).</summary>
    Sim StartProgram(Cpu cpu);

    /// <summary>Clears per-execution kernel bookkeeping (the arena itself is reset by the machine).</summary>
    void OnReset();

    /// <summary>
    /// Called before a validated write (any access but a plain load) to a live object is performed:
    /// the place for lock-discipline oracles. Loads are not offered (nothing checks them; it saves a call per step). Reports through <see cref="Machine.Report"/> and returns false to stop the access.
    /// </summary>
    bool BeforeAccess(Cpu cpu, in Access access, in AddressInfo info);

    /// <summary>Called when an access hits something that is not a live object; reports the right fault.</summary>
    void ReportBadAccess(Cpu cpu, in Access access, in AddressInfo info);

    /// <summary>Checks the state when every CPU has finished. Reports and returns false on a violation.</summary>
    bool CheckQuiescence();

    /// <summary>A short symbolic name for an address or pointer value ("A", "memcg1.queue", "LIST_POISON2").</summary>
    string Symbol(nint addr);
}
