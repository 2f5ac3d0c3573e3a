using System.Runtime.InteropServices;

namespace MmFuzz.Memory;

/// <summary>Field identity of each 8-byte granule, for oracles and traces.</summary>
public enum FieldKind : byte
{
    /// <summary>Not a modelled field (padding).</summary>
    None,
    /// <summary><c>folio->flags</c>.</summary>
    Flags,
    /// <summary><c>folio->_refcount</c>.</summary>
    Refcount,
    /// <summary><c>folio->memcg_data</c>.</summary>
    MemcgData,
    /// <summary><c>folio_nid()</c> and <c>folio_order()</c> (read-only here).</summary>
    NidOrder,
    /// <summary><c>list_head.next</c>.</summary>
    ListNext,
    /// <summary><c>list_head.prev</c>.</summary>
    ListPrev,
    /// <summary><c>deferred_split.split_queue_lock</c>.</summary>
    SpinLock,
    /// <summary><c>deferred_split.split_queue_len</c>.</summary>
    QueueLen,
    /// <summary>An identifier word (<c>memcg id</c>, <c>node_id</c>).</summary>
    Id,
    /// <summary>The model's mapcount of a folio (<c>_large_mapcount</c>, <c>_nr_pages_mapped</c>).</summary>
    Mapcount,
}
