using System.Runtime.InteropServices;

namespace MmFuzz.Kernel;

#pragma warning disable CS8981 // kernel struct names are lower case on purpose

/// <summary>The part of <c>struct pglist_data</c> (<c>NODE_DATA(nid)</c>) that matters here.</summary>
[StructLayout(LayoutKind.Explicit, Size = 48)]
public struct pglist_data
{
    /// <summary><c>pgdat->node_id</c>.</summary>
    [FieldOffset(0)] public long node_id;
    /// <summary><c>pgdat->deferred_split_queue</c>.</summary>
    [FieldOffset(8)] public deferred_split deferred_split_queue;
}
