using System.Diagnostics;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using MmFuzz.Search;

namespace MmFuzz.Search;

/// <summary>A hunt by generation: the result as the other strategies report it, plus how the bug was shrunk.</summary>
/// <param name="Result">The hunt result (the bug minimized by <see cref="Hunter.Minimize"/>).</param>
/// <param name="Shrink">Shrinking of the bug; null when none was found.</param>
public sealed record GeneratedHunt(HuntResult Result, ShrinkReport? Shrink);
