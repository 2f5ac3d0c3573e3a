using System.Text.RegularExpressions;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Search;
using MmFuzz.Schedules;
using MmFuzz.Strategies;

namespace MmFuzz.Cli.Harness;

/// <summary>One group of crash inputs: same bug kind, same place.</summary>
/// <param name="Kind">The bug kind (<see cref="BugKind.None"/> for simulator errors).</param>
/// <param name="Location">The oracle's first message line without addresses and numbers.</param>
/// <param name="Inputs">The crash files of the group.</param>
/// <param name="Written">The regression file written for it (null for simulator errors).</param>
/// <param name="Finding">The minimized finding (null for simulator errors).</param>
/// <param name="Message">The concrete first line of a representative's message (the minimized finding's, or the first input's): what a screen shows.</param>
public sealed record TriageGroup(BugKind Kind, string Location, IReadOnlyList<string> Inputs, string? Written, Finding? Finding, string Message = "");
