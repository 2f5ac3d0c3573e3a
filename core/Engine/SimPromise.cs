using System.Runtime.ExceptionServices;

namespace MmFuzz.Engine;

/// <summary>Result cell of a suspended kernel function.</summary>
public abstract class SimPromise<T> : Rentable
{
    /// <summary>Set when the function returns.</summary>
    internal bool IsCompleted;
    /// <summary>The function's result.</summary>
    internal T Result = default!;

    /// <summary>
    /// The function returned: resume the caller, which reads the result at once, then give the box
    /// back. A function nobody awaits yet (a CPU's top-level program) keeps its box until the reset.
    /// </summary>
    internal void Complete(T result)
    {
        Result = result;
        IsCompleted = true;
        var k = Continuation;
        if (k is not null)
        {
            Continuation = null;
            k();
            Recycle();
        }
    }
}
