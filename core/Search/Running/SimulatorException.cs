namespace MmFuzz.Search;

/// <summary>A C# exception inside the simulator during a search: a bug of MmFuzz, not of the kernel.</summary>
public sealed class SimulatorException(string message) : InvalidOperationException(message);
