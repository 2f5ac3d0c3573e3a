using System.Diagnostics;
using MmFuzz.Engine;

namespace MmFuzz.Search;

/// <summary>
/// The one loop every search runs (the random and PCT hunts, the generating hunt, bounded exhaustive
/// search, the minimizer's proofs): take the next execution from a source until the budget is spent,
/// the source is exhausted, or the caller stops at a bug. A C# exception inside the simulator is
/// thrown as a <see cref="SimulatorException"/>: it is a bug of MmFuzz, never a finding about the kernel.
/// </summary>
public static class RunLoop
{
    /// <summary>Seconds between two progress reports.</summary>
    const double ProgressInterval = 2;

    /// <summary>Runs executions from <paramref name="source"/>.</summary>
    /// <param name="source">Where the executions come from.</param>
    /// <param name="budget">When to give up.</param>
    /// <param name="stopAt">Called with each execution that found a bug; true ends the loop there.</param>
    /// <param name="progress">Called about every 2 s with (executions, elapsed seconds); may be null.</param>
    public static RunSummary Run(IExecutionSource source, Budget budget, Func<Execution, bool> stopAt, Action<long, double>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        long executions = 0;
        double lastReport = 0;
        while (!source.Exhausted && !budget.IsSpent(executions, clock.Elapsed.TotalSeconds))
        {
            var e = source.Next();
            executions++;
            if (progress is not null && clock.Elapsed.TotalSeconds - lastReport >= ProgressInterval)
            {
                lastReport = clock.Elapsed.TotalSeconds;
                progress(executions, lastReport);
            }
            if (e.Outcome.Verdict == Verdict.HarnessError)
                throw new SimulatorException($"{e.Variant.Name} {e.What}: {e.Outcome.Message}");
            if (e.Outcome.IsBug && stopAt(e))
                return new RunSummary(executions, clock.Elapsed.TotalSeconds, Stopped: true, Exhausted: false);
        }
        return new RunSummary(executions, clock.Elapsed.TotalSeconds, Stopped: false, source.Exhausted);
    }
}
