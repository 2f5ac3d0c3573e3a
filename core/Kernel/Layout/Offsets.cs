using System.Runtime.InteropServices;

namespace MmFuzz.Kernel;

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
    /// <summary>Offset of the model's mapcount word (<c>folio._mapcount</c>).</summary>
    public static readonly int FolioMapcount = (int)Marshal.OffsetOf<folio>(nameof(folio._mapcount));
    /// <summary>Offset of <c>folio->_deferred_list</c>.</summary>
    public static readonly int FolioDeferredList = (int)Marshal.OffsetOf<folio>(nameof(folio._deferred_list));
    /// <summary>Offset of <c>list_head.prev</c>.</summary>
    public static readonly int ListPrev = (int)Marshal.OffsetOf<list_head>(nameof(list_head.prev));
    /// <summary>Offset of <c>deferred_split.split_queue</c>.</summary>
    public static readonly int QueueList = (int)Marshal.OffsetOf<deferred_split>(nameof(deferred_split.split_queue));
    /// <summary>Offset of <c>deferred_split.split_queue_len</c>.</summary>
    public static readonly int QueueLen = (int)Marshal.OffsetOf<deferred_split>(nameof(deferred_split.split_queue_len));
    /// <summary>Offset of <c>memcg-&gt;css.flags</c>.</summary>
    public static readonly int MemcgCssFlags = (int)Marshal.OffsetOf<mem_cgroup>(nameof(mem_cgroup.css_flags));
    /// <summary>Offset of <c>deferred_split_queue</c> inside <c>mem_cgroup</c> and <c>pglist_data</c>.</summary>
    public static readonly int OwnerQueue = (int)Marshal.OffsetOf<mem_cgroup>(nameof(mem_cgroup.deferred_split_queue));
}
