using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Schedules;
using MmFuzz.Strategies;

namespace MmFuzz.Search;

/// <summary>Where a finding of one kernel state shows, next to a baseline state.</summary>
public enum Presence : byte
{
    /// <summary>The baseline shows the same kind in the same scenario within the same bound.</summary>
    InBoth,
    /// <summary>The baseline does not: the replay diverges or ends otherwise, and bounded search of the scenario exhausts its bound without the kind.</summary>
    OnlyInVariant,
    /// <summary>The baseline did not show it, but its bounded search ran out of budget: probably new, not proven.</summary>
    ProbablyOnlyInVariant,
}

/// <summary>A finding next to a baseline.</summary>
/// <param name="Finding">The finding, of the variant.</param>
/// <param name="Baseline">The baseline state.</param>
/// <param name="Presence">Whether the baseline shows it.</param>
/// <param name="How">How that was decided, in one line.</param>
public sealed record Comparison(Finding Finding, Variant Baseline, Presence Presence, string How)
{
    /// <summary>The row's words: "in both", "only in VARIANT" or "only in VARIANT (not proven)".</summary>
    public string Label => Presence switch
    {
        Presence.InBoth => "in both",
        Presence.OnlyInVariant => $"only in {Finding.Variant.Name}",
        _ => $"only in {Finding.Variant.Name} (not proven)",
    };
}

/// <summary>
/// Differential hunting: what a patch adds, the question a reviewer asks. A finding of the patched
/// state is new only if its scenario does not show the same bug kind on the baseline within the same
/// preemption bound: first its own schedule replayed on the baseline (the same kind: in both), then
/// bounded exhaustive search of the scenario on the baseline at the finding's preemptions, with sleep
/// sets (the kind found: in both; the bound exhausted without it: only in the patched state).
/// </summary>
public static class Differential
{
    /// <summary>Executions the baseline's bounded search may take per finding.</summary>
    public const long SearchBudget = 2_000_000;

    /// <summary>Compares <paramref name="finding"/> with <paramref name="baseline"/>.</summary>
    public static Comparison Compare(Finding finding, Variant baseline, CancellationToken cancel = default)
    {
        using var sim = new Simulation(baseline, finding.Scenario, finding.OraclesOff);
        try
        {
            var replayed = sim.Run(new ReplayStrategy(finding.Steps));
            if (replayed.IsBug && replayed.Kind == finding.Kind)
                return new Comparison(finding, baseline, Presence.InBoth, $"its schedule shows {BugKinds.Name(finding.Kind)} on {baseline.Name} too");
        }
        catch (ReplayDivergedException)
        {
            // The baseline's code takes another path: search.
        }
        int bound = Math.Max(finding.Preemptions, 0);
        var search = Deepening(sim, bound, finding.Kind, cancel);
        if (search.Failure is not null)
            return new Comparison(finding, baseline, Presence.InBoth,
                $"{baseline.Name} shows {BugKinds.Name(finding.Kind)} in the same scenario within {bound} preemption(s) ({search.Executions:N0} executions)");
        return search.Exhausted
            ? new Comparison(finding, baseline, Presence.OnlyInVariant,
                $"{baseline.Name}: no {BugKinds.Name(finding.Kind)} in the same scenario up to {bound} preemption(s), exhausted ({search.Executions:N0} executions)")
            : new Comparison(finding, baseline, Presence.ProbablyOnlyInVariant,
                $"{baseline.Name}: no {BugKinds.Name(finding.Kind)} in the same scenario in {search.Executions:N0} executions up to {bound} preemption(s), not exhausted");
    }

    /// <summary>
    /// Bounded search of <paramref name="sim"/> for <paramref name="kind"/> at 0, 1, ... up to
    /// <paramref name="bound"/> preemptions, within <see cref="SearchBudget"/> executions in all: the
    /// result of the search at <paramref name="bound"/> when it gets there (the same verdict: a
    /// schedule within the bound, or the bound exhausted), and the baseline's own bug found in the
    /// smaller bounds first. A finding the hunt could not minimize below many preemptions would
    /// otherwise spend the whole budget deep in one corner of its bound (a depth-first search) while
    /// the baseline shows the same kind at 2 or 3, and be reported as new.
    /// </summary>
    static ExhaustiveResult Deepening(Simulation sim, int bound, BugKind kind, CancellationToken cancel)
    {
        long spent = 0;
        for (int k = Math.Min(1, bound); ; k++)
        {
            var r = ExhaustiveSearch.Explore(sim, k, Budget.OfExecutions(SearchBudget - spent) with { Cancel = cancel }, o => o.Kind == kind, reduction: true);
            spent += r.Executions;
            if (r.Failure is not null || k >= bound || !r.Exhausted)
                return r with { Executions = spent };
        }
    }
}
