using MmFuzz.Engine;
using MmFuzz.Memory;

namespace MmFuzz.Reports;

/// <summary>One recorded step: who did what to which memory, inside which kernel action.</summary>
public sealed record TraceEvent(
    int Step, int Cpu, int Pc, string Operation, KernelFunction Action, nint A0, nint A1, int ActionSeq,
    Access Access, ulong Before, ulong After, bool Failed, bool Preempted)
{
    /// <summary>The spinlocks the CPU held when it took the step (names, e.g. "memcg1.split_queue_lock").</summary>
    public IReadOnlyList<string> Held { get; init; } = [];
}
