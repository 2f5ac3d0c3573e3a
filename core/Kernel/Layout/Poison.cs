namespace MmFuzz.Kernel;

/// <summary>Kernel constants used by the ports.</summary>
public static class Poison
{
    /// <summary><c>POISON_POINTER_DELTA</c> on x86-64 (CONFIG_ILLEGAL_POINTER_VALUE).</summary>
    public const long PointerDelta = unchecked((long)0xdead000000000000UL);
    /// <summary><c>LIST_POISON1</c> (include/linux/poison.h).</summary>
    public static readonly ListPtr LIST_POISON1 = new(unchecked((nint)(0x100 + PointerDelta)));
    /// <summary><c>LIST_POISON2</c> (include/linux/poison.h).</summary>
    public static readonly ListPtr LIST_POISON2 = new(unchecked((nint)(0x122 + PointerDelta)));
}
