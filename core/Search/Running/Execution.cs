using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Schedules;

namespace MmFuzz.Search;

/// <summary>One execution a search ran, and what the search needs to act on it.</summary>
/// <param name="Variant">The kernel state.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Sim">The system it ran on, still holding the execution's choices; null when the system was built for this case alone.</param>
/// <param name="Case">The generated case it ran, when it came from a choice buffer.</param>
/// <param name="Seed">The seed that replays it alone (0 when none).</param>
public readonly record struct Execution(Variant Variant, Outcome Outcome, Simulation? Sim, ChoiceCase? Case, ulong Seed)
{
    /// <summary>What ran, for messages: the generated case, or the scenario's name.</summary>
    public string What => Case is { } c ? c.ToString() : Sim?.Scenario.Name ?? "?";
}
