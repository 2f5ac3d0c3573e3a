namespace MmFuzz.Kernel;

/// <summary><c>struct pglist_data *</c> (<c>NODE_DATA(nid)</c>).</summary>
public readonly record struct NodePtr(nint Addr)
{
    /// <summary><c>&amp;pgdat-&gt;deferred_split_queue</c>.</summary>
    public QueuePtr DeferredSplitQueue => new(Addr + Offsets.OwnerQueue);
}
