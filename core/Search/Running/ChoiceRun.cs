using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Schedules;
using MmFuzz.Strategies;

namespace MmFuzz.Search;

/// <summary>
/// The one way from choice bytes to a run: <see cref="ChoiceCase.Decode"/> splits a buffer into a
/// scenario and its schedule's bytes, a <see cref="Simulation"/> is built for the scenario, and
/// <see cref="ChoiceStreamStrategy"/> reads the schedule from the bytes. The fuzz target, triage, the
/// seed corpus, <c>run-input</c>, the FsCheck properties, the shrinker and the generating hunt all run
/// their cases here.
/// </summary>
public static class ChoiceRun
{
    /// <summary>Runs <paramref name="c"/> on <paramref name="sim"/>, which was built (or reloaded) for its scenario.</summary>
    /// <param name="sim">The system.</param>
    /// <param name="c">The case.</param>
    /// <param name="consumed">How many of the schedule's bytes the run read (the rest can go).</param>
    public static Outcome Run(Simulation sim, ChoiceCase c, out int consumed)
    {
        var strategy = new ChoiceStreamStrategy(new ChoiceStream(c.Schedule));
        var outcome = sim.Run(strategy);
        consumed = Math.Min(strategy.Stream.Position, c.Schedule.Length);
        return outcome;
    }

    /// <summary>Runs <paramref name="c"/> once under <paramref name="variant"/> on a system of its own, with the oracles <paramref name="oraclesOff"/> names off.</summary>
    public static Outcome Run(Variant variant, ChoiceCase c, IReadOnlySet<BugKind>? oraclesOff = null)
    {
        using var sim = new Simulation(variant, c.Scenario, oraclesOff);
        return Run(sim, c, out _);
    }

    /// <summary>Runs <paramref name="c"/> once as <see cref="Run(Variant, ChoiceCase, IReadOnlySet{BugKind}?)"/> does, and keeps the run as a finding: its outcome and the schedule it ran.</summary>
    public static Finding Replay(Variant variant, ChoiceCase c, IReadOnlySet<BugKind>? oraclesOff = null)
    {
        using var sim = new Simulation(variant, c.Scenario, oraclesOff);
        return Finding.Of(sim, Run(sim, c, out _), 0);
    }
}
