using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Search;

namespace MmFuzz.Search;

/// <summary>The result of bounded exhaustive search of one scenario.</summary>
/// <param name="Variant">The variant.</param>
/// <param name="Scenario">The scenario.</param>
/// <param name="PreemptionBound">The bound.</param>
/// <param name="Bug">The first finding of a kind history records, minimized; null when none.</param>
/// <param name="BeyondHistory">Findings of kinds history does not record (one per kind).</param>
/// <param name="Executions">Executions explored.</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="Exhausted">Whether every schedule within the bound was explored (a proof, within the bound, when no bug was found).</param>
public sealed record VerifyResult(Variant Variant, Scenario Scenario, int PreemptionBound, Finding? Bug, IReadOnlyList<Finding> BeyondHistory,
    long Executions, double Seconds, bool Exhausted);
