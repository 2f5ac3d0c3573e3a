using System.Diagnostics;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using MmFuzz.Search;

namespace MmFuzz.Search;

/// <summary>The result of hunting one variant.</summary>
/// <param name="Variant">The variant.</param>
/// <param name="Bug">The first bug of a kind history records (or not set aside), minimized; null when none.</param>
/// <param name="BeyondHistory">Findings of kinds history does not record (the lost-race write-after-free).</param>
/// <param name="Executions">Executions run.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record HuntResult(Variant Variant, Finding? Bug, IReadOnlyList<Finding> BeyondHistory, long Executions, double Seconds);
