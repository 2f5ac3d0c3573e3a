using System.Runtime.InteropServices;

namespace MmFuzz.Kernel;

#pragma warning disable CS8981 // kernel struct names are lower case on purpose

/// <summary><c>struct list_head</c> (include/linux/types.h).</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public unsafe struct list_head
{
    /// <summary><c>list_head.next</c>.</summary>
    [FieldOffset(0)] public list_head* next;
    /// <summary><c>list_head.prev</c>.</summary>
    [FieldOffset(8)] public list_head* prev;
}
