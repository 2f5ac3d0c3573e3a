using MmFuzz.Engine;

namespace MmFuzz.Strategies;

/// <summary>
/// A schedule written as its context switches: run the current CPU as long as it can run; at the
/// listed steps switch to the listed CPU (a preemption when the current one could have continued);
/// when the current CPU cannot run, continue with the lowest-numbered runnable one. The minimizer
/// removes switch points from this form; <see cref="SwitchPoints.From"/> converts any recorded schedule.
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

/// <summary>Conversion of a recorded schedule to switch points.</summary>
public static class SwitchPoints
{
    /// <summary>The steps at which <paramref name="choices"/> runs a CPU other than the sticky default would.</summary>
    public static List<(int Step, int Cpu)> From(ReadOnlySpan<byte> choices)
    {
        var result = new List<(int, int)>();
        int current = -1;
        for (int i = 0; i < choices.Length; i++)
        {
            if (choices[i] != current)
                result.Add((i, choices[i]));
            current = choices[i];
        }
        return result;
    }
}
