namespace MmFuzz.Schedules;

/// <summary>
/// Random choice buffers for the generating hunt and the FsCheck properties: a scenario prefix (as
/// many bytes as <see cref="ScenarioDecoder"/> reads) and then a schedule of a few context switches,
/// each after a run drawn on a log scale, so that a preemption deep into a long run is as likely as
/// one right at the start.
/// </summary>
public static class ChoiceBytes
{
    /// <summary>Bytes drawn for the scenario prefix; the decoder reads fewer.</summary>
    public const int ScenarioBytes = 96;

    /// <summary>The most context switches a drawn schedule has.</summary>
    public const int MaxSwitches = 64;

    /// <summary>The longest run before a switch that a drawn schedule asks for (the executions are shorter; a switch beyond the end never happens).</summary>
    public const int LongestRun = 2048;

    /// <summary>The longest buffer drawn: the scenario prefix and the most switches.</summary>
    public const int MaxLength = ScenarioBytes + 3 * MaxSwitches;

    /// <summary>
    /// One scenario byte: 0 half the time (the decoder's simplest choice), 1–3 a quarter of the time
    /// (small counts and indices), any byte otherwise.
    /// </summary>
    public static byte Next(Random rng) => rng.Next(4) switch
    {
        0 or 1 => 0,
        2 => (byte)rng.Next(1, 4),
        _ => (byte)rng.Next(256),
    };

    /// <summary>A whole case: the bytes of a scenario, then a <see cref="Schedule(Random)"/>.</summary>
    public static byte[] Draw(Random rng)
    {
        var prefix = Prefix(rng);
        return [.. prefix.AsSpan(0, ScenarioDecoder.Length(prefix)), .. Schedule(rng)];
    }

    /// <summary>The case <see cref="Draw"/> draws, decoded: <c>ChoiceCase.Decode(Draw(rng))</c> without decoding twice.</summary>
    public static ChoiceCase DrawCase(Random rng)
    {
        var scenario = ScenarioDecoder.Decode(Prefix(rng), out _);
        return new ChoiceCase(scenario, Schedule(rng));
    }

    /// <summary>The <see cref="ScenarioBytes"/> bytes a scenario is decoded from (<see cref="Next"/> each); the decoder reads fewer.</summary>
    public static byte[] Prefix(Random rng)
    {
        var prefix = new byte[ScenarioBytes];
        for (int i = 0; i < prefix.Length; i++)
            prefix[i] = Next(rng);
        return prefix;
    }

    /// <summary>
    /// A schedule's bytes, with a switch rate of its own (swarm testing applied to the schedule): none a
    /// tenth of the time; else switches whose runs average a length drawn log-uniform in [1,
    /// <see cref="LongestRun"/>] (dense switching in some cases, a preemption deep into a long run in
    /// others), each run exponential around that average, until the schedule covers a horizon also
    /// drawn on a log scale, or <see cref="MaxSwitches"/> switches; each to a small CPU index.
    /// </summary>
    public static byte[] Schedule(Random rng)
    {
        var bytes = new List<byte>();
        if (rng.Next(10) == 0)
            return [];
        double mean = Math.Exp(rng.NextDouble() * Math.Log(LongestRun));
        double horizon = Math.Exp(Math.Log(32) + rng.NextDouble() * (Math.Log(LongestRun) - Math.Log(32)));
        double covered = 0;
        for (int i = 0; i < MaxSwitches && covered < horizon; i++)
        {
            int delta = (int)Math.Min(ChoiceStream.MaxDelta, -mean * Math.Log(1 - rng.NextDouble()));
            ChoiceStream.WriteDelta(bytes, delta);
            bytes.Add((byte)rng.Next(4));
            covered += delta + 1;
        }
        return [.. bytes];
    }
}
