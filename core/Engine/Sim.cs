using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace MmFuzz.Engine;

// The execution model. Kernel ports are C# async methods returning Sim / Sim<T>. Every shared
// memory access is an `await` on a Step (Sim/Step.cs): the access is announced to the machine, the
// port suspends, and the machine performs the access when the scheduler picks that CPU, then
// resumes the port until its next announcement. No threads, no thread pool, no
// SynchronizationContext: a suspended port is a state machine in a pooled box, resumed by a direct
// delegate call from the machine's step loop. Boxes are rented from per-type free lists when a
// function first suspends and returned when it returns (those an execution leaves suspended, when
// the machine resets), so a steady-state execution allocates nothing.
// (Measured against C# iterators and hand-written frames: see `mmfuzz bench` and the README.)

/// <summary>A resumable kernel function with no result (the simulated analogue of a C <c>void</c> function).</summary>
[AsyncMethodBuilder(typeof(SimBuilder))]
public readonly struct Sim
{
    readonly SimPromise<Unit>? promise;

    internal Sim(SimPromise<Unit>? promise) => this.promise = promise;

    /// <summary>The box of a suspended function, or null.</summary>
    internal Rentable? Box => promise;

    /// <summary>Whether the function has returned.</summary>
    public bool IsCompleted => promise is null || promise.IsCompleted;

    /// <summary>Awaiter used by <c>await</c>.</summary>
    public SimAwaiter<Unit> GetAwaiter() => new(promise, default);
}

/// <summary>A resumable kernel function returning <typeparamref name="T"/>.</summary>
[AsyncMethodBuilder(typeof(SimBuilder<>))]
public readonly struct Sim<T>
{
    readonly SimPromise<T>? promise;
    readonly T value;

    internal Sim(SimPromise<T>? promise, T value)
    {
        this.promise = promise;
        this.value = value;
    }

    /// <summary>Whether the function has returned.</summary>
    public bool IsCompleted => promise is null || promise.IsCompleted;

    /// <summary>The result; only valid once <see cref="IsCompleted"/>.</summary>
    public T Result => promise is null ? value : promise.Result;

    /// <summary>Awaiter used by <c>await</c>.</summary>
    public SimAwaiter<T> GetAwaiter() => new(promise, value);

    internal SimPromise<T>? PromiseOrNull => promise;
}

/// <summary>The empty result of a <see cref="Sim"/>.</summary>
public readonly struct Unit;

/// <summary>Awaiter of <see cref="Sim"/> and <see cref="Sim{T}"/>: a suspended callee resumes its caller on return.</summary>
public readonly struct SimAwaiter<T> : ICriticalNotifyCompletion, ISimAwaiter
{
    readonly SimPromise<T>? promise;
    readonly T value;

    internal SimAwaiter(SimPromise<T>? promise, T value)
    {
        this.promise = promise;
        this.value = value;
    }

    /// <summary>True when the callee returned without suspending, or has returned since.</summary>
    public bool IsCompleted => promise is null || promise.IsCompleted;

    /// <summary>The callee's result.</summary>
    public T GetResult() => promise is null ? value : promise.Result;

    /// <summary>Registers the caller's continuation.</summary>
    public void OnCompleted(Action continuation) => promise!.Continuation = continuation;

    SimRuntime ISimAwaiter.Runtime => promise!.Runtime;

    /// <summary>Registers the caller's continuation.</summary>
    public void UnsafeOnCompleted(Action continuation) => promise!.Continuation = continuation;
}

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

/// <summary>
/// The pooled part of a box: its free-list link, its caller and the runtime it belongs to. A box is
/// rented when its function first suspends and returned when the function returns (or, for the
/// functions an execution left suspended, when the machine resets: <see cref="SimRuntime.Reclaim(Action)"/>).
/// Returning boxes as functions return keeps the few boxes of the current call depth hot and needs
/// no per-execution list of rentals.
/// </summary>
public abstract class Rentable
{
    /// <summary>The next free box of the same type.</summary>
    internal Rentable? NextFree;
    /// <summary>The caller, resumed when the function returns.</summary>
    internal Action? Continuation;
    /// <summary>The runtime this box belongs to.</summary>
    internal SimRuntime Runtime = null!;
    /// <summary>Between rent and recycle; guards against returning a box twice.</summary>
    internal bool Rented;

    /// <summary>Clears the box and returns it to its runtime's free list (once).</summary>
    internal abstract void Recycle();
}

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

/// <summary>
/// An awaiter a kernel port may await: a <see cref="Step"/>, a callee's <see cref="Sim"/>, or
/// <see cref="Halt"/>. The builders require it, so awaiting anything else does not compile.
/// </summary>
public interface ISimAwaiter : ICriticalNotifyCompletion
{
    /// <summary>The runtime whose boxes the suspending port rents.</summary>
    internal SimRuntime Runtime { get; }
}

/// <summary>The box that holds a suspended async state machine; pooled per state-machine type.</summary>
sealed class SimBox<TStateMachine, T> : SimPromise<T> where TStateMachine : IAsyncStateMachine
{
    static readonly int TypeId = SimRuntime.NewTypeId();
    internal TStateMachine StateMachine = default!;
    internal readonly Action MoveNextAction;

    SimBox(SimRuntime runtime)
    {
        Runtime = runtime;
        MoveNextAction = MoveNext;
    }

    void MoveNext() => StateMachine.MoveNext();

    internal static SimBox<TStateMachine, T> Rent(SimRuntime runtime)
    {
        var box = runtime.TakeFree(TypeId) is { } free
            ? Unsafe.As<SimBox<TStateMachine, T>>(free)      // the slot of TypeId holds only this type
            : New(runtime);
        box.Rented = true;
        runtime.BoxesOut++;
        return box;
    }

    static SimBox<TStateMachine, T> New(SimRuntime runtime)
    {
        runtime.BoxesCreated++;
        return new SimBox<TStateMachine, T>(runtime);
    }

    internal override void Recycle()
    {
        if (!Rented)
            return;
        Rented = false;
        Runtime.BoxesOut--;
        StateMachine = default!;
        Result = default!;
        IsCompleted = false;
        Continuation = null;
        Runtime.PutFree(TypeId, this);
    }
}

/// <summary>Async method builder of <see cref="Sim{T}"/>. Runs synchronously; boxes the state machine on first suspension.</summary>
public struct SimBuilder<T>
{
    SimPromise<T>? box;
    T result;

    /// <summary>Creates a builder.</summary>
    public static SimBuilder<T> Create() => default;

    /// <summary>Runs the function until its first suspension.</summary>
    public void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine
        => stateMachine.MoveNext();

    /// <summary>Not used: boxes are created by this builder.</summary>
    public void SetStateMachine(IAsyncStateMachine stateMachine) { }

    /// <summary>Completes the function.</summary>
    public void SetResult(T value)
    {
        if (box is null)
            result = value;
        else
            box.Complete(value);
    }

    /// <summary>
    /// A C# exception inside a kernel port is a bug of the simulator, never a kernel bug (kernel bugs
    /// are reported through the machine's oracles). It propagates straight to the machine's step loop.
    /// </summary>
    public void SetException(Exception exception) => ExceptionDispatchInfo.Throw(exception);

    /// <summary>The function's handle.</summary>
    public Sim<T> Task => new(box, result);

    /// <summary>Suspends on a simulator awaiter.</summary>
    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ISimAwaiter where TStateMachine : IAsyncStateMachine
        => awaiter.OnCompleted(GetBox(ref awaiter, ref stateMachine).MoveNextAction);

    /// <summary>Suspends on a simulator awaiter.</summary>
    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ISimAwaiter where TStateMachine : IAsyncStateMachine
        => awaiter.UnsafeOnCompleted(GetBox(ref awaiter, ref stateMachine).MoveNextAction);

    SimBox<TStateMachine, T> GetBox<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ISimAwaiter where TStateMachine : IAsyncStateMachine
    {
        if (box is SimBox<TStateMachine, T> existing)
            return existing;
        var b = SimBox<TStateMachine, T>.Rent(awaiter.Runtime);
        box = b;                        // set before the copy, so the boxed copy knows its box
        b.StateMachine = stateMachine;
        return b;
    }
}

/// <summary>Async method builder of <see cref="Sim"/>.</summary>
public struct SimBuilder
{
    SimBuilder<Unit> inner;

    /// <summary>Creates a builder.</summary>
    public static SimBuilder Create() => default;

    /// <summary>Runs the function until its first suspension.</summary>
    public void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine
        => stateMachine.MoveNext();

    /// <summary>Not used.</summary>
    public void SetStateMachine(IAsyncStateMachine stateMachine) { }

    /// <summary>Completes the function.</summary>
    public void SetResult() => inner.SetResult(default);

    /// <summary>See <see cref="SimBuilder{T}.SetException"/>.</summary>
    public void SetException(Exception exception) => ExceptionDispatchInfo.Throw(exception);

    /// <summary>The function's handle.</summary>
    public Sim Task => new(inner.Task.PromiseOrNull);

    /// <summary>Suspends on a simulator awaiter.</summary>
    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ISimAwaiter where TStateMachine : IAsyncStateMachine
        => inner.AwaitOnCompleted(ref awaiter, ref stateMachine);

    /// <summary>Suspends on a simulator awaiter.</summary>
    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ISimAwaiter where TStateMachine : IAsyncStateMachine
        => inner.AwaitUnsafeOnCompleted(ref awaiter, ref stateMachine);
}
