using System.Runtime.CompilerServices;

namespace MmFuzz.Engine;

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
