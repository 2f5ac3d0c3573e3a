using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace MmFuzz.Engine;

// The execution model. Kernel ports are C# async methods returning Sim / Sim<T>. Every shared
// memory access is an `await` on a Step (Sim/Step.cs): the access is announced to the machine, the
// port suspends, and the machine performs the access when the scheduler picks that CPU, then
// resumes the port until its next announcement. No threads, no thread pool, no
// SynchronizationContext: a suspended port is a state machine in a pooled box, resumed by a direct
// delegate call from the machine's step loop. Boxes are rented from per-type free lists and
// returned all at once when the execution is reset, so a steady-state execution allocates nothing.
// (Measured against C# iterators and hand-written frames: see `mmfuzz bench` and the README.)

/// <summary>A resumable kernel function with no result (the simulated analogue of a C <c>void</c> function).</summary>
[AsyncMethodBuilder(typeof(SimBuilder))]
public readonly struct Sim
{
    readonly SimPromise<Unit>? promise;

    internal Sim(SimPromise<Unit>? promise) => this.promise = promise;

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
public readonly struct SimAwaiter<T> : ICriticalNotifyCompletion
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

    /// <summary>Registers the caller's continuation.</summary>
    public void UnsafeOnCompleted(Action continuation) => promise!.Continuation = continuation;
}

/// <summary>Result cell and continuation of a suspended kernel function.</summary>
public abstract class SimPromise<T> : Rentable
{
    /// <summary>Set when the function returns.</summary>
    internal bool IsCompleted;
    /// <summary>The function's result.</summary>
    internal T Result = default!;
    /// <summary>The caller, resumed when the function returns.</summary>
    internal Action? Continuation;

    internal void Complete(T result)
    {
        Result = result;
        IsCompleted = true;
        var k = Continuation;
        if (k is not null)
        {
            Continuation = null;
            k();
        }
    }
}

/// <summary>
/// A pooled object rented during an execution and returned to its free list when the execution is
/// reset. The rented ones form an intrusive chain (<see cref="NextRented"/>), so tracking a rental
/// is one field store: no array covariance check, no interface dispatch.
/// </summary>
public abstract class Rentable
{
    /// <summary>The object rented before this one in the current execution.</summary>
    internal Rentable? NextRented;

    /// <summary>Clears the object and returns it to its free list.</summary>
    public abstract void Recycle();
}

/// <summary>
/// Tracks the boxes rented during the current execution on this thread, so that
/// <see cref="RecycleAll"/> can return them all when the execution is reset (whether the functions
/// completed or were abandoned because a bug stopped the execution).
/// </summary>
public static class SimRuntime
{
    [ThreadStatic] static Rentable? rented;

    internal static void Track(Rentable box)
    {
        box.NextRented = rented;
        rented = box;
    }

    /// <summary>Returns every box rented on this thread since the last call.</summary>
    public static void RecycleAll()
    {
        var box = rented;
        rented = null;
        while (box is not null)
        {
            var next = box.NextRented;
            box.NextRented = null;
            box.Recycle();
            box = next;
        }
    }
}

/// <summary>The box that holds a suspended async state machine; pooled per state-machine type.</summary>
sealed class SimBox<TStateMachine, T> : SimPromise<T> where TStateMachine : IAsyncStateMachine
{
    [ThreadStatic] static SimBox<TStateMachine, T>? free;
    SimBox<TStateMachine, T>? nextFree;
    internal TStateMachine StateMachine = default!;
    internal readonly Action MoveNextAction;

    SimBox() => MoveNextAction = MoveNext;

    void MoveNext() => StateMachine.MoveNext();

    internal static SimBox<TStateMachine, T> Rent()
    {
        var box = free;
        if (box is not null)
        {
            free = box.nextFree;
            box.nextFree = null;
        }
        else
        {
            box = new SimBox<TStateMachine, T>();
        }
        SimRuntime.Track(box);
        return box;
    }

    public override void Recycle()
    {
        StateMachine = default!;
        Result = default!;
        IsCompleted = false;
        Continuation = null;
        nextFree = free;
        free = this;
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
        where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine
        => awaiter.OnCompleted(GetBox(ref stateMachine).MoveNextAction);

    /// <summary>Suspends on a simulator awaiter.</summary>
    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine
        => awaiter.UnsafeOnCompleted(GetBox(ref stateMachine).MoveNextAction);

    SimBox<TStateMachine, T> GetBox<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine
    {
        if (box is SimBox<TStateMachine, T> existing)
            return existing;
        var b = SimBox<TStateMachine, T>.Rent();
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
        where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine
        => inner.AwaitOnCompleted(ref awaiter, ref stateMachine);

    /// <summary>Suspends on a simulator awaiter.</summary>
    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine
        => inner.AwaitUnsafeOnCompleted(ref awaiter, ref stateMachine);
}
