namespace MmFuzz.Engine;

/// <summary>One entry of a simulated CPU's call stack.</summary>
public struct Frame
{
    /// <summary>
    /// The function's <see cref="KernelFunction.Id"/> + 1 (0 in an empty frame): a number rather
    /// than a reference, so that entering a function stores no object reference (no GC write
    /// barrier on the hot path).
    /// </summary>
    public int FnId;

    /// <summary>The function (null in an empty frame).</summary>
    public readonly KernelFunction Fn => FnId == 0 ? null! : KernelFunction.ById(FnId - 1);
    /// <summary>First argument (an address or a value), for the trace.</summary>
    public nint A0;
    /// <summary>Second argument.</summary>
    public nint A1;
    /// <summary>Per-CPU sequence number of this call, so the tracer can tell two calls apart.</summary>
    public int Seq;
}
