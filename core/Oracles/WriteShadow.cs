using MmFuzz.Memory;

namespace MmFuzz.Oracles;

/// <summary>The last write to a granule: clock and CPU (-1: none), whether plain, step and function (<c>KernelFunction.Id + 1</c>, 0: outside any).</summary>
struct WriteShadow
{
    public int Clock;
    public int Step;
    public short Fn;
    public sbyte Cpu;
    public bool Plain;
    public bool Touched;     // written since the last reset (the granule is on the dirty list)
}
