using MmFuzz.Memory;

namespace MmFuzz.Engine;

/// <summary>Replay found a step that differs from the recording.</summary>
public sealed class ReplayDivergedException(string message) : Exception(message);
