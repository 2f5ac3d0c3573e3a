namespace MmFuzz.Engine;

/// <summary>How an execution ended.</summary>
public enum Verdict : byte
{
    /// <summary>Every CPU finished and every quiescence check held.</summary>
    Ok,
    /// <summary>An oracle fired: a kernel bug.</summary>
    Bug,
    /// <summary>A C# exception inside the simulator: a bug of MmFuzz itself, never of the kernel.</summary>
    HarnessError,
    /// <summary>
    /// The strategy stopped the execution before its end: every way on from there is already covered
    /// (a sleep-set-blocked branch of the exhaustive search). Says nothing about the kernel.
    /// </summary>
    Abandoned,
}
