using System.Diagnostics;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using MmFuzz.Schedules;

namespace MmFuzz.Search;

/// <summary>
/// The default <c>hunt</c>: generates choice buffers (scenario and schedule, or only the schedule of
/// given catalog scenarios), runs each, and on the first bug of a kind history records shrinks it
/// and minimizes it (<see cref="Shrinker.ShrinkAndMinimize"/>).
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
        var sims = scenarios?.Select(s => new Simulation(variant, s, ignore)).ToArray();
        using var systems = new SimulationCache(variant, ignore);
        var findings = options.NewFindings();
        var recorded = new HashSet<Family>();
        ShrinkReport? shrink = null;
        try
        {
            var run = RunLoop.Run(new Generated(systems, sims, options.Seed, recorded), budget, e =>
            {
                if (findings.IsSetAside(e.Outcome))
                    return false;
                var (finding, report) = Shrinker.ShrinkAndMinimize(variant, e.Case!, e.Outcome.Kind, ignore, structural: sims is null, e.Seed);
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

    /// <summary>
    /// Generated cases: a choice buffer per execution (<see cref="ChoiceBytes"/>), decoded into a
    /// scenario and a schedule, or only a schedule of the given catalog systems (round-robin). The
    /// execution's seed is its number, counted from 1. A scenario that runs a family in
    /// <paramref name="recorded"/> (one whose bug the hunt has recorded and gone past) is drawn again
    /// three times in four: swarm testing's feedback, so the rest of the budget goes mostly elsewhere
    /// while a second bug of that family stays reachable.
    /// </summary>
    sealed class Generated(SimulationCache systems, Simulation[]? sims, ulong seed, IReadOnlySet<Family> recorded) : IExecutionSource
    {
        readonly Random rng = new(unchecked((int)(seed ^ (seed >> 32))));
        long executions;

        public bool Exhausted => false;

        public Execution Next()
        {
            ChoiceCase c;
            Simulation sim;
            if (sims is null)
            {
                do
                    c = ChoiceBytes.DrawCase(rng);
                while (recorded.Count > 0 && Family.Touched(c.Scenario).Any(recorded.Contains) && rng.Next(4) != 0);
                sim = systems.For(c.Scenario);
            }
            else
            {
                sim = sims[executions % sims.Length];
                c = new ChoiceCase(sim.Scenario, ChoiceBytes.Schedule(rng));
            }
            var o = ChoiceRun.Run(sim, c, out _);
            executions++;
            return new Execution(sim.Variant, o, null, c, (ulong)executions);
        }
    }
}
