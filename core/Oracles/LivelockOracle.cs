using MmFuzz.Engine;

namespace MmFuzz.Oracles;

/// <summary>
/// The execution ran into the machine's step bound (<see cref="Machine.MaxSteps"/>): a CPU that never
/// leaves a list walk (a corrupted list that has become a cycle) or spins without progress, as the
/// soft-lockup detector would eventually say.
/// </summary>
public sealed class LivelockOracle : Oracle
{
    /// <inheritdoc/>
    public override void OnStepBound()
    {
        var where = string.Join("; ", Machine.Cpus.Where(c => c.State is CpuState.Runnable or CpuState.Spinning)
            .Select(c => $"CPU {c.Number} in {Describe(c)}"));
        Machine.Report(BugKind.Livelock,
            $"step bound {Machine.MaxSteps} exceeded: probably a CPU walking a cyclic corrupted list or spinning without progress ({where})", null);
    }

    static string Describe(Cpu c)
    {
        if (c.Depth == 0)
            return "its program";
        var names = new List<string>();
        for (int i = 0; i < c.Depth; i++)
            names.Add(c.Frames[i].Fn.Name);
        return string.Join(" > ", names);
    }
}
