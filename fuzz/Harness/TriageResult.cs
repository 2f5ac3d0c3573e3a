using System.Text.RegularExpressions;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Search;
using MmFuzz.Schedules;
using MmFuzz.Strategies;

namespace MmFuzz.Cli.Harness;

/// <summary>What triage did with a crash directory.</summary>
/// <param name="Groups">Kernel-bug groups, one regression each.</param>
/// <param name="HarnessErrors">Inputs on which the simulator threw: bugs of MmFuzz.</param>
/// <param name="NotReproduced">Inputs that ran clean (or showed a kind the campaign does not count).</param>
public sealed record TriageResult(IReadOnlyList<TriageGroup> Groups, IReadOnlyList<TriageGroup> HarnessErrors, IReadOnlyList<string> NotReproduced);
