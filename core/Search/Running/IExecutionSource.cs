namespace MmFuzz.Search;

/// <summary>Where the <see cref="RunLoop"/> takes its executions from: each <see cref="Next"/> runs one.</summary>
public interface IExecutionSource
{
    /// <summary>True when a systematic source has nothing left to run; a random source never runs out.</summary>
    bool Exhausted { get; }

    /// <summary>Runs the next execution.</summary>
    Execution Next();
}
