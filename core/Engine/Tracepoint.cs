namespace MmFuzz.Engine;

/// <summary>
/// A named point in the kernel code that oracles can watch (as the kernel's tracepoints and its debug
/// hooks let KASAN, lockdep and kmemleak watch it). Declared by the simulated kernel; fired with
/// <see cref="Machine.Tracepoint"/>; never a scheduling point.
/// </summary>
/// <param name="name">The name, for messages.</param>
public sealed class Tracepoint(string name)
{
    /// <summary>The name.</summary>
    public string Name { get; } = name;

    /// <inheritdoc/>
    public override string ToString() => Name;
}
