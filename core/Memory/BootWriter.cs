namespace MmFuzz.Memory;

/// <summary>
/// Writes an arena's initial state before the first execution. Not a scheduling point and not
/// checked by oracles: it is the machine's boot, not kernel code under test.
/// </summary>
public readonly struct BootWriter
{
    readonly Arena arena;

    internal BootWriter(Arena arena) => this.arena = arena;

    /// <summary>The arena being booted.</summary>
    public Arena Arena => arena;

    /// <summary>Writes an 8-byte word.</summary>
    public void Write64(nint addr, ulong value) => arena.Write(addr, 8, value);

    /// <summary>Writes a 4-byte word.</summary>
    public void Write32(nint addr, int value) => arena.Write(addr, 4, (ulong)(uint)value);

    /// <summary>Reads an 8-byte word.</summary>
    public ulong Read64(nint addr) => arena.Read(addr, 8);

}
