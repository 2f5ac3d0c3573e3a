using System.Runtime.InteropServices;

namespace MmFuzz.Memory;

/// <summary>Liveness of an arena object, kept in the shadow bytes of the block (KASAN-style).</summary>
public enum Liveness : byte
{
    /// <summary>Allocated and in use.</summary>
    Live = 0,
    /// <summary>Returned to the page allocator: any access is a use-after-free.</summary>
    Freed = 1,
    /// <summary>A stack frame that has returned: any access is a use-after-return.</summary>
    OutOfScope = 2,
}
