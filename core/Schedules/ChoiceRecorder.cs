using MmFuzz.Engine;

namespace MmFuzz.Schedules;

/// <summary>
/// Converts a run under any strategy to choice bytes: every step at which the inner strategy picks a
/// CPU other than the one that would run anyway (the current CPU, or the lowest runnable one when it
/// cannot run) becomes a switch, written as <c>Strategies.ChoiceStreamStrategy</c> reads it back: the
/// delta since the previous switch and the index of the CPU among the others. So a minimized schedule
/// can be shrunk again as bytes, and a regression can be handed to the fuzzers as an input.
/// </summary>
public sealed class ChoiceRecorder(ISchedulingStrategy inner) : ISchedulingStrategy
{
    readonly List<byte> bytes = [];
    long lastSwitch = -1;

    /// <summary>The choice bytes of the last execution.</summary>
    public byte[] Bytes => [.. bytes];

    /// <inheritdoc/>
    public string Name => inner.Name;

    /// <inheritdoc/>
    public void StartRun(Machine machine)
    {
        bytes.Clear();
        lastSwitch = -1;
        inner.StartRun(machine);
    }

    /// <inheritdoc/>
    public int NextCpu(Machine machine, ReadOnlySpan<int> runnable, int current, int step)
    {
        int cpu = inner.NextCpu(machine, runnable, current, step);
        bool currentRuns = runnable.Contains(current);
        if (cpu < 0 || cpu == (currentRuns ? current : runnable[0]))
            return cpu;
        ChoiceStream.WriteDelta(bytes, (int)(step - lastSwitch - 1));
        lastSwitch = step;
        int n = 0, index = 0;
        foreach (var c in runnable)
            if (c != current || !currentRuns)
            {
                if (c == cpu)
                    index = n;
                n++;
            }
        bytes.Add((byte)index);
        return cpu;
    }

    /// <inheritdoc/>
    public void EndRun(Machine machine, Outcome outcome) => inner.EndRun(machine, outcome);
}
