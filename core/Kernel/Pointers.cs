namespace MmFuzz.Kernel;

// Typed handles over arena addresses: what a kernel port holds in a local variable (`struct folio
// *folio`, `struct list_head *next`). They only compute addresses (container_of, &p->field); reading
// or writing through them is always a scheduling point of the machine (Kernel.Memory.cs).

/// <summary>The address of one field of type <typeparamref name="T"/> (<c>&amp;p-&gt;field</c>).</summary>
public readonly record struct Field<T>(nint Addr) where T : unmanaged;

/// <summary><c>struct list_head *</c>.</summary>
public readonly record struct ListPtr(nint Addr)
{
    /// <summary><c>&amp;list-&gt;next</c>.</summary>
    public Field<ListPtr> Next => new(Addr);
    /// <summary><c>&amp;list-&gt;prev</c>.</summary>
    public Field<ListPtr> Prev => new(Addr + 8);
    /// <summary>The NULL pointer.</summary>
    public static ListPtr Null => default;
}

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
    /// <summary><c>&amp;folio-&gt;_deferred_list</c>.</summary>
    public ListPtr DeferredList => new(Addr + Offsets.FolioDeferredList);

    /// <summary>A NULL <c>struct folio *</c>.</summary>
    public bool IsNull => Addr == 0;

    /// <summary><c>list_entry(list, struct folio, _deferred_list)</c> (container_of).</summary>
    public static FolioPtr FromDeferredList(ListPtr list) => new(list.Addr - Offsets.FolioDeferredList);
}

/// <summary><c>struct mem_cgroup *</c>.</summary>
public readonly record struct MemcgPtr(nint Addr)
{
    /// <summary><c>&amp;memcg-&gt;deferred_split_queue</c>.</summary>
    public QueuePtr DeferredSplitQueue => new(Addr + Offsets.OwnerQueue);
    /// <summary>Whether this is NULL (an uncharged folio).</summary>
    public bool IsNull => Addr == 0;
}

/// <summary><c>struct pglist_data *</c> (<c>NODE_DATA(nid)</c>).</summary>
public readonly record struct NodePtr(nint Addr)
{
    /// <summary><c>&amp;pgdat-&gt;deferred_split_queue</c>.</summary>
    public QueuePtr DeferredSplitQueue => new(Addr + Offsets.OwnerQueue);
}

/// <summary><c>struct deferred_split *</c>.</summary>
public readonly record struct QueuePtr(nint Addr)
{
    /// <summary><c>&amp;ds_queue-&gt;split_queue_lock</c>.</summary>
    public Field<int> Lock => new(Addr);
    /// <summary><c>&amp;ds_queue-&gt;split_queue</c>.</summary>
    public ListPtr SplitQueue => new(Addr + Offsets.QueueList);
    /// <summary><c>&amp;ds_queue-&gt;split_queue_len</c>.</summary>
    public Field<ulong> Len => new(Addr + Offsets.QueueLen);
}

/// <summary>Kernel constants used by the ports.</summary>
public static class Poison
{
    /// <summary><c>POISON_POINTER_DELTA</c> on x86-64 (CONFIG_ILLEGAL_POINTER_VALUE).</summary>
    public const long PointerDelta = unchecked((long)0xdead000000000000UL);
    /// <summary><c>LIST_POISON1</c> (include/linux/poison.h).</summary>
    public static readonly ListPtr LIST_POISON1 = new(unchecked((nint)(0x100 + PointerDelta)));
    /// <summary><c>LIST_POISON2</c> (include/linux/poison.h).</summary>
    public static readonly ListPtr LIST_POISON2 = new(unchecked((nint)(0x122 + PointerDelta)));
}
