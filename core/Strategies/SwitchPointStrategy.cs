using MmFuzz.Engine;

namespace MmFuzz.Strategies;

/// <summary>
/// A schedule written as its context switches: run the current CPU as long as it can run; at the
/// listed steps switch to the listed CPU (a preemption when the current one could have continued);
/// when the current CPU cannot run, continue with the lowest-numbered runnable one. The minimizer
/// removes switch points from this form; <see cref="Schedules.SwitchPoints.From"/> converts any recorded schedule.
/// </summary>
public sealed class SwitchPointStrategy(IReadOnlyList<(int Step, int Cpu)> switches) : ISchedulingStrategy
{
    int index;

    /// <inheritdoc/>
    public string Name => "switch-points";

    /// <inheritdoc/>
    public void StartRun(Machine machine) => index = 0;

    /// <inheritdoc/>
    public int NextCpu(Machine machine, ReadOnlySpan<int> runnable, int current, int step)
    {
        while (index < switches.Count && switches[index].Step < step)
            index++;
        if (index < switches.Count && switches[index].Step == step && runnable.Contains(switches[index].Cpu))
            return switches[index++].Cpu;
        return runnable.Contains(current) ? current : runnable[0];
    }
}
