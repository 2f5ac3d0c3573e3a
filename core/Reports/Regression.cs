using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Schedules;
using MmFuzz.Search;

namespace MmFuzz.Reports;

/// <summary>A finding in the form a regression file keeps it.</summary>
public static class Regression
{
    /// <summary>
    /// <paramref name="finding"/> as a regression file: the scenario inline, what it shows, how it was
    /// found (<paramref name="foundBy"/>, then the minimization), the upstream fix of the scenario's
    /// family (or "beyond history"), the expected kind and message, and a note per step (the
    /// schedule is replayed once for them).
    /// </summary>
    public static ScheduleFile Of(Finding finding, string foundBy)
    {
        var (variant, scenario, outcome) = (finding.Variant, finding.Scenario, finding.Outcome);
        var family = Family.Of(scenario);
        bool beyond = History.IsBeyondHistory(variant, outcome.Kind);
        var minimized = finding.Minimized is { } m ? "; " + m : "";
        return new ScheduleFile(variant.Name, scenario.Name, outcome.Kind, finding.Steps, [])
        {
            OraclesOff = finding.OraclesOff,
            Spec = scenario,
            Shows = $"{BugKinds.Name(outcome.Kind)} in {variant.Name} ({family}{(beyond ? ", beyond history" : "")}): {scenario.Description}",
            FoundBy = foundBy + minimized,
            Upstream = beyond ? History.BeyondHistoryUpstream(outcome.Kind) : History.Of(variant)?.UpstreamFor(family),
            Message = outcome.Message,
            StepNotes = Report.Record(finding).StepNotes,
        };
    }
}
