namespace MmFuzz.Engine;

/// <summary>Scheduling state of a simulated CPU.</summary>
public enum CpuState : byte
{
    /// <summary>Has an announced access and may be scheduled.</summary>
    Runnable,
    /// <summary>Its last lock attempt failed; it waits until the lock word is released.</summary>
    Spinning,
    /// <summary>Its program has returned.</summary>
    Done,
    /// <summary>Stopped at a BUG() (an oracle fired on this CPU).</summary>
    Halted,
}
