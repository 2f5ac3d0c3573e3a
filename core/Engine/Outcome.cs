namespace MmFuzz.Engine;

/// <summary>The result of one execution.</summary>
/// <param name="Verdict">How it ended.</param>
/// <param name="Kind">The bug kind when <see cref="Verdict"/> is <see cref="Verdict.Bug"/>.</param>
/// <param name="Message">The oracle's kernel-style message, or the exception text.</param>
/// <param name="Step">Number of steps executed when it ended.</param>
/// <param name="Cpu">Number (1-based) of the CPU on which the oracle fired; 0 when none (quiescence).</param>
public sealed record Outcome(Verdict Verdict, BugKind Kind, string Message, int Step, int Cpu)
{
    /// <summary>
    /// Where the oracle fired, as the kernel would print the call chain: the reporting CPU's outermost
    /// kernel function and the action it was in ("deferred_split_scan > list_del_init"); null when no
    /// CPU was running (a quiescence, deadlock or livelock finding).
    /// </summary>
    public string? Where { get; init; }

    // Outcomes are immutable, so the clean ones are made once per step count: an execution that
    // finds nothing allocates nothing (bench's bytes/execution), and the GC has nothing to collect.
    const int Cached = 4096;
    static readonly Outcome?[] ok = new Outcome?[Cached];
    static readonly Outcome?[] abandoned = new Outcome?[Cached];

    /// <summary>The outcome of an execution in which nothing fired.</summary>
    public static Outcome Ok(int steps) => Clean(ok, Verdict.Ok, steps);

    /// <summary>The outcome of an execution the strategy stopped after <paramref name="steps"/> steps.</summary>
    public static Outcome Abandoned(int steps) => Clean(abandoned, Verdict.Abandoned, steps);

    static Outcome Clean(Outcome?[] cache, Verdict verdict, int steps)
    {
        if ((uint)steps >= Cached)
            return new(verdict, BugKind.None, "", steps, 0);
        // A race between two threads makes two equal instances; either is right.
        return cache[steps] ??= new(verdict, BugKind.None, "", steps, 0);
    }

    /// <summary>True for a kernel bug.</summary>
    public bool IsBug => Verdict == Verdict.Bug;
}
