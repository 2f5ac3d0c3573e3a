using MmFuzz.Memory;

namespace MmFuzz.Engine;

/// <summary>
/// A checker the machine calls while it runs: what one of the kernel's debug facilities (KASAN,
/// lockdep, KCSAN, the page allocator's checks, the accounting a quiescent system must satisfy)
/// would notice. An oracle watches; it never changes what the kernel does. It reports through
/// <see cref="Machine.Report(BugKind, string, Cpu?)"/>, which stops the execution.
/// </summary>
/// <remarks>
/// The machine calls an oracle per access (<see cref="BeforeWrite"/>, <see cref="AfterAccess"/>,
/// <see cref="OnBadAccess"/>), per event of the kernel code (<see cref="OnTracepoint"/>), when a
/// CPU's program returns (<see cref="OnCpuDone"/>), at the step bound (<see cref="OnStepBound"/>)
/// and at the end of a run (<see cref="AtEnd"/>). It calls only the hooks a subclass overrides
/// (found once, when the oracle is attached), so a hook nobody watches costs nothing per step.
/// Oracles are called in the order they were attached; the first report wins.
/// </remarks>
public abstract class Oracle
{
    /// <summary>The machine this oracle is attached to (set by <see cref="Machine.Attach"/>).</summary>
    public Machine Machine { get; internal set; } = null!;

    /// <summary>Forgets what the last execution left (called before each execution, after the arena reset).</summary>
    public virtual void Reset()
    {
    }

    /// <summary>
    /// The system's memory was booted again, for another scenario of the same layout: whatever the
    /// oracle derived from the booted state or the scenario must be derived again.
    /// </summary>
    public virtual void Rebooted()
    {
    }

    /// <summary>
    /// Before <paramref name="cpu"/> performs a write (any access but a plain load) to a live object,
    /// for the operations <see cref="WatchesWrite"/> accepts. Returns false when it reported (the
    /// access does not happen).
    /// </summary>
    public virtual bool BeforeWrite(Cpu cpu, in Access access, in AddressInfo info) => true;

    /// <summary>Whether <see cref="BeforeWrite"/> wants to see writes of <paramref name="op"/> (asked once, when attached).</summary>
    public virtual bool WatchesWrite(AccessOp op) => true;

    /// <summary>After <paramref name="cpu"/> performed <paramref name="access"/> at <paramref name="step"/> (0-based).</summary>
    public virtual void AfterAccess(Cpu cpu, in Access access, int step)
    {
    }

    /// <summary>An access to something that is not a live object: the access does not happen, and some oracle must report it.</summary>
    public virtual void OnBadAccess(Cpu cpu, in Access access, in AddressInfo info)
    {
    }

    /// <summary>The kernel code on <paramref name="cpu"/> passed <paramref name="tracepoint"/> with two arguments.</summary>
    public virtual void OnTracepoint(Cpu cpu, Tracepoint tracepoint, nint a0, nint a1)
    {
    }

    /// <summary>The program of <paramref name="cpu"/> returned.</summary>
    public virtual void OnCpuDone(Cpu cpu)
    {
    }

    /// <summary>The execution reached the machine's step bound without ending.</summary>
    public virtual void OnStepBound()
    {
    }

    /// <summary>No CPU can run any more (all finished, or the rest blocked). Returns false when it reported.</summary>
    public virtual bool AtEnd() => true;

    /// <summary>Reports that the current step reads or writes <paramref name="location"/> (for partial-order reduction; see <see cref="Locations"/>).</summary>
    protected void Touch(long location, bool write) => Machine.Footprint?.Touch(location, write);
}
