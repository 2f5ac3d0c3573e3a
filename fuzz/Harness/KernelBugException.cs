using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Search;
using MmFuzz.Schedules;
using MmFuzz.Strategies;

namespace MmFuzz.Cli.Harness;

/// <summary>A kernel bug the oracles detected: the crash a fuzzer is looking for.</summary>
public sealed class KernelBugException(BugKind kind, string message) : Exception(message)
{
    /// <summary>The bug kind.</summary>
    public BugKind Kind { get; } = kind;
}
