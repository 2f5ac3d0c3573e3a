namespace MmFuzz.Schedules;

/// <summary>
/// The schedule part of a choice buffer as its list of context switches, and back: what the shrinker
/// edits when it drops a preemption or moves one earlier.
/// </summary>
public static class Switches
{
    /// <summary>One context switch: the steps run since the previous one (or from the start), and the target's index among the other runnable CPUs.</summary>
    /// <param name="Delta">Steps since the previous switch.</param>
    /// <param name="Index">The target among the other runnable CPUs, ascending.</param>
    public readonly record struct Switch(int Delta, int Index);

    /// <summary>The switches <paramref name="schedule"/> encodes (as <c>Strategies.ChoiceStreamStrategy</c> reads them).</summary>
    public static List<Switch> Read(byte[] schedule)
    {
        var stream = new ChoiceStream(schedule);
        var result = new List<Switch>();
        while (stream.TryReadDelta(out int delta))
            result.Add(new Switch(delta, stream.DrawIndex(256)));
        return result;
    }

    /// <summary>The bytes of <paramref name="switches"/>.</summary>
    public static byte[] Write(IEnumerable<Switch> switches)
    {
        var bytes = new List<byte>();
        foreach (var w in switches)
        {
            ChoiceStream.WriteDelta(bytes, w.Delta);
            bytes.Add((byte)w.Index);
        }
        return [.. bytes];
    }
}
