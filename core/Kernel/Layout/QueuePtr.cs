namespace MmFuzz.Kernel;

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
