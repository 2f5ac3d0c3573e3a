using MmFuzz.Engine;

namespace MmFuzz.Schedules;

/// <summary>
/// Converts a run under any strategy to choice bytes: at each step with a choice, the byte with which
/// <c>Strategies.ChoiceStreamStrategy</c> picks the CPU the inner strategy picked (so that a minimized
/// schedule can be shrunk again as bytes).
/// </summary>
public sealed class ChoiceRecorder(ISchedulingStrategy inner) : ISchedulingStrategy
{
    readonly List<byte> bytes = [];

    /// <summary>The choice bytes of the last execution.</summary>
    public byte[] Bytes => [.. bytes];

    /// <inheritdoc/>
    public string Name => inner.Name;

    /// <inheritdoc/>
    public void StartRun(Machine machine)
    {
        bytes.Clear();
        inner.StartRun(machine);
    }

    /// <inheritdoc/>
    public int NextCpu(Machine machine, ReadOnlySpan<int> runnable, int current, int step)
    {
        int cpu = inner.NextCpu(machine, runnable, current, step);
        if (runnable.Length > 1)
        {
            // ChoiceStreamStrategy's order: the current CPU (if runnable) first, then the others ascending.
            bool currentRunnable = runnable.Contains(current);
            int index = cpu == current && currentRunnable ? 0 : (currentRunnable ? 1 : 0);
            if (cpu != current || !currentRunnable)
                foreach (var c in runnable)
                    if (c != current && c < cpu)
                        index++;
            bytes.Add((byte)index);
        }
        return cpu;
    }

    /// <inheritdoc/>
    public void EndRun(Machine machine, Outcome outcome) => inner.EndRun(machine, outcome);
}
