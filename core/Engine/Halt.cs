using System.Runtime.CompilerServices;

namespace MmFuzz.Engine;

/// <summary>
/// Awaited after an oracle fired inside a port (a CONFIG_DEBUG_LIST check, a VM_BUG_ON): the CPU
/// stops there, as the kernel would at BUG(), and is never resumed.
/// </summary>
/// <remarks>
/// Made by <c>Kernel.Bug()</c>, which knows the CPU. A <c>default(Halt)</c> knows none: its
/// continuation is dropped, and the machine reports the port as a harness error (it suspended
/// without announcing an access and without a report).
/// </remarks>
public readonly struct Halt : ICriticalNotifyCompletion, ISimAwaiter
{
    readonly Cpu? cpu;

    internal Halt(Cpu cpu) => this.cpu = cpu;

    SimRuntime ISimAwaiter.Runtime => cpu?.Runtime ?? SimRuntime.ForCurrentThread;

    /// <summary>Returns itself.</summary>
    public Halt GetAwaiter() => this;

    /// <summary>Always false.</summary>
    public bool IsCompleted => false;

    /// <summary>Never called: a halted CPU does not resume.</summary>
    public void GetResult() => throw new InvalidOperationException("a halted CPU was resumed");

    /// <summary>Parks the continuation, never to be resumed (the machine reclaims its box at the reset).</summary>
    public void OnCompleted(Action continuation) => Park(continuation);

    /// <summary>Parks the continuation, never to be resumed.</summary>
    public void UnsafeOnCompleted(Action continuation) => Park(continuation);

    void Park(Action continuation)
    {
        if (cpu is not null)
            cpu.Parked = continuation;
    }
}
