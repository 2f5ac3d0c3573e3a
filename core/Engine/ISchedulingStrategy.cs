
namespace MmFuzz.Engine;

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
    /// A negative result abandons the execution (<see cref="Verdict.Abandoned"/>).
    /// <paramref name="runnable"/> holds the indices of the CPUs that may run, ascending; spinning and
    /// finished CPUs are not offered. <paramref name="current"/> is the CPU of the previous step or -1.
    /// </summary>
    /// <remarks>
    /// Returning -1 stops the execution there with <see cref="Verdict.Abandoned"/>: for a systematic
    /// strategy that knows every continuation is already covered.
    /// </remarks>
    int NextCpu(Machine machine, ReadOnlySpan<int> runnable, int current, int step);

    /// <summary>Called after each execution with its outcome (the machine's choices are still readable).</summary>
    void EndRun(Machine machine, Outcome outcome)
    {
    }

    /// <summary>True when a systematic strategy has no schedule left to try; random strategies never run out.</summary>
    bool Exhausted => false;

    /// <summary>The seed that replays the current execution alone (0 for strategies that have none).</summary>
    ulong ExecutionSeed => 0;
}
