namespace MmFuzz.Engine;

/// <summary>A kernel function known to the tracer: its C name and whether a trace line shows it as one action.</summary>
public sealed class KernelFunction
{
    static readonly object registryLock = new();
    static KernelFunction[] registry = [];       // copy-on-write: readers index it without the lock

    /// <summary>Declares a function.</summary>
    /// <param name="name">The kernel function or macro name.</param>
    /// <param name="isAction">
    /// True for the functions a person reads as one step in a two-column trace (<c>list_move</c>,
    /// <c>folio_try_get</c>, <c>spin_lock</c>): their inner accesses are folded into one line.
    /// </param>
    public KernelFunction(string name, bool isAction)
    {
        Name = name;
        IsAction = isAction;
        lock (registryLock)
        {
            Id = registry.Length;
            registry = [.. registry, this];
        }
    }

    /// <summary>The kernel function or macro name.</summary>
    public string Name { get; }

    /// <summary>Whether a trace shows the function as one action.</summary>
    public bool IsAction { get; }

    /// <summary>A small number naming the function in compact per-access records (the race detector's shadow).</summary>
    public int Id { get; }

    /// <summary>The function numbered <paramref name="id"/>.</summary>
    public static KernelFunction ById(int id) => Volatile.Read(ref registry)[id];

    /// <inheritdoc/>
    public override string ToString() => Name;
}
