using System.Diagnostics;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using MmFuzz.Search;
using MmFuzz.Schedules;
using MmFuzz.Reports;

namespace MmFuzz.Search;

/// <summary>
/// The default <c>hunt</c>: generates choice buffers (scenario and schedule, or only the schedule of
/// given catalog scenarios), runs each, and on the first bug of a kind history records shrinks it
/// (<see cref="Shrinker"/>) and then minimizes its schedule (<see cref="Hunter.Minimize"/>).
/// Kinds in <see cref="Hunter.BeyondHistoryKinds"/> are shrunk, minimized, recorded once and set aside.
/// </summary>
public static class GenerationHunter
{
    /// <summary>Hunts <paramref name="variant"/>.</summary>
    /// <param name="variant">The kernel state.</param>
    /// <param name="scenarios">Catalog scenarios to schedule (round-robin), or null to generate scenarios too.</param>
    /// <param name="seed">Seed of the generator.</param>
    /// <param name="seconds">Wall-clock budget.</param>
    /// <param name="maxExecutions">Execution budget.</param>
    /// <param name="ignore">Bug kinds set aside entirely (their oracles off).</param>
    /// <param name="progress">Called about every 2 s with (executions, findings, elapsed seconds); may be null.</param>
    public static GeneratedHunt Hunt(Variant variant, IReadOnlyList<Scenario>? scenarios, ulong seed, double seconds, long maxExecutions,
        IReadOnlySet<BugKind> ignore, Action<long, int, double>? progress = null)
    {
        var sw = Stopwatch.StartNew();
        var rng = new Random(unchecked((int)(seed ^ (seed >> 32))));
        var worlds = scenarios?.Select(s => new Simulation(variant, s, ignore)).ToArray();
        var setAside = new HashSet<BugKind>(ignore);
        var beyond = new List<Finding>();
        long executions = 0;
        double lastReport = 0;
        try
        {
            while (executions < maxExecutions && sw.Elapsed.TotalSeconds < seconds)
            {
                var data = ChoiceBytes.Draw(rng);
                ChoiceCase c;
                Outcome o;
                if (worlds is null)
                {
                    c = ChoiceCase.Decode(data);
                    o = Shrinker.Run(variant, c, ignore);
                }
                else
                {
                    var world = worlds[executions % worlds.Length];
                    c = new ChoiceCase(world.Scenario, data);
                    o = Shrinker.Run(world, c, out _);
                }
                executions++;
                if (progress is not null && sw.Elapsed.TotalSeconds - lastReport >= 2)
                {
                    lastReport = sw.Elapsed.TotalSeconds;
                    progress(executions, beyond.Count, lastReport);
                }
                if (o.Verdict == Verdict.HarnessError)
                    throw new InvalidOperationException($"{variant.Name} {c}: {o.Message}");
                if (!o.IsBug || setAside.Contains(o.Kind))
                    continue;
                var (finding, report) = ShrinkAndMinimize(variant, c, o.Kind, ignore, structural: worlds is null, (ulong)executions);
                if (Hunter.BeyondHistoryKinds.Contains(o.Kind))
                {
                    beyond.Add(finding);
                    setAside.Add(o.Kind);
                    continue;
                }
                return new GeneratedHunt(new HuntResult(variant, finding, beyond, executions, sw.Elapsed.TotalSeconds), report);
            }
            return new GeneratedHunt(new HuntResult(variant, null, beyond, executions, sw.Elapsed.TotalSeconds), null);
        }
        finally
        {
            foreach (var w in worlds ?? [])
                w.Dispose();
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

    /// <summary>Executions the sleep-set search before <see cref="Hunter.Minimize"/> may spend per preemption bound.</summary>
    public const long ReducedSearchBudgetPerBound = 100_000;

    /// <summary>
    /// Minimizes the schedule of a (shrunk) failing case: a bounded search with sleep sets at 0, 1, ...
    /// preemptions below the case's own count looks for the kind with fewer preemptions first (cheap
    /// where the plain search is not: v6.10-rc1's 3-preemption race in a 3-CPU scenario takes about
    /// 16,000 executions with sleep sets and about 440,000 without, beyond
    /// <see cref="Hunter.MinimizeBudgetPerBound"/>); then <see cref="Hunter.Minimize"/> removes what
    /// switches it can and proves the result minimal by the plain bounded search at fewer preemptions.
    /// </summary>
    public static Finding MinimizeSchedule(Variant variant, ChoiceCase c, BugKind kind, IReadOnlySet<BugKind> ignore, ulong seed)
    {
        using var world = new Simulation(variant, c.Scenario, ignore);
        var o = Shrinker.Run(world, c, out _);
        if (!o.IsBug || o.Kind != kind)
            throw new ArgumentException($"the case does not fail with {BugKinds.Name(kind)} under {variant.Name}", nameof(c));
        var choices = world.Machine.Choices.ToArray();
        int preemptions = world.Machine.Preemptions;
        for (int k = 0; k < preemptions; k++)
        {
            var r = Verifier.Explore(world, k, reduction: true, ReducedSearchBudgetPerBound, x => x.Kind == kind);
            if (r.Failure is { } fewer)
            {
                choices = fewer.Choices;
                break;
            }
            if (!r.Exhausted)
                break;
        }
        return Hunter.Minimize(world, choices, kind, seed);
    }
}
