namespace MmFuzz.Engine;

/// <summary>Pops a CPU's call stack when disposed (used as <c>using var _ = cpu.Enter(...)</c> in ports).</summary>
public readonly struct FrameScope : IDisposable
{
    readonly Cpu cpu;

    internal FrameScope(Cpu cpu) => this.cpu = cpu;

    /// <summary>Leaves the function.</summary>
    public void Dispose() => cpu.Depth--;
}
