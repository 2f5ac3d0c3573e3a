using MmFuzz.Engine;
using MmFuzz.Schedules;

namespace MmFuzz.Strategies;

/// <summary>
/// Replays a recorded schedule. Fails loudly, with the step number, when the run diverges from the
/// recording: the recorded CPU cannot run, or it announces a different kind of point. When the
/// recording ends before the run does, the CPU that ran last continues (then the lowest runnable),
/// so a prefix replays as "that prefix, then no more preemptions".
/// </summary>
public sealed class ReplayStrategy(IReadOnlyList<ScheduleStep> steps, bool strict = true) : ISchedulingStrategy
{
    /// <inheritdoc/>
    public string Name => "replay";

    /// <inheritdoc/>
    public void StartRun(Machine machine) { }

    /// <summary>A strict replay whose run ended before the recording did has diverged too.</summary>
    public void EndRun(Machine machine, Outcome outcome)
    {
        if (strict && outcome.Verdict != Verdict.HarnessError && machine.Steps < steps.Count)
            throw new ReplayDivergedException($"step {machine.Steps + 1}: the run ended ({outcome.Verdict}) but the recording has {steps.Count} steps");
    }

    /// <inheritdoc/>
    public int NextCpu(Machine machine, ReadOnlySpan<int> runnable, int current, int step)
    {
        if (step >= steps.Count)
        {
            if (strict && steps.Count > 0)
                throw new ReplayDivergedException($"step {step + 1}: the recording has {steps.Count} steps but the run goes on (CPUs {string.Join(",", runnable.ToArray().Select(c => c + 1))} can still run)");
            return runnable.Contains(current) ? current : runnable[0];
        }
        var s = steps[step];
        if (!runnable.Contains(s.Cpu))
            throw new ReplayDivergedException($"step {step + 1}: expected CPU {s.Cpu + 1} to run {Access.Name(s.Op)}, but it cannot run (runnable: {string.Join(",", runnable.ToArray().Select(c => c + 1))})");
        var announced = machine.Cpus[s.Cpu].PendingAccess.Op;
        if (announced != s.Op)
            throw new ReplayDivergedException($"step {step + 1}: expected scheduling point '{Access.Name(s.Op)}' on CPU {s.Cpu + 1} instead of '{Access.Name(announced)}'");
        return s.Cpu;
    }
}
