using MmFuzz.Engine;

namespace MmFuzz.Strategies;

/// <summary>
/// Seeded random walk: at every step, a uniformly chosen runnable CPU. Each execution draws from the
/// same generator, so a run of N executions from seed S is reproducible; <see cref="ExecutionSeed"/>
/// is the seed that replays the current execution alone.
/// </summary>
/// <remarks>The generator is SplitMix64 (Steele, Lea, Flood, OOPSLA 2014).</remarks>
public sealed class RandomStrategy(ulong seed) : ISchedulingStrategy
{
    ulong next = seed;
    ulong state;

    /// <inheritdoc/>
    public string Name => "random";

    /// <summary>Seed of the current execution: <c>new RandomStrategy(ExecutionSeed)</c> replays it first.</summary>
    public ulong ExecutionSeed { get; private set; }

    /// <inheritdoc/>
    public void StartRun(Machine machine)
    {
        ExecutionSeed = next;
        state = next;
        next = SplitMix64(ref next);
    }

    /// <inheritdoc/>
    public int NextCpu(Machine machine, ReadOnlySpan<int> runnable, int current, int step)
    {
        if (runnable.Length == 1)
            return runnable[0];
        // Lemire's multiply-shift instead of a 64-bit division: uniform enough for 2..8 CPUs, and cheap.
        return runnable[(int)(((SplitMix64(ref state) >> 32) * (ulong)runnable.Length) >> 32)];
    }

    /// <summary>One SplitMix64 step.</summary>
    public static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
