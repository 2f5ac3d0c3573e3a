using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Schedules;

namespace MmFuzz.Search;

/// <summary>
/// A bug found and minimized: the variant and scenario, the schedule with the fewest preemptions the
/// minimizer reached, and how it ends. <c>Reports</c> turns it into a trace, a mail, a page or a
/// regression file.
/// </summary>
/// <param name="Variant">The kernel state.</param>
/// <param name="Scenario">The scenario.</param>
/// <param name="OraclesOff">The oracles that were off.</param>
/// <param name="Outcome">The outcome of the minimized schedule.</param>
/// <param name="Steps">The minimized schedule.</param>
/// <param name="Preemptions">Preemptions in the minimized schedule.</param>
/// <param name="Seed">Seed of the execution that first found it (0 when none).</param>
public sealed record Finding(Variant Variant, Scenario Scenario, IReadOnlySet<BugKind> OraclesOff, Outcome Outcome, Schedule Steps, int Preemptions, ulong Seed) : IFinding
{
    /// <summary>
    /// True when bounded exhaustive search explored every schedule with fewer preemptions without
    /// reproducing the bug kind: no schedule with fewer preemptions shows it.
    /// </summary>
    public bool ProvenMinimal { get; init; }

    /// <summary>What the minimizer did to reach this schedule; null when it was not minimized (a plain replay).</summary>
    public MinimizeStats? Stats { get; init; }

    /// <summary>The bug kind.</summary>
    public BugKind Kind => Outcome.Kind;

    /// <summary>The run <paramref name="sim"/> just made, ending in <paramref name="outcome"/>, as a finding (not minimized).</summary>
    public static Finding Of(Simulation sim, Outcome outcome, ulong seed) =>
        new(sim.Variant, sim.Scenario, sim.OraclesOff, outcome, Schedule.Of(sim.Machine), sim.Machine.Preemptions, seed);

    /// <summary>What the minimization did, in one line ("minimized from 52 steps / 3 preemption(s) to ..."), or null.</summary>
    public string? Minimized => Stats is { } st
        ? $"minimized from {st.StepsBefore} steps / {st.PreemptionsBefore} preemption(s) to {st.StepsAfter} / {st.PreemptionsAfter}" +
          $"{(ProvenMinimal ? (st.StepsProven ? " (fewest preemptions, then fewest steps: proven by exhaustive search)" : " (fewest preemptions: proven by exhaustive search)") : "")}, {st.ShrinkSteps} shrink steps, {st.Replays} replays"
        : null;
}
