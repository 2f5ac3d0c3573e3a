namespace MmFuzz.Search;

/// <summary>How long a search may run: wall-clock seconds and executions, whichever is spent first.</summary>
/// <param name="Seconds">Wall-clock seconds (infinity: no limit).</param>
/// <param name="Executions">Executions (<see cref="long.MaxValue"/>: no limit).</param>
public sealed record Budget(double Seconds = double.PositiveInfinity, long Executions = long.MaxValue)
{
    /// <summary>Ends the search early when cancelled (Ctrl-C, or another worker's first bug).</summary>
    public CancellationToken Cancel { get; init; }

    /// <summary>No limit: the search ends when its source is exhausted or it stops at a bug.</summary>
    public static readonly Budget Unlimited = new();

    /// <summary>At most <paramref name="executions"/> executions, with no time limit.</summary>
    public static Budget OfExecutions(long executions) => new(Executions: executions);

    /// <summary>Whether <paramref name="executions"/> run in <paramref name="seconds"/> spend the budget.</summary>
    public bool IsSpent(long executions, double seconds) => executions >= Executions || seconds >= Seconds || Cancel.IsCancellationRequested;

    /// <summary>What is left after <paramref name="executions"/> executions and <paramref name="seconds"/> seconds.</summary>
    public Budget Less(long executions, double seconds) => new(Seconds - seconds, Executions - executions) { Cancel = Cancel };
}
