using MmFuzz.Memory;

namespace MmFuzz.Oracles;

/// <summary>One CPU's last read of a granule (clock 0: none).</summary>
struct ReadShadow
{
    public int Clock;
    public int Step;
    public short Fn;
    public bool Plain;
}
