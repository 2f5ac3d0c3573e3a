using System.Runtime.CompilerServices;
using MmFuzz.Memory;

namespace MmFuzz.Engine;

/// <summary>
/// A scheduling point with a result: awaiting it suspends the port until the machine has performed
/// the announced access on this CPU's turn, then yields the value the access produced.
/// </summary>
public readonly struct Step<T> : ICriticalNotifyCompletion, ISimAwaiter where T : unmanaged
{
    readonly Cpu cpu;

    internal Step(Cpu cpu) => this.cpu = cpu;

    /// <summary>Returns itself: a step is its own awaiter.</summary>
    public Step<T> GetAwaiter() => this;

    /// <summary>Always false: every shared access is a scheduling point.</summary>
    public bool IsCompleted => false;

    /// <summary>The value produced by the access.</summary>
    public T GetResult() => Word.From<T>(cpu.Result);

    /// <summary>Parks the port until the machine performs the access.</summary>
    public void OnCompleted(Action continuation) => cpu.Resume = continuation;

    /// <summary>Parks the port until the machine performs the access.</summary>
    public void UnsafeOnCompleted(Action continuation) => cpu.Resume = continuation;

    SimRuntime ISimAwaiter.Runtime => cpu.Runtime;
}

/// <summary>A scheduling point without a result (a store, an unlock).</summary>
public readonly struct Step : ICriticalNotifyCompletion, ISimAwaiter
{
    readonly Cpu cpu;

    internal Step(Cpu cpu) => this.cpu = cpu;

    /// <summary>Returns itself.</summary>
    public Step GetAwaiter() => this;

    /// <summary>Always false.</summary>
    public bool IsCompleted => false;

    /// <summary>Nothing to return.</summary>
    public void GetResult() { }

    /// <summary>Parks the port until the machine performs the access.</summary>
    public void OnCompleted(Action continuation) => cpu.Resume = continuation;

    /// <summary>Parks the port until the machine performs the access.</summary>
    public void UnsafeOnCompleted(Action continuation) => cpu.Resume = continuation;

    SimRuntime ISimAwaiter.Runtime => cpu.Runtime;
}
