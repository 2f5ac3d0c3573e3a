using System.Collections;
using MmFuzz.Engine;

namespace MmFuzz.Schedules;

/// <summary>
/// A schedule: the CPU and the kind of scheduling point of each step, as a <c>.schedule</c> file
/// records it and a replay checks it. The other encodings of a schedule convert to and from this one:
/// the CPU chosen at each step (<see cref="Machine.Choices"/>), the context switches
/// (<see cref="SwitchPoints"/>, what the minimizer edits), and choice bytes (a <see cref="ChoiceStream"/>,
/// what FsCheck, AFL++ and libFuzzer mutate; <see cref="ChoiceRecorder"/> writes them).
/// </summary>
public sealed class Schedule(IReadOnlyList<ScheduleStep> steps) : IReadOnlyList<ScheduleStep>
{
    /// <summary>The schedule <paramref name="machine"/>'s last execution ran.</summary>
    public static Schedule Of(Machine machine)
    {
        var steps = new ScheduleStep[machine.Steps];
        for (int i = 0; i < steps.Length; i++)
            steps[i] = new ScheduleStep(machine.Choices[i], machine.Ops[i]);
        return new Schedule(steps);
    }

    /// <summary>The CPU index of each step.</summary>
    public byte[] Cpus => steps.Select(s => (byte)s.Cpu).ToArray();

    /// <summary>The context switches of this schedule (see <see cref="Schedules.SwitchPoints.From"/>).</summary>
    public List<(int Step, int Cpu)> SwitchPoints() => Schedules.SwitchPoints.From(Cpus);

    /// <inheritdoc/>
    public ScheduleStep this[int index] => steps[index];

    /// <inheritdoc/>
    public int Count => steps.Count;

    /// <inheritdoc/>
    public IEnumerator<ScheduleStep> GetEnumerator() => steps.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
