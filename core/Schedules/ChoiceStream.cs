namespace MmFuzz.Schedules;

/// <summary>
/// A stream of choices read from a byte buffer: the one input format of every generator front end.
/// FsCheck generates and shrinks such buffers, AFL++ and libFuzzer mutate them, and the same
/// <see cref="ScenarioDecoder"/> and <c>Strategies.ChoiceStreamStrategy</c> turn them into a run.
/// </summary>
/// <remarks>
/// As in Hypothesis (MacIver and Donaldson, ECOOP 2020), zero is the simplest choice and an exhausted
/// buffer reads as zeros, so every byte string is a valid input, and a buffer that is shorter or
/// smaller in shortlex order decodes to a simpler run: fewer folios, CPUs and operations. The
/// schedule part is a list of context switches (<see cref="TryReadDelta"/>): an exhausted buffer
/// switches no more, so a shorter schedule has fewer preemptions, and a preemption costs the same
/// two bytes wherever it falls in the run.
/// </remarks>
public sealed class ChoiceStream(byte[] data, int position = 0)
{
    /// <summary>Deltas below this fit in one byte; larger ones take a second (up to <see cref="MaxDelta"/>).</summary>
    public const int OneByteDeltas = 192;

    /// <summary>The largest step delta two bytes hold: 16,575 steps.</summary>
    public const int MaxDelta = OneByteDeltas + (255 - OneByteDeltas) * 256 + 255;

    /// <summary>The buffer.</summary>
    public byte[] Data { get; } = data;

    /// <summary>Offset of the next byte to read.</summary>
    public int Position { get; private set; } = position;

    /// <summary>Choices read past the end of the buffer (each read as 0).</summary>
    public int Overrun { get; private set; }

    /// <summary>Whether every byte has been read.</summary>
    public bool AtEnd => Position >= Data.Length;

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

    /// <summary>
    /// A choice in [0, <paramref name="n"/>) that always takes one byte (0 when exhausted), even when
    /// there is nothing to choose: a switch's target, so that every switch is the same bytes wherever
    /// it falls.
    /// </summary>
    public int DrawIndex(int n)
    {
        if (AtEnd)
        {
            Overrun++;
            return 0;
        }
        int b = Data[Position++];
        return n <= 1 ? 0 : b % n;
    }

    /// <summary>True with probability about 1/<paramref name="oneIn"/>; false when exhausted.</summary>
    public bool OneIn(int oneIn) => Draw(oneIn) == oneIn - 1;

    /// <summary>
    /// The steps until the next context switch, 0 to <see cref="MaxDelta"/>: one byte below
    /// <see cref="OneByteDeltas"/>, else that byte's excess times 256 plus the next byte. False when
    /// the buffer is exhausted: no more switches.
    /// </summary>
    public bool TryReadDelta(out int delta)
    {
        delta = 0;
        if (AtEnd)
            return false;
        int b0 = Data[Position++];
        if (b0 < OneByteDeltas)
        {
            delta = b0;
            return true;
        }
        int b1 = AtEnd ? 0 : Data[Position++];
        delta = OneByteDeltas + (b0 - OneByteDeltas) * 256 + b1;
        return true;
    }

    /// <summary>Appends the bytes <see cref="TryReadDelta"/> reads back as <paramref name="delta"/> (clamped to <see cref="MaxDelta"/>).</summary>
    public static void WriteDelta(List<byte> bytes, int delta)
    {
        delta = Math.Clamp(delta, 0, MaxDelta);
        if (delta < OneByteDeltas)
        {
            bytes.Add((byte)delta);
            return;
        }
        int rest = delta - OneByteDeltas;
        bytes.Add((byte)(OneByteDeltas + rest / 256));
        bytes.Add((byte)(rest % 256));
    }
}
