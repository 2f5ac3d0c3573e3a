using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;

namespace MmFuzz.Schedules;

/// <summary>Random choice buffers biased toward simple, interesting runs; the FsCheck generator of <c>properties/</c> draws from the same distribution.</summary>
public static class ChoiceBytes
{
    /// <summary>Longest buffer drawn.</summary>
    public const int MaxLength = 96;

    /// <summary>
    /// One byte: 0 half the time (keep the current CPU: few preemptions; the decoder's simplest
    /// choice), 1–3 a quarter of the time (a switch to another CPU; small counts and indices), any
    /// byte otherwise.
    /// </summary>
    public static byte Next(Random rng) => rng.Next(4) switch
    {
        0 or 1 => 0,
        2 => (byte)rng.Next(1, 4),
        _ => (byte)rng.Next(256),
    };

    /// <summary>A buffer of 0 to <see cref="MaxLength"/> bytes drawn with <see cref="Next"/>.</summary>
    public static byte[] Draw(Random rng)
    {
        var data = new byte[rng.Next(MaxLength + 1)];
        for (int i = 0; i < data.Length; i++)
            data[i] = Next(rng);
        return data;
    }
}
