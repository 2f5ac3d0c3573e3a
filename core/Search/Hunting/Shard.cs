namespace MmFuzz.Search;

/// <summary>
/// One of <paramref name="Count"/> processes (machines, pods, array tasks) that share one proof or one
/// hunt: what it runs depends on its index and the count alone, never on the others' speed, so the
/// shards' results merged are the same on every run. A small scope's shard explores the scenarios
/// whose index in the enumeration is <paramref name="Index"/> modulo <paramref name="Count"/>; a hunt's
/// shard runs the workers and the share of the small scope that the same rule gives it
/// (<see cref="WorkerSlot"/>).
/// </summary>
/// <param name="Index">The shard's index, 0 to <paramref name="Count"/> - 1.</param>
/// <param name="Count">The number of shards, at least 1.</param>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>The whole search, unsharded.</summary>
    public static Shard Whole => new(0, 1);

    /// <summary>Whether this is the whole search.</summary>
    public bool IsWhole => Count <= 1;

    /// <summary>Whether item <paramref name="i"/> of a list shared out in turn among the shards is this shard's.</summary>
    public bool Owns(int i) => Count <= 1 || i % Count == Index;

    /// <summary>The number of items of a list of <paramref name="n"/> that are this shard's.</summary>
    public int ShareOf(int n) => Count <= 1 ? n : n / Count + (Index < n % Count ? 1 : 0);

    /// <inheritdoc/>
    public override string ToString() => $"{Index}/{Count}";
}
