using MmFuzz.Engine;

namespace MmFuzz.Strategies;

/// <summary>
/// Probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, "A randomized
/// scheduler with probabilistic guarantees of finding bugs", ASPLOS 2010). Each execution gives the
/// CPUs distinct random priorities d, d+1, ..., d+n-1 and picks d-1 change points uniformly among
/// the first k steps; the highest-priority runnable CPU always runs, and at the i-th change point
/// the running CPU drops to priority i, below every other. A bug of depth d is found with
/// probability at least 1/(n k^(d-1)) per execution. k is the longest execution seen so far.
/// </summary>
public sealed class PctStrategy : ISchedulingStrategy
{
    readonly int depth;
    ulong next;
    ulong state;
    int k = 64;
    readonly int[] priority = new int[8];
    readonly int[] changeAt;

    /// <summary>Creates the strategy.</summary>
    /// <param name="seed">Seed of the executions' randomness.</param>
    /// <param name="depth">The bug depth d (d-1 priority change points per execution).</param>
    public PctStrategy(ulong seed, int depth = 3)
    {
        if (depth < 1)
            throw new ArgumentOutOfRangeException(nameof(depth), "depth is at least 1");
        this.depth = depth;
        next = seed;
        changeAt = new int[depth - 1];
    }

    /// <inheritdoc/>
    public string Name => "pct";

    /// <summary>Seed of the current execution.</summary>
    public ulong ExecutionSeed { get; private set; }

    /// <summary>Priority changes made in the current execution.</summary>
    public int Changes { get; private set; }

    /// <inheritdoc/>
    public void StartRun(Machine machine)
    {
        k = Math.Max(k, machine.Steps);         // the previous execution's length
        ExecutionSeed = next;
        state = next;
        next = RandomStrategy.SplitMix64(ref next);
        int n = machine.Cpus.Count;
        for (int i = 0; i < n; i++)
            priority[i] = depth + i;
        for (int i = n - 1; i > 0; i--)          // Fisher-Yates
        {
            int j = (int)(RandomStrategy.SplitMix64(ref state) % (ulong)(i + 1));
            (priority[i], priority[j]) = (priority[j], priority[i]);
        }
        for (int i = 0; i < changeAt.Length; i++)
            changeAt[i] = 1 + (int)(RandomStrategy.SplitMix64(ref state) % (ulong)k);
        Changes = 0;
    }

    /// <inheritdoc/>
    public int NextCpu(Machine machine, ReadOnlySpan<int> runnable, int current, int step)
    {
        int best = Highest(runnable);
        for (int i = 0; i < changeAt.Length; i++)
            if (changeAt[i] == step)
            {
                priority[best] = i + 1;     // change point i+1: below every initial priority
                Changes++;
                best = Highest(runnable);
            }
        return best;
    }

    int Highest(ReadOnlySpan<int> runnable)
    {
        int best = runnable[0];
        foreach (var c in runnable)
            if (priority[c] > priority[best])
                best = c;
        return best;
    }
}
