namespace MmFuzz.Kernel;

/// <summary><c>struct folio *</c>.</summary>
public readonly record struct FolioPtr(nint Addr)
{
    /// <summary><c>&amp;folio-&gt;flags</c>.</summary>
    public Field<ulong> Flags => new(Addr + Offsets.FolioFlags);
    /// <summary><c>&amp;folio-&gt;_refcount</c>.</summary>
    public Field<int> Refcount => new(Addr + Offsets.FolioRefcount);
    /// <summary><c>&amp;folio-&gt;memcg_data</c>.</summary>
    public Field<MemcgPtr> MemcgData => new(Addr + Offsets.FolioMemcgData);
    /// <summary>The word holding <c>folio_nid()</c> (low half) and <c>folio_order()</c> (high half).</summary>
    public Field<long> NidOrder => new(Addr + Offsets.FolioNid);
    /// <summary>The word holding PG_partially_mapped.</summary>
    public Field<ulong> PartiallyMapped => new(Addr + Offsets.FolioPartiallyMapped);
    /// <summary>The model's mapcount word (an <c>atomic_t</c>): whether page tables map the folio (a migration's destination).</summary>
    public Field<int> Mapcount => new(Addr + Offsets.FolioMapcount);
    /// <summary><c>&amp;folio-&gt;_deferred_list</c>.</summary>
    public ListPtr DeferredList => new(Addr + Offsets.FolioDeferredList);

    /// <summary>A NULL <c>struct folio *</c>.</summary>
    public bool IsNull => Addr == 0;

    /// <summary><c>list_entry(list, struct folio, _deferred_list)</c> (container_of).</summary>
    public static FolioPtr FromDeferredList(ListPtr list) => new(list.Addr - Offsets.FolioDeferredList);
}
