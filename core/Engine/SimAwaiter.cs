using System.Runtime.CompilerServices;

namespace MmFuzz.Engine;

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
