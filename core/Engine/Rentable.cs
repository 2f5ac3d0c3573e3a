using System.Runtime.ExceptionServices;

namespace MmFuzz.Engine;

/// <summary>
/// The pooled part of a box: its free-list link, its caller and the runtime it belongs to. A box is
/// rented when its function first suspends and returned when the function returns (or, for the
/// functions an execution left suspended, when the machine resets: <see cref="SimRuntime.Reclaim(Action)"/>).
/// Returning boxes as functions return keeps the few boxes of the current call depth hot and needs
/// no per-execution list of rentals.
/// </summary>
public abstract class Rentable
{
    /// <summary>The next free box of the same type.</summary>
    internal Rentable? NextFree;
    /// <summary>The caller, resumed when the function returns.</summary>
    internal Action? Continuation;
    /// <summary>The runtime this box belongs to.</summary>
    internal SimRuntime Runtime = null!;
    /// <summary>Between rent and recycle; guards against returning a box twice.</summary>
    internal bool Rented;

    /// <summary>Clears the box and returns it to its runtime's free list (once).</summary>
    internal abstract void Recycle();
}
