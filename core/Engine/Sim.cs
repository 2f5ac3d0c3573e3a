using System.Runtime.CompilerServices;

namespace MmFuzz.Engine;

// The execution model. Kernel ports are C# async methods returning Sim / Sim<T>. Every shared
// memory access is an `await` on a Step (Sim/Step.cs): the access is announced to the machine, the
// port suspends, and the machine performs the access when the scheduler picks that CPU, then
// resumes the port until its next announcement. No threads, no thread pool, no
// SynchronizationContext: a suspended port is a state machine in a pooled box, resumed by a direct
// delegate call from the machine's step loop. Boxes are rented from per-type free lists when a
// function first suspends and returned when it returns (those an execution leaves suspended, when
// the machine resets), so a steady-state execution allocates nothing.
// (Measured against C# iterators and hand-written frames: see `mmfuzz bench` and docs/SPEED.md.)

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
