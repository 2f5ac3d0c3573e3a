using MmFuzz.Engine;

namespace MmFuzz.Schedules;

/// <summary>One recorded step: which CPU ran and what kind of scheduling point it performed.</summary>
/// <param name="Cpu">CPU index (0-based).</param>
/// <param name="Op">The scheduling point's operation.</param>
public readonly record struct ScheduleStep(int Cpu, AccessOp Op);
