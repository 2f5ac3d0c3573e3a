using System.Runtime.CompilerServices;

namespace MmFuzz.Engine;

/// <summary>
/// An awaiter a kernel port may await: a <see cref="Step"/>, a callee's <see cref="Sim"/>, or
/// <see cref="Halt"/>. The builders require it, so awaiting anything else does not compile.
/// </summary>
public interface ISimAwaiter : ICriticalNotifyCompletion
{
    /// <summary>The runtime whose boxes the suspending port rents.</summary>
    internal SimRuntime Runtime { get; }
}
