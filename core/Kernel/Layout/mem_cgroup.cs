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
    /// <summary>
    /// <c>memcg-&gt;css.flags</c> (<c>unsigned int</c>, include/linux/cgroup-defs.h): only
    /// <see cref="CssFlags.CSS_ONLINE"/> and <see cref="CssFlags.CSS_DYING"/> are used. (In the kernel
    /// <c>css</c> is the first member; here it sits after the queue so that the struct keeps its size.)
    /// </summary>
    [FieldOffset(40)] public uint css_flags;
}
