using System.Diagnostics;

namespace MmFuzz.Engine;

/// <summary>
/// A simulated CPU: the access it has announced, the continuation that resumes its kernel code,
/// the locks it holds and its call stack. Created once per machine and reset between executions.
/// </summary>
public sealed class Cpu
{
    const int MaxDepth = 32;
    const int MaxHeld = 8;
    readonly nint[] held = new nint[MaxHeld];
    int heldCount;
    int seq;

    internal Access Pending;
    internal Action? Resume;
    /// <summary>The continuation of a CPU stopped at BUG(): never resumed, kept so its boxes are reclaimed.</summary>
    internal Action? Parked;
    internal ulong Result;
    internal Sim Program;
    internal nint BlockedOn;
    internal readonly Frame[] Frames = new Frame[MaxDepth];
    internal int Depth;
    /// <summary>The boxes of the thread running this CPU's machine (set by the machine each execution).</summary>
    internal SimRuntime Runtime = null!;

    internal Cpu(Machine machine, int index)
    {
        Machine = machine;
        Index = index;
    }

    /// <summary>The machine this CPU belongs to.</summary>
    public Machine Machine { get; }

    /// <summary>Zero-based index.</summary>
    public int Index { get; }

    /// <summary>Number shown to people ("CPU 1"), as in the kernel's traces: index + 1.</summary>
    public int Number => Index + 1;

    /// <summary>Scheduling state.</summary>
    public CpuState State
    {
        get => state;
        internal set
        {
            state = value;
            Machine.RunnableChanged();
        }
    }

    CpuState state;

    /// <summary>Index of the program operation being run.</summary>
    public int Pc { get; set; }

    /// <summary>The access this CPU will perform when next scheduled.</summary>
    public ref readonly Access PendingAccess => ref Pending;

    /// <summary>Number of locks held.</summary>
    public int HeldCount => heldCount;

    /// <summary>Lock word addresses held, in acquisition order.</summary>
    public ReadOnlySpan<nint> Held => held.AsSpan(0, heldCount);

    /// <summary>Whether this CPU holds the lock at <paramref name="lockAddr"/>.</summary>
    public bool Holds(nint lockAddr)
    {
        for (int i = 0; i < heldCount; i++)
            if (held[i] == lockAddr)
                return true;
        return false;
    }

    internal void Acquired(nint lockAddr)
    {
        if (heldCount == MaxHeld)
            throw new InvalidOperationException($"CPU {Number} holds more than {MaxHeld} locks");
        held[heldCount++] = lockAddr;
    }

    internal bool Released(nint lockAddr)
    {
        for (int i = heldCount - 1; i >= 0; i--)
            if (held[i] == lockAddr)
            {
                held[i] = held[--heldCount];
                return true;
            }
        return false;
    }

    /// <summary>Announces the next access; the caller then awaits a <see cref="Step"/>.</summary>
    internal void Announce(in Access access)
    {
        Debug.Assert(Resume is null, "announce while another access is pending");
        Pending = access;
    }

    /// <summary>Enters a kernel function (for traces and oracles). Dispose the result on return.</summary>
    public FrameScope Enter(KernelFunction fn, nint a0 = 0, nint a1 = 0)
    {
        if (Depth == MaxDepth)
            throw new InvalidOperationException($"CPU {Number}: call stack deeper than {MaxDepth}");
        Frames[Depth++] = new Frame { FnId = fn.Id + 1, A0 = a0, A1 = a1, Seq = ++seq };
        return new FrameScope(this);
    }

    /// <summary>Whether <paramref name="fn"/> is on this CPU's call stack.</summary>
    public bool InFunction(KernelFunction fn)
    {
        for (int i = 0; i < Depth; i++)
            if (Frames[i].FnId == fn.Id + 1)
                return true;
        return false;
    }

    /// <summary>The innermost function on the call stack, or null.</summary>
    public KernelFunction? Innermost => Depth == 0 ? null : Frames[Depth - 1].Fn;

    /// <summary>The outermost action frame (the line a trace prints), or the innermost frame.</summary>
    public ref readonly Frame ActionFrame
    {
        get
        {
            for (int i = 0; i < Depth; i++)
                if (Frames[i].Fn.IsAction)
                    return ref Frames[i];
            return ref Frames[Math.Max(0, Depth - 1)];
        }
    }

    /// <summary>Name of the <see cref="ActionFrame"/>'s function, or "?" outside any kernel function.</summary>
    public string ActionName => Depth == 0 ? "?" : ActionFrame.Fn.Name;

    /// <summary>
    /// The outermost kernel function and the action being run ("deferred_split_scan > list_del_init"),
    /// or just the function when it is the action; "?" outside any.
    /// </summary>
    public string CallChain
    {
        get
        {
            if (Depth == 0)
                return "?";
            var outer = Frames[0].Fn.Name;
            var action = ActionName;
            return outer == action ? outer : $"{outer} > {action}";
        }
    }

    /// <summary>The outermost frame (the program operation).</summary>
    public ref readonly Frame OuterFrame => ref Frames[0];

    /// <summary>
    /// How many <c>data_race()</c> expressions of C the CPU is inside: while nonzero, every access it
    /// announces is marked <see cref="Marking.DataRace"/>, also those of the ports it calls.
    /// </summary>
    public int DataRaceNesting { get; set; }

    internal void Reset()
    {
        DataRaceNesting = 0;
        Pending = default;
        Resume = null;
        Parked = null;
        Result = 0;
        Program = default;
        BlockedOn = 0;
        heldCount = 0;
        Depth = 0;
        seq = 0;
        Pc = 0;
        State = CpuState.Runnable;
    }
}
