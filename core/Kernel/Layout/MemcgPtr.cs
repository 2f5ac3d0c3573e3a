namespace MmFuzz.Kernel;

/// <summary><c>struct mem_cgroup *</c>.</summary>
public readonly record struct MemcgPtr(nint Addr)
{
    /// <summary><c>&amp;memcg-&gt;deferred_split_queue</c>.</summary>
    public QueuePtr DeferredSplitQueue => new(Addr + Offsets.OwnerQueue);
    /// <summary><c>&amp;memcg-&gt;css.flags</c>.</summary>
    public Field<uint> CssFlags => new(Addr + Offsets.MemcgCssFlags);
    /// <summary>Whether this is NULL (an uncharged folio).</summary>
    public bool IsNull => Addr == 0;
}
