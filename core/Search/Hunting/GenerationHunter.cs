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
/// (<see cref="Shrinker"/>) and then minimizes its schedule (<see cref="Minimizer.Minimize"/>).
/// Kinds in <see cref="History.BeyondHistoryKinds"/> are shrunk, minimized, recorded once and set aside.
/// </summary>
public static class GenerationHunter
{
    /// <summary>Hunts <paramref name="variant"/>.</summary>
    /// <param name="variant">The kernel state.</param>
    /// <param name="scenarios">Catalog scenarios to schedule (round-robin), or null to generate scenarios too.</param>
    /// <param name="budget">When to give up.</param>
    /// <param name="seed">Seed of the generator.</param>
    /// <param name="ignore">Bug kinds set aside entirely (their oracles off where they can be).</param>
    /// <param name="progress">Called about every 2 s with (executions, findings, elapsed seconds); may be null.</param>
    /// <param name="keepGoing">Run to the budget and record every distinct bug (else stop at the first of a kind history records).</param>
    /// <param name="baseline">Compare each finding with this state; only a bug it does not show stops the hunt.</param>
    public static HuntResult Hunt(Variant variant, IReadOnlyList<Scenario>? scenarios, Budget budget, ulong seed = 1, IReadOnlySet<BugKind>? ignore = null,
        Action<long, int, double>? progress = null, bool keepGoing = false, Variant? baseline = null)
    {
        ignore ??= new HashSet<BugKind>();
        var sims = scenarios?.Select(s => new Simulation(variant, s, ignore)).ToArray();
        using var systems = new SimulationCache(variant, ignore);
        var findings = new HuntFindings(ignore, keepGoing, baseline);
        var recorded = new HashSet<Family>();
        ShrinkReport? shrink = null;
        try
        {
            var run = RunLoop.Run(new Generated(systems, sims, seed, recorded), budget, e =>
            {
                if (findings.IsSetAside(e.Outcome))
                    return false;
                var (finding, report) = ShrinkAndMinimize(variant, e.Case!, e.Outcome.Kind, ignore, structural: sims is null, e.Seed);
                int before = findings.Findings.Count;
                bool stop = findings.Add(finding, e.Outcome, cancel: budget.Cancel);
                if (shrink is null && findings.Findings.Count > before && !History.BeyondHistoryKinds.Contains(finding.Kind))
                    shrink = report;
                // A hunt that goes on past a bug draws less of its family from now on (not scan-vs-free,
                // which nearly every scenario touches): a bug the baseline shows too, or one already
                // recorded, ends a run early and hides whatever else that run would have reached.
                if (!stop && Family.Of(finding.Scenario) is var family && family != Family.ScanVsFree)
                    recorded.Add(family);
                return stop;
            }, progress is null ? null : (n, t) => progress(n, findings.Findings.Count, t));
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

    /// <summary>
    /// Shrinks <paramref name="failing"/> keeping <paramref name="kind"/>, then minimizes the shrunk
    /// schedule to the fewest preemptions (proof by bounded search at one fewer).
    /// </summary>
    /// <param name="variant">The kernel state.</param>
    /// <param name="failing">The failing case.</param>
    /// <param name="kind">Its bug kind.</param>
    /// <param name="ignore">Oracles off.</param>
    /// <param name="structural">Shrink the scenario too (false for catalog scenarios).</param>
    /// <param name="seed">Recorded in the finding (the execution that found it).</param>
    public static (Finding Finding, ShrinkReport Report) ShrinkAndMinimize(Variant variant, ChoiceCase failing, BugKind kind, IReadOnlySet<BugKind> ignore, bool structural, ulong seed)
    {
        var sw = Stopwatch.StartNew();
        double minimizeSeconds = 0;
        var shrunk = Shrinker.Shrink(variant, failing, kind, ignore, structural);
        var t = sw.Elapsed.TotalSeconds;
        var finding = MinimizeSchedule(variant, shrunk.Case, kind, ignore, seed);
        minimizeSeconds += sw.Elapsed.TotalSeconds - t;
        // The minimal schedule has few switches, and a scenario shrinks further under it than under
        // the generated bytes (dropping an operation keeps the switches in place): shrink again from
        // the minimal schedule as bytes while the scenario gets smaller.
        for (int round = 0; structural && round < 3; round++)
        {
            ChoiceCase again;
            using (var world = new Simulation(variant, finding.Scenario, ignore))
            {
                again = new ChoiceCase(finding.Scenario, Shrinker.ToChoices(world, new ReplayStrategy(finding.Steps)));
            }
            var next = Shrinker.Shrink(variant, again, kind, ignore, structural);
            bool smaller = next.Case.Size.Cpus + next.Case.Size.Ops + next.Case.Size.Folios < shrunk.Case.Size.Cpus + shrunk.Case.Size.Ops + shrunk.Case.Size.Folios;
            shrunk = new ShrinkResult(smaller ? next.Case : shrunk.Case, smaller ? next.Outcome : shrunk.Outcome, shrunk.Steps + next.Steps, shrunk.Replays + next.Replays);
            if (!smaller)
                break;
            t = sw.Elapsed.TotalSeconds;
            finding = MinimizeSchedule(variant, next.Case, kind, ignore, seed);
            minimizeSeconds += sw.Elapsed.TotalSeconds - t;
        }
        return (finding, new ShrinkReport(failing, shrunk, sw.Elapsed.TotalSeconds - minimizeSeconds, minimizeSeconds));
    }

    /// <summary>Executions the sleep-set search before <see cref="Minimizer.Minimize"/> may spend per preemption bound.</summary>
    public const long ReducedSearchBudgetPerBound = 100_000;

    /// <summary>
    /// Minimizes the schedule of a (shrunk) failing case: a bounded search with sleep sets at 0, 1, ...
    /// preemptions below the case's own count looks for the kind with fewer preemptions first (cheap
    /// where the plain search is not: v6.10-rc1's 3-preemption race in a 3-CPU scenario takes about
    /// 16,000 executions with sleep sets and about 440,000 without, beyond
    /// <see cref="Minimizer.MinimizeBudgetPerBound"/>); then <see cref="Minimizer.Minimize"/> removes what
    /// switches it can and proves the result minimal by the plain bounded search at fewer preemptions.
    /// </summary>
    public static Finding MinimizeSchedule(Variant variant, ChoiceCase c, BugKind kind, IReadOnlySet<BugKind> ignore, ulong seed)
    {
        using var world = new Simulation(variant, c.Scenario, ignore);
        var o = ChoiceRun.Run(world, c, out _);
        if (!o.IsBug || o.Kind != kind)
            throw new ArgumentException($"the case does not fail with {BugKinds.Name(kind)} under {variant.Name}", nameof(c));
        var choices = world.Machine.Choices.ToArray();
        int preemptions = world.Machine.Preemptions;
        for (int k = 0; k < preemptions; k++)
        {
            var r = ExhaustiveSearch.Explore(world, k, Budget.OfExecutions(ReducedSearchBudgetPerBound), x => x.Kind == kind, reduction: true);
            if (r.Failure is { } fewer)
            {
                choices = fewer.Choices;
                break;
            }
            if (!r.Exhausted)
                break;
        }
        return Minimizer.Minimize(world, choices, kind, seed);
    }
}
