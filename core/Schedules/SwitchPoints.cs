namespace MmFuzz.Schedules;

/// <summary>Conversion of a recorded schedule to switch points.</summary>
public static class SwitchPoints
{
    /// <summary>The steps at which <paramref name="choices"/> runs a CPU other than the sticky default would.</summary>
    public static List<(int Step, int Cpu)> From(ReadOnlySpan<byte> choices)
    {
        var result = new List<(int, int)>();
        int current = -1;
        for (int i = 0; i < choices.Length; i++)
        {
            if (choices[i] != current)
                result.Add((i, choices[i]));
            current = choices[i];
        }
        return result;
    }
}
