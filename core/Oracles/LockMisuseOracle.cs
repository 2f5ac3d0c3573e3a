using MmFuzz.Engine;
using MmFuzz.Memory;

namespace MmFuzz.Oracles;

/// <summary>
/// Spinlock debugging (CONFIG_DEBUG_SPINLOCK) and the return-to-user check: a <c>spin_unlock</c> by a
/// CPU that does not hold the lock ("spinlock wrong CPU"), and a CPU whose program returns still
/// holding a lock ("lock held when returning to user space!").
/// </summary>
public sealed class LockMisuseOracle : Oracle
{
    /// <summary>Only <c>spin_unlock</c>.</summary>
    public override bool WatchesWrite(AccessOp op) => op == AccessOp.SpinUnlock;

    /// <inheritdoc/>
    public override bool BeforeWrite(Cpu cpu, in Access access, in AddressInfo info)
    {
        if (Machine.Arena.Read(access.Addr, access.Width) == (ulong)(cpu.Index + 1) && cpu.Holds(access.Addr))
            return true;
        Machine.Report(BugKind.LockMisuse, $"BUG: spinlock wrong CPU on CPU#{cpu.Number}: {Machine.Symbol(access.Addr)} is not held by this CPU", cpu);
        return false;
    }

    /// <inheritdoc/>
    public override void OnCpuDone(Cpu cpu)
    {
        if (cpu.HeldCount > 0)
            Machine.Report(BugKind.LockMisuse, $"BUG: lock held when returning to user space! CPU {cpu.Number} still holds {Machine.Symbol(cpu.Held[0])}", cpu);
    }
}
