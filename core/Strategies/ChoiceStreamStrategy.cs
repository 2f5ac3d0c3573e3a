using MmFuzz.Engine;
using MmFuzz.Schedules;

namespace MmFuzz.Strategies;

/// <summary>
/// The schedule read from a <see cref="ChoiceStream"/>: at each step with more than one runnable
/// CPU, one choice among them, where 0 keeps the CPU that ran last (when it can still run) and
/// i &gt; 0 switches to the i-th other runnable CPU in ascending order. An exhausted stream therefore
/// runs each CPU to completion (or until it blocks), and every nonzero choice is a context switch:
/// shrinking the stream in shortlex order shrinks the preemptions.
/// </summary>
public sealed class ChoiceStreamStrategy(ChoiceStream stream) : ISchedulingStrategy
{
    readonly int start = stream.Position;
    readonly int[] order = new int[64];

    /// <inheritdoc/>
    public string Name => "choices";

    /// <summary>The stream the choices are read from.</summary>
    public ChoiceStream Stream => stream;

    /// <summary>Each run re-reads the schedule from where it started.</summary>
    public void StartRun(Machine machine) => stream = new ChoiceStream(stream.Data, start);

    /// <inheritdoc/>
    public int NextCpu(Machine machine, ReadOnlySpan<int> runnable, int current, int step)
    {
        if (runnable.Length == 1)
            return runnable[0];
        int n = 0;
        if (runnable.Contains(current))
            order[n++] = current;
        foreach (var c in runnable)
            if (c != current)
                order[n++] = c;
        return order[stream.Draw(n)];
    }
}
