using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Search;
using MmFuzz.Schedules;
using MmFuzz.Strategies;

namespace MmFuzz.Cli.Harness;

/// <summary>
/// An exception inside the simulator (<see cref="Verdict.HarnessError"/>): a bug of MmFuzz, never of
/// the kernel. A distinct crash class, so that triage reports it loudly instead of filing it as a kernel bug.
/// </summary>
public sealed class SimulatorBugException(string message) : Exception(message);
