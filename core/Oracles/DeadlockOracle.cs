using MmFuzz.Engine;

namespace MmFuzz.Oracles;

/// <summary>
/// No CPU can run, and some have not finished: each waits for a lock that nobody will release
/// (lockdep would print the cycle; the machine sees the end state).
/// </summary>
public sealed class DeadlockOracle : Oracle
{
    /// <inheritdoc/>
    public override bool AtEnd()
    {
        var cpus = Machine.Cpus;
        bool blockedAny = false;
        for (int i = 0; i < cpus.Count; i++)      // no LINQ: this runs at the end of every execution
            blockedAny |= cpus[i].State == CpuState.Spinning;
        if (!blockedAny)
            return true;
        var blocked = string.Join(", ", cpus.Where(x => x.State == CpuState.Spinning)
            .Select(x => $"CPU {x.Number} waits for {Machine.Symbol(x.BlockedOn)}"));
        Machine.Report(BugKind.Deadlock, $"deadlock: every CPU that has not finished is blocked ({blocked})", null);
        return false;
    }
}
