using System.Runtime.ExceptionServices;

namespace MmFuzz.Engine;

/// <summary>The boxes of one thread: a free list per state-machine type.</summary>
/// <remarks>
/// A machine looks up its thread's runtime once per execution (<see cref="ForCurrentThread"/>) and
/// hands it to its CPUs; every awaiter of a port reaches it through its CPU or its callee's box. So
/// renting and recycling a box touch no thread-local storage: one thread-static read per execution
/// instead of three per box.
/// </remarks>
public sealed class SimRuntime
{
    [ThreadStatic] static SimRuntime? current;
    static int typeCount;

    FreeList[] free = new FreeList[64];   // a struct per slot: storing a box is a plain store, no array covariance check

    struct FreeList
    {
        public Rentable? Head;
    }

    SimRuntime() => Thread = Environment.CurrentManagedThreadId;

    /// <summary>The managed thread that owns this runtime.</summary>
    internal int Thread { get; }

    /// <summary>Boxes this runtime has allocated so far (constant once executions reach a steady state).</summary>
    public long BoxesCreated { get; internal set; }

    /// <summary>Boxes rented and not yet returned: zero whenever an execution starts (after the machine's reset).</summary>
    public int BoxesOut { get; internal set; }

    /// <summary>The runtime of the calling thread.</summary>
    public static SimRuntime ForCurrentThread => current ??= new SimRuntime();

    /// <summary>A small number for each box type: its slot in <see cref="free"/>.</summary>
    internal static int NewTypeId() => Interlocked.Increment(ref typeCount) - 1;

    internal Rentable? TakeFree(int typeId)
    {
        if (typeId >= free.Length)
            return null;
        ref var list = ref free[typeId];
        var box = list.Head;
        if (box is not null)
        {
            list.Head = box.NextFree;
            box.NextFree = null;
        }
        return box;
    }

    internal void PutFree(int typeId, Rentable box)
    {
        if (typeId >= free.Length)
            Array.Resize(ref free, Math.Max(typeId + 1, free.Length * 2));
        ref var list = ref free[typeId];
        box.NextFree = list.Head;
        list.Head = box;
    }

    /// <summary>
    /// Returns the boxes of a call chain an execution left suspended (a bug stopped it, or the
    /// strategy abandoned it): from the innermost function, whose box <paramref name="innermost"/>
    /// resumes, out through each caller. Boxes of another thread's runtime are left to the GC.
    /// </summary>
    internal void Reclaim(Action? innermost)
    {
        var k = innermost;
        while (k?.Target is Rentable { Rented: true } box)
        {
            k = box.Continuation;
            if (box.Runtime == this)
                box.Recycle();
        }
    }

    /// <summary>Returns the box of a top-level function (a CPU's program) if it still holds one.</summary>
    internal void Reclaim(Rentable? program)
    {
        if (program is { Rented: true } && program.Runtime == this)
            program.Recycle();
    }
}
