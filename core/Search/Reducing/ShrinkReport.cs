using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using MmFuzz.Search;
using MmFuzz.Schedules;

namespace MmFuzz.Search;

/// <summary>Shrinking and minimization cost of a generated finding.</summary>
/// <param name="Original">The first failing case, as generated.</param>
/// <param name="Shrunk">The shrink result.</param>
/// <param name="ShrinkSeconds">Wall time of shrinking.</param>
/// <param name="MinimizeSeconds">Wall time of <see cref="Minimizer.Minimize"/> after it.</param>
public sealed record ShrinkReport(ChoiceCase Original, ShrinkResult Shrunk, double ShrinkSeconds, double MinimizeSeconds);
