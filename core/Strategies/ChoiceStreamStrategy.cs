using MmFuzz.Engine;
using MmFuzz.Schedules;

namespace MmFuzz.Strategies;

/// <summary>
/// The schedule read from a <see cref="ChoiceStream"/> as a list of context switches, each
/// "run on for <c>d</c> more steps, then switch to the <c>i</c>-th other runnable CPU" (the delta by
/// <see cref="ChoiceStream.TryReadDelta"/>, one or two bytes; the index by
/// <see cref="ChoiceStream.DrawIndex"/>, one byte). Between switches the running CPU goes on; when it cannot (it finished or
/// spins on a lock), the lowest-numbered runnable CPU takes over, for free. An exhausted stream
/// switches no more, so a schedule with k preemptions is about 2k bytes wherever they fall, and a run
/// that needs a thousand untouched steps before its first preemption costs the same as one that
/// needs none.
/// </summary>
/// <remarks>
/// The first delta counts from step 0 (0: choose the CPU that starts); each later one counts the steps
/// after the previous switch. At a switch the choice is among the runnable CPUs other than the current
/// one (among all runnable ones when the current cannot run); a switch with nobody to switch to lapses.
/// This is <see cref="SwitchPointStrategy"/> with its switch points read lazily from bytes, and
/// <see cref="ChoiceRecorder"/> writes the bytes of any run back, so FsCheck, the shrinker, AFL++ and
/// libFuzzer share one encoding with the minimizer's switch points.
/// </remarks>
public sealed class ChoiceStreamStrategy(ChoiceStream stream) : ISchedulingStrategy
{
    readonly int start = stream.Position;
    readonly int[] others = new int[64];
    long nextSwitch = -1;           // the step of the next switch, -1 for none

    /// <inheritdoc/>
    public string Name => "choices";

    /// <summary>The stream the choices are read from.</summary>
    public ChoiceStream Stream => stream;

    /// <summary>Each run re-reads the schedule from where it started.</summary>
    public void StartRun(Machine machine)
    {
        stream = new ChoiceStream(stream.Data, start);
        nextSwitch = stream.TryReadDelta(out int delta) ? delta : -1;
    }

    /// <inheritdoc/>
    public int NextCpu(Machine machine, ReadOnlySpan<int> runnable, int current, int step)
    {
        bool currentRuns = runnable.Contains(current);
        if (step != nextSwitch)
            return currentRuns ? current : runnable[0];
        int n = 0;
        foreach (var c in runnable)
            if (c != current || !currentRuns)
                others[n++] = c;
        int index = stream.DrawIndex(n);
        int cpu = n == 0 ? current : others[index];
        nextSwitch = stream.TryReadDelta(out int delta) ? step + 1L + delta : -1;
        return cpu;
    }
}
