using System.Runtime.InteropServices;

namespace MmFuzz.Kernel;

#pragma warning disable CS8981 // kernel struct names are lower case on purpose

/// <summary><c>struct deferred_split</c> (include/linux/mmzone.h).</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public unsafe struct deferred_split
{
    /// <summary><c>split_queue_lock</c> (<c>spinlock_t</c>): 0 when free, holder CPU + 1 when held.</summary>
    [FieldOffset(0)] public int split_queue_lock;
    /// <summary><c>split_queue</c>: the list head.</summary>
    [FieldOffset(8)] public list_head split_queue;
    /// <summary><c>split_queue_len</c> (<c>unsigned long</c>).</summary>
    [FieldOffset(24)] public ulong split_queue_len;
}
