using System.Runtime.InteropServices;

namespace MmFuzz.Kernel;

#pragma warning disable CS8981 // kernel struct names are lower case on purpose

// PORTED (layout subset): the kernel structures around the THP deferred split queue, with kernel
// field names. Only the fields the races touch are modelled; every field is 8-byte aligned so the
// arena's shadow map can name the field behind any address. Raw pointers link them, as in the
// kernel. No code here dereferences anything: see Memory/Arena.cs.

/// <summary><c>struct list_head</c> (include/linux/types.h).</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public unsafe struct list_head
{
    /// <summary><c>list_head.next</c>.</summary>
    [FieldOffset(0)] public list_head* next;
    /// <summary><c>list_head.prev</c>.</summary>
    [FieldOffset(8)] public list_head* prev;
}

/// <summary>
/// The part of <c>struct folio</c> (include/linux/mm_types.h) the deferred split races touch.
/// In the kernel <c>_deferred_list</c> lives in the folio's third page and the order in its second;
/// here they are fields of one struct.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
public unsafe struct folio
{
    /// <summary><c>folio->flags</c>: PG_locked, PG_large_rmappable, PG_partially_mapped (see <see cref="PageFlags"/>).</summary>
    [FieldOffset(0)] public ulong flags;
    /// <summary><c>folio->_refcount</c> (<c>atomic_t</c>).</summary>
    [FieldOffset(8)] public int _refcount;
    /// <summary><c>folio->memcg_data</c>: the charged <c>struct mem_cgroup *</c>, or 0 when uncharged.</summary>
    [FieldOffset(16)] public mem_cgroup* memcg_data;
    /// <summary><c>folio_nid(folio)</c>.</summary>
    [FieldOffset(24)] public int nid;
    /// <summary><c>folio_order(folio)</c>.</summary>
    [FieldOffset(28)] public int order;
    /// <summary><c>folio->_deferred_list</c>.</summary>
    [FieldOffset(32)] public list_head _deferred_list;
    /// <summary>
    /// PG_partially_mapped (v6.12+). In the kernel it is a bit of the second page's flags
    /// (<c>_flags_1</c>), the word that also holds the order; here it has a word of its own, so a
    /// plain read of the order never appears to race with an update of this bit (atomic bitops on
    /// other bits of a word are not data races). The non-atomic <c>__folio_clear_partially_mapped()</c>
    /// of v6.12-rc1 losing a concurrent update of another bit (42b2eb69835b) is therefore not modelled.
    /// </summary>
    [FieldOffset(48)] public ulong partially_mapped_flags;
}

/// <summary><c>struct deferred_split</c> (include/linux/mmzone.h).</summary>
[StructLayout(LayoutKind.Explicit, Size = 40)]
public unsafe struct deferred_split
{
    /// <summary><c>split_queue_lock</c> (<c>spinlock_t</c>): 0 when free, holder CPU + 1 when held.</summary>
    [FieldOffset(0)] public int split_queue_lock;
    /// <summary><c>split_queue</c>: the list head.</summary>
    [FieldOffset(8)] public list_head split_queue;
    /// <summary><c>split_queue_len</c> (<c>unsigned long</c>).</summary>
    [FieldOffset(24)] public ulong split_queue_len;
}

/// <summary>The part of <c>struct mem_cgroup</c> (include/linux/memcontrol.h) that matters here.</summary>
[StructLayout(LayoutKind.Explicit, Size = 48)]
public struct mem_cgroup
{
    /// <summary>The memcg's id (<c>memcg->id.id</c>).</summary>
    [FieldOffset(0)] public long id;
    /// <summary><c>memcg->deferred_split_queue</c>.</summary>
    [FieldOffset(8)] public deferred_split deferred_split_queue;
}

/// <summary>The part of <c>struct pglist_data</c> (<c>NODE_DATA(nid)</c>) that matters here.</summary>
[StructLayout(LayoutKind.Explicit, Size = 48)]
public struct pglist_data
{
    /// <summary><c>pgdat->node_id</c>.</summary>
    [FieldOffset(0)] public long node_id;
    /// <summary><c>pgdat->deferred_split_queue</c>.</summary>
    [FieldOffset(8)] public deferred_split deferred_split_queue;
}

/// <summary>A simulated CPU's kernel stack: where <c>deferred_split_scan()</c>'s <c>LIST_HEAD(list)</c> lives.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct cpu_stack
{
    /// <summary>The scan's on-stack <c>LIST_HEAD(list)</c>.</summary>
    [FieldOffset(0)] public list_head list;
}

/// <summary>Page flag bits of <c>folio->flags</c> used here (include/linux/page-flags.h).</summary>
public static class PageFlags
{
    /// <summary><c>PG_locked</c>: the folio lock.</summary>
    public const int PG_locked = 0;
    /// <summary><c>PG_large_rmappable</c> (<c>PG_workingset</c>'s alias on the second page in the kernel).</summary>
    public const int PG_large_rmappable = 1;
    /// <summary>
    /// <c>PG_partially_mapped</c> (v6.12+): a flag of the folio's second page, so it lives in the word
    /// that also holds the order (<c>folio-&gt;_flags_1</c>, here <c>nid</c>/<c>order</c>), not in the
    /// word of PG_locked — a non-atomic update of it does not race with the folio lock.
    /// </summary>
    public const int PG_partially_mapped = 0;
}

/// <summary>
/// The two words of the folio's second page this model keeps: <c>nid</c> (low half) with the order
/// (high half), and the word holding PG_partially_mapped. One decoding for the ports, the oracles and
/// the report.
/// </summary>
public static class FolioWords
{
    /// <summary>The order in the nid/order word.</summary>
    public static int Order(ulong nidOrder) => (int)((nidOrder >> 32) & 0xff);

    /// <summary>The node in the nid/order word.</summary>
    public static int Nid(ulong nidOrder) => (int)(nidOrder & 0xffff_ffff);

    /// <summary>Whether PG_partially_mapped is set in its word.</summary>
    public static bool PartiallyMapped(ulong word) => (word & (1UL << PageFlags.PG_partially_mapped)) != 0;
}

/// <summary>Field offsets of the structs above, for the typed handles.</summary>
public static class Offsets
{
    /// <summary>Offset of <c>folio->_refcount</c>.</summary>
    public static readonly int FolioRefcount = (int)Marshal.OffsetOf<folio>(nameof(folio._refcount));
    /// <summary>Offset of <c>folio->flags</c>.</summary>
    public static readonly int FolioFlags = (int)Marshal.OffsetOf<folio>(nameof(folio.flags));
    /// <summary>Offset of <c>folio->memcg_data</c>.</summary>
    public static readonly int FolioMemcgData = (int)Marshal.OffsetOf<folio>(nameof(folio.memcg_data));
    /// <summary>Offset of <c>folio->nid</c> (the order is the next 4 bytes).</summary>
    public static readonly int FolioNid = (int)Marshal.OffsetOf<folio>(nameof(folio.nid));
    /// <summary>Offset of the PG_partially_mapped word.</summary>
    public static readonly int FolioPartiallyMapped = (int)Marshal.OffsetOf<folio>(nameof(folio.partially_mapped_flags));
    /// <summary>Offset of <c>folio->_deferred_list</c>.</summary>
    public static readonly int FolioDeferredList = (int)Marshal.OffsetOf<folio>(nameof(folio._deferred_list));
    /// <summary>Offset of <c>list_head.prev</c>.</summary>
    public static readonly int ListPrev = (int)Marshal.OffsetOf<list_head>(nameof(list_head.prev));
    /// <summary>Offset of <c>deferred_split.split_queue</c>.</summary>
    public static readonly int QueueList = (int)Marshal.OffsetOf<deferred_split>(nameof(deferred_split.split_queue));
    /// <summary>Offset of <c>deferred_split.split_queue_len</c>.</summary>
    public static readonly int QueueLen = (int)Marshal.OffsetOf<deferred_split>(nameof(deferred_split.split_queue_len));
    /// <summary>Offset of <c>deferred_split_queue</c> inside <c>mem_cgroup</c> and <c>pglist_data</c>.</summary>
    public static readonly int OwnerQueue = (int)Marshal.OffsetOf<mem_cgroup>(nameof(mem_cgroup.deferred_split_queue));
}
