namespace MmFuzz.Schedules;

/// <summary>
/// A stream of choices read from a byte buffer: the one input format of every generator front end.
/// FsCheck generates and shrinks such buffers, AFL++ and libFuzzer mutate them, and the same
/// <see cref="ScenarioDecoder"/> and <c>Strategies.ChoiceStreamStrategy</c> turn them into a run.
/// </summary>
/// <remarks>
/// As in Hypothesis (MacIver and Donaldson, ECOOP 2020), zero is the simplest choice and an exhausted
/// buffer reads as zeros, so every byte string is a valid input, and a buffer that is shorter or
/// smaller in shortlex order decodes to a simpler run: fewer folios, CPUs and operations, and a
/// schedule with fewer preemptions (choice 0 keeps the current CPU running).
/// </remarks>
public sealed class ChoiceStream(byte[] data, int position = 0)
{
    /// <summary>The buffer.</summary>
    public byte[] Data { get; } = data;

    /// <summary>Offset of the next byte to read.</summary>
    public int Position { get; private set; } = position;

    /// <summary>Choices read past the end of the buffer (each read as 0).</summary>
    public int Overrun { get; private set; }

    /// <summary>A choice in [0, <paramref name="n"/>) from one byte (0 when the buffer is exhausted); <paramref name="n"/> is at most 256.</summary>
    public int Draw(int n)
    {
        if (n <= 1)
            return 0;
        if (Position >= Data.Length)
        {
            Overrun++;
            return 0;
        }
        return Data[Position++] % n;
    }

    /// <summary>True with probability about 1/<paramref name="oneIn"/>; false when exhausted.</summary>
    public bool OneIn(int oneIn) => Draw(oneIn) == oneIn - 1;
}
