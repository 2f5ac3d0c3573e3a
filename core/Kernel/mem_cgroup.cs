using System.Runtime.InteropServices;

namespace MmFuzz.Kernel;

#pragma warning disable CS8981 // kernel struct names are lower case on purpose

/// <summary>The part of <c>struct mem_cgroup</c> (include/linux/memcontrol.h) that matters here.</summary>
[StructLayout(LayoutKind.Explicit, Size = 48)]
public struct mem_cgroup
{
    /// <summary>The memcg's id (<c>memcg->id.id</c>).</summary>
    [FieldOffset(0)] public long id;
    /// <summary><c>memcg->deferred_split_queue</c>.</summary>
    [FieldOffset(8)] public deferred_split deferred_split_queue;
}
