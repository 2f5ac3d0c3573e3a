using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using MmFuzz.Search;

namespace MmFuzz.Search;

/// <summary>The result of a bounded exhaustive search of one scenario.</summary>
/// <param name="Failure">The first schedule judged a failure; null when none.</param>
/// <param name="SetAside">The first schedule of each other bug kind seen (judged not a failure), in the order found.</param>
/// <param name="PreemptionBound">k: schedules with at most k preemptions.</param>
/// <param name="Reduction">Whether sleep-set reduction was on.</param>
/// <param name="Executions">Executions run, abandoned ones included.</param>
/// <param name="SleepBlocked">Executions abandoned because every CPU allowed to run was asleep.</param>
/// <param name="PrunedBranches">Branches not taken because their CPU was asleep.</param>
/// <param name="MaxDepth">Steps of the longest execution.</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="Exhausted">True when the whole bounded space was covered (no failure stopped the search, no budget ran out).</param>
public sealed record ExhaustiveResult(ExploredBug? Failure, IReadOnlyList<ExploredBug> SetAside, int PreemptionBound, bool Reduction,
    long Executions, long SleepBlocked, long PrunedBranches, int MaxDepth, double Seconds, bool Exhausted);
