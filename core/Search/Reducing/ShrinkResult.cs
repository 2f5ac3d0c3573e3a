using MmFuzz.Engine;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using MmFuzz.Search;
using MmFuzz.Schedules;

namespace MmFuzz.Search;

/// <summary>What <see cref="Shrinker.Shrink"/> did.</summary>
/// <param name="Case">The smallest case found that still shows the bug kind.</param>
/// <param name="Outcome">Its outcome.</param>
/// <param name="Steps">Shrink steps taken (candidates accepted).</param>
/// <param name="Replays">Executions spent (candidates tried).</param>
public sealed record ShrinkResult(ChoiceCase Case, Outcome Outcome, int Steps, int Replays);
