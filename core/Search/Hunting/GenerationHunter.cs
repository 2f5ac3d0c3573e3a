using System.Diagnostics;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using MmFuzz.Schedules;

namespace MmFuzz.Search;

/// <summary>
/// The default <c>hunt</c>: generates choice buffers (scenario and schedule, or only the schedule of
/// given catalog scenarios), runs each, and on the first bug of a kind history records shrinks it
/// and minimizes it (<see cref="Shrinker.ShrinkAndMinimize"/>). Unless told not to
/// (<see cref="HuntOptions.Steer"/>), it steers by interleaving coverage (<see cref="AliasCoverage"/>,
/// <see cref="GeneratedCases"/>): the cases that reach a new order of conflicting accesses are kept
/// and mutated, so the draws do not spread ever thinner as the generator's alphabet grows.
/// Kinds beyond history (<see cref="History.IsBeyondHistory"/>) are shrunk, minimized, recorded once and set aside.
/// </summary>
public static class GenerationHunter
{
    /// <summary>Hunts <paramref name="variant"/>.</summary>
    /// <param name="variant">The kernel state.</param>
    /// <param name="scenarios">Catalog scenarios to schedule (round-robin), or null to generate scenarios too.</param>
    /// <param name="options">Budget; seed of the generator; ignored kinds; progress (executions, findings); keep going; baseline.</param>
    public static HuntResult Hunt(Variant variant, IReadOnlyList<Scenario>? scenarios, HuntOptions options)
    {
        var (budget, ignore) = (options.Budget, options.Ignored);
        var coverage = options.Steer ? new AliasCoverage(new FeatureSet()) : null;
        var sims = scenarios?.Select(s => new Simulation(variant, s, ignore, coverage)).ToArray();
        using var systems = new SimulationCache(variant, ignore, coverage);
        var findings = options.NewFindings();
        var recorded = new HashSet<Family>();
        ShrinkReport? shrink = null;
        try
        {
            var run = RunLoop.Run(new GeneratedCases(systems, sims, options.Seed, recorded, coverage), budget, e =>
            {
                if (findings.IsSetAside(e.Outcome))
                    return false;
                var (finding, report) = Shrinker.ShrinkAndMinimize(variant, e.Case!, e.Outcome.Kind, ignore, structural: sims is null, e.Seed, budget.Cancel);
                if (budget.Cancel.IsCancellationRequested)
                    return true;        // another worker's bug (or Ctrl-C) ended the hunt while this one was being minimized: it goes unrecorded
                int before = findings.Findings.Count;
                bool stop = findings.Add(finding, e.Outcome, cancel: budget.Cancel);
                if (shrink is null && findings.Findings.Count > before && !History.IsBeyondHistory(finding.Variant, finding.Kind))
                    shrink = report;
                // A hunt that goes on past a bug draws less of its family from now on (not scan-vs-free,
                // which nearly every scenario touches): a bug the baseline shows too, or one already
                // recorded, ends a run early and hides whatever else that run would have reached.
                if (!stop && Family.Of(finding.Scenario) is var family && family != Family.ScanVsFree)
                    recorded.Add(family);
                return stop;
            }, options.Progress is null || !options.Slot.IsFirst ? null : (n, t) => options.Report(new HuntProgress(n, t) { Findings = findings.Findings.Count }));
            return findings.Result(variant, run.Executions, run.Seconds, shrink);
        }
        finally
        {
            foreach (var s in sims ?? [])
                s.Dispose();
        }
    }
}
