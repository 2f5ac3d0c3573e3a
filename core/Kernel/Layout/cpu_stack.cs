using System.Runtime.InteropServices;

namespace MmFuzz.Kernel;

#pragma warning disable CS8981 // kernel struct names are lower case on purpose

/// <summary>A simulated CPU's kernel stack: where <c>deferred_split_scan()</c>'s <c>LIST_HEAD(list)</c> lives.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct cpu_stack
{
    /// <summary>The scan's on-stack <c>LIST_HEAD(list)</c>.</summary>
    [FieldOffset(0)] public list_head list;
}
