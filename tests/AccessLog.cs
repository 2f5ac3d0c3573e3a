using MmFuzz.Engine;

namespace MmFuzz.Tests;

/// <summary>Logs the access of every step of the current execution (as announced, before it is performed).</summary>
public sealed class AccessLog : IStepObserver
{
    readonly List<Access> entries = new();

    /// <summary>The accesses, one per step.</summary>
    public IReadOnlyList<Access> Entries => entries;

    /// <summary>Forgets the previous run.</summary>
    public void Clear() => entries.Clear();

    /// <inheritdoc/>
    public void BeforeStep(Machine machine, Cpu cpu, int step)
    {
        if (step == 0)
            entries.Clear();        // a new execution
        if (step != entries.Count)
            throw new InvalidOperationException($"step {step} logged as entry {entries.Count}");
        entries.Add(cpu.PendingAccess);
    }

    /// <inheritdoc/>
    public void AfterStep(Machine machine, Cpu cpu, int step)
    {
    }
}
