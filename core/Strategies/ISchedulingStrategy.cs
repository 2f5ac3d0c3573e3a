using MmFuzz.Engine;

namespace MmFuzz.Strategies;

/// <summary>
/// Chooses which CPU performs the next scheduling point. Every nondeterministic decision of an
/// execution goes through a strategy; nothing else in an execution is random.
/// </summary>
public interface ISchedulingStrategy
{
    /// <summary>Stable lowercase name used on the command line.</summary>
    string Name { get; }

    /// <summary>Called before each execution.</summary>
    void StartRun(Machine machine);

    /// <summary>
    /// Picks the CPU (an index into <paramref name="runnable"/>'s values) for step <paramref name="step"/>.
    /// A negative result abandons the execution (<see cref="Verdict.Pruned"/>).
    /// <paramref name="runnable"/> holds the indices of the CPUs that may run, ascending; spinning and
    /// finished CPUs are not offered. <paramref name="current"/> is the CPU of the previous step or -1.
    /// </summary>
    int NextCpu(Machine machine, ReadOnlySpan<int> runnable, int current, int step);
}
