namespace MmFuzz.Search;

/// <summary>
/// Which worker of a hunt shared out among <paramref name="Count"/> workers this is: what each worker's
/// seed, its share of an execution budget and its share of a list of scenarios depend on, so a hunt
/// with an execution budget finds the same on every run whatever the workers' speeds. In a sharded
/// hunt (<see cref="Shard"/>) the workers of every shard are one numbering: shard I's worker w is the
/// hunt's worker I + w * N, so no two shards draw the same seed, and the shards split a list first
/// (item i is shard i mod N's), then each shard's workers split its share.
/// </summary>
/// <param name="Index">The worker's index, 0 to <paramref name="Count"/> - 1.</param>
/// <param name="Count">The number of workers.</param>
public readonly record struct WorkerSlot(int Index, int Count)
{
    /// <summary>The shard this worker belongs to (<see cref="Search.Shard.Whole"/> when the hunt is not sharded).</summary>
    public Shard Shard { get; init; } = Shard.Whole;

    /// <summary>The only worker of a hunt on one thread.</summary>
    public static WorkerSlot Only => new(0, 1);

    /// <summary>Whether this is the first worker (the one that reports progress).</summary>
    public bool IsFirst => Index == 0;

    /// <summary>This worker's seed, derived from the hunt's <paramref name="seed"/> (the first worker's of the first shard is the hunt's).</summary>
    public ulong Seed(ulong seed) => seed + ((ulong)Shard.Index + (ulong)Index * (ulong)Math.Max(1, Shard.Count)) * 0x9E3779B97F4A7C15UL;

    /// <summary>This worker's share of <paramref name="executions"/> (no limit stays no limit; the first workers take the remainder).</summary>
    public long Share(long executions) =>
        executions == long.MaxValue ? long.MaxValue : executions / Count + (Index < executions % Count ? 1 : 0);

    /// <summary>Whether item <paramref name="i"/> of a list shared out in turn is this worker's.</summary>
    public bool Owns(int i) => Shard.Owns(i) && i / Math.Max(1, Shard.Count) % Count == Index;
}
