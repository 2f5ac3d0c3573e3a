namespace MmFuzz.Search;

/// <summary>How a <see cref="RunLoop"/> ended.</summary>
/// <param name="Executions">Executions run.</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="Stopped">Whether it stopped at a bug.</param>
/// <param name="Exhausted">Whether the source ran out (and it did not stop at a bug).</param>
public readonly record struct RunSummary(long Executions, double Seconds, bool Stopped, bool Exhausted);
