namespace MmFuzz.Kernel;

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
