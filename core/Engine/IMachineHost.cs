namespace MmFuzz.Engine;

/// <summary>
/// What the engine needs from the simulated system: the CPUs' programs and the names of things. The
/// engine itself knows nothing of folios or queues; the oracles that do are attached beside it.
/// </summary>
public interface IMachineHost
{
    /// <summary>Starts CPU <paramref name="cpu"/>'s program (it runs until its first scheduling point).</summary>
    Sim StartProgram(Cpu cpu);

    /// <summary>A short symbolic name for an address or pointer value ("A", "memcg1.queue", "LIST_POISON2").</summary>
    string Symbol(nint addr);
}
