namespace MmFuzz.Kernel;

/// <summary>What history says a kernel state does under one scenario family.</summary>
public enum Expected : byte
{
    /// <summary>No corrupting schedule (history: the fixed state).</summary>
    Safe,
    /// <summary>History records a corrupting race and a fix.</summary>
    Bug,
}
