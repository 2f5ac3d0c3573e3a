using MmFuzz.Engine;
using MmFuzz.Scenarios;

namespace MmFuzz.Kernel;

/// <summary>
/// A bug of a kind history records that MmFuzz found in a state history calls safe, outside the
/// scenarios of history's families (so the verdict table stands): the scenarios that show it, for
/// the checks that would otherwise keep finding it again.
/// </summary>
/// <param name="Kind">What it shows.</param>
/// <param name="Shows">The scenarios that show it, in one line.</param>
/// <param name="Regression">Where its minimized schedule is checked in.</param>
/// <param name="Matches">Whether a scenario is of the shape that shows it.</param>
public sealed record KnownFinding(BugKind Kind, string Shows, string Regression, Func<Scenario, bool> Matches);
