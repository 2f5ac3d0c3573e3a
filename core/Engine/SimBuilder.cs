using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace MmFuzz.Engine;

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
