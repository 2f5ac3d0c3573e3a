using System.Diagnostics;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using MmFuzz.Search;
using MmFuzz.Schedules;

namespace MmFuzz.Search;

/// <summary>A bug found and minimized: the schedule with the fewest preemptions the minimizer reached, and its trace.</summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="Outcome">The outcome of the minimized schedule.</param>
/// <param name="Steps">The minimized schedule: (CPU index, point kind) per step.</param>
/// <param name="Preemptions">Preemptions in the minimized schedule.</param>
/// <param name="Trace">The column-per-CPU trace.</param>
/// <param name="Seed">Seed of the random execution that first found it.</param>
public sealed record Finding(Scenario Scenario, Outcome Outcome, IReadOnlyList<ScheduleStep> Steps, int Preemptions, string Trace, ulong Seed)
{
    /// <summary>
    /// True when bounded exhaustive search explored every schedule with fewer preemptions without
    /// reproducing the bug kind: no schedule with fewer preemptions shows it.
    /// </summary>
    public bool ProvenMinimal { get; init; }

    /// <summary>One note per step: the CPU's operation and the kernel action the step belongs to (for regression files).</summary>
    public IReadOnlyList<string> StepNotes { get; init; } = [];

    /// <summary>What the minimizer did to reach this schedule; null when it was not minimized (a plain replay).</summary>
    public MinimizeStats? Stats { get; init; }

    /// <summary>What the minimization did, in one line ("minimized from 52 steps / 3 preemption(s) to ..."), or null.</summary>
    public string? Minimized => Stats is { } st
        ? $"minimized from {st.StepsBefore} steps / {st.PreemptionsBefore} preemption(s) to {st.StepsAfter} / {st.PreemptionsAfter}" +
          $"{(ProvenMinimal ? (st.StepsProven ? " (fewest preemptions, then fewest steps: proven by exhaustive search)" : " (fewest preemptions: proven by exhaustive search)") : "")}, {st.ShrinkSteps} shrink steps, {st.Replays} replays"
        : null;

    /// <summary>
    /// This finding as a regression file of <paramref name="variant"/>: the scenario inline, what it
    /// shows, how it was found (<paramref name="foundBy"/>, then the minimization), the upstream fix of
    /// the scenario's family (or "beyond history"), the expected kind and message, and a note per step.
    /// </summary>
    public ScheduleFile ToScheduleFile(Variant variant, string foundBy, IReadOnlySet<BugKind> oraclesOff)
    {
        var family = Catalog.FamilyOf(Scenario);
        bool beyond = Hunter.BeyondHistoryKinds.Contains(Outcome.Kind);
        var minimized = Minimized is { } m ? "; " + m : "";
        return new ScheduleFile(variant.Name, Scenario.Name, Outcome.Kind, Steps, [])
        {
            OraclesOff = oraclesOff,
            Spec = Scenario,
            Shows = $"{BugKinds.Name(Outcome.Kind)} in {variant.Name} ({family}{(beyond ? ", beyond history" : "")}): {Scenario.Description}",
            FoundBy = foundBy + minimized,
            Upstream = beyond ? Hunter.BeyondHistoryUpstream(Outcome.Kind) : variant.UpstreamFor(family),
            Message = Outcome.Message,
            StepNotes = StepNotes,
        };
    }
}
