namespace MmFuzz.Search;

/// <summary>How far a hunt has come, reported about every 2 s (<see cref="HuntOptions.Progress"/>).</summary>
/// <param name="Executions">Executions run so far.</param>
/// <param name="Seconds">Wall time so far.</param>
public readonly record struct HuntProgress(long Executions, double Seconds)
{
    /// <summary>Findings recorded so far (a generating hunt).</summary>
    public int Findings { get; init; }

    /// <summary>Scenarios searched to the end so far (a search of every scenario: verify, the small scope).</summary>
    public int ScenariosDone { get; init; }

    /// <summary>Scenarios to search in all (verify, the small scope).</summary>
    public int ScenariosTotal { get; init; }
}
