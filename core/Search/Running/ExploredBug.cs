using MmFuzz.Engine;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using MmFuzz.Search;

namespace MmFuzz.Search;

/// <summary>A schedule that made an oracle fire during a bounded exhaustive search.</summary>
/// <param name="Outcome">What fired.</param>
/// <param name="Choices">The CPU index chosen at each step.</param>
public sealed record ExploredBug(Outcome Outcome, byte[] Choices);
