using System.Runtime.InteropServices;

namespace MmFuzz.Memory;

/// <summary>Kinds of simulated kernel objects.</summary>
public enum ObjectKind : byte
{
    /// <summary><c>struct folio</c>.</summary>
    Folio,
    /// <summary><c>struct mem_cgroup</c> (only its deferred split queue).</summary>
    MemCgroup,
    /// <summary><c>struct pglist_data</c> (only its deferred split queue).</summary>
    Node,
    /// <summary>A simulated CPU's kernel stack area (the scan's <c>LIST_HEAD(list)</c>).</summary>
    CpuStack,
    /// <summary>
    /// A simulated CPU's private frame area for the locals of C read by the C front end (a
    /// <c>folio_batch</c>, a <c>shrink_control</c>): only that CPU touches it, so its accesses are not
    /// scheduling points. Laid out only for a kernel state loaded from C.
    /// </summary>
    CpuFrame,
}
