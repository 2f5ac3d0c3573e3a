namespace MmFuzz.Schedules;

/// <summary>
/// Mutations of a schedule's choice bytes that keep its scenario: the schedule read as the list of
/// context switches <c>Strategies.ChoiceStreamStrategy</c> reads (each a delta of steps, then the
/// index of the CPU to switch to), changed a little, and written back in the same encoding. A kept
/// case whose run reached something new is tried again with its preemptions moved a few steps,
/// retargeted, split, dropped or added, as AFL's havoc stage mutates a queue entry, but in units of
/// the schedule rather than of bytes: a mutation of one switch leaves the others at the same steps.
/// The switches are those of <see cref="Switches"/>, the shrinker's view of the same bytes.
/// </summary>
public static class ScheduleMutator
{
    /// <summary>
    /// <paramref name="schedule"/> with one to four edits stacked, each drawn from <paramref name="rng"/>:
    /// move a switch by a few steps (the later ones staying where they were, or moving with it), send
    /// it to another CPU, add a switch inside a run (the later ones staying), drop one (likewise), give
    /// one a run length drawn anew on a log scale, or add one at the end.
    /// </summary>
    public static byte[] Mutate(byte[] schedule, Random rng)
    {
        var sw = Switches.Read(schedule);
        for (int edits = 1 + rng.Next(4); edits > 0; edits--)
            Edit(sw, rng);
        return Switches.Write(sw);
    }

    static void Edit(List<Switches.Switch> sw, Random rng)
    {
        int op = sw.Count == 0 ? 5 : rng.Next(6);
        int i = sw.Count == 0 ? 0 : rng.Next(sw.Count);
        switch (op)
        {
            case 0:
            {
                // Move switch i by a few steps; half the time the next one stays at its step.
                int by = rng.Next(1, 5) * (rng.Next(2) == 0 ? -1 : 1);
                int delta = Math.Max(0, sw[i].Delta + by);
                if (i + 1 < sw.Count && rng.Next(2) == 0)
                    sw[i + 1] = sw[i + 1] with { Delta = Math.Max(0, sw[i + 1].Delta - (delta - sw[i].Delta)) };
                sw[i] = sw[i] with { Delta = delta };
                break;
            }
            case 1:
                sw[i] = sw[i] with { Index = rng.Next(4) };
                break;
            case 2:
            {
                // A switch inside the run before switch i: the steps before it split in two.
                int before = rng.Next(sw[i].Delta + 1);
                sw.Insert(i, new Switches.Switch(before, rng.Next(4)));
                sw[i + 1] = sw[i + 1] with { Delta = Math.Max(0, sw[i + 1].Delta - before - 1) };
                break;
            }
            case 3:
                // Drop switch i; the next one stays at its step.
                if (i + 1 < sw.Count)
                    sw[i + 1] = sw[i + 1] with { Delta = Math.Min(ChoiceStream.MaxDelta, sw[i + 1].Delta + sw[i].Delta + 1) };
                sw.RemoveAt(i);
                break;
            case 4:
                sw[i] = sw[i] with { Delta = LogRun(rng) };
                break;
            default:
                if (sw.Count < ChoiceBytes.MaxSwitches)
                    sw.Add(new Switches.Switch(LogRun(rng), rng.Next(4)));
                break;
        }
    }

    /// <summary>A run length drawn log-uniform in [0, <see cref="ChoiceBytes.LongestRun"/>).</summary>
    static int LogRun(Random rng) => (int)Math.Exp(rng.NextDouble() * Math.Log(ChoiceBytes.LongestRun)) - 1;
}
