using System.Diagnostics;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using MmFuzz.Trace;

namespace MmFuzz.Hunting;

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
}

/// <summary>The result of hunting one variant.</summary>
/// <param name="Variant">The variant.</param>
/// <param name="Bug">The first bug of a kind history records (or not set aside), minimized; null when none.</param>
/// <param name="BeyondHistory">Findings of kinds history does not record (the lost-race write-after-free).</param>
/// <param name="Executions">Executions run.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record HuntResult(Variant Variant, Finding? Bug, IReadOnlyList<Finding> BeyondHistory, long Executions, double Seconds);

/// <summary>
/// Runs seeded random executions over a variant's scenarios until a bug is found or the budget is
/// spent, then minimizes the failing schedule (fewest preemptions) and renders its trace.
/// </summary>
public static class Hunter
{
    /// <summary>Bug kinds that no fix in history addresses: recorded once as findings, then set aside so the hunt goes on.</summary>
    /// <remarks>
    /// Data races are here too: history records no KCSAN report for these states, and the one the
    /// faithful ports show in every state is the safe iteration's last read of the local list head's
    /// <c>next</c> (its value discarded) while another CPU unlinks the last folio under the lock.
    /// </remarks>
    public static readonly IReadOnlySet<BugKind> BeyondHistoryKinds = new HashSet<BugKind> { BugKind.LostRaceWriteAfterFree, BugKind.DataRace };

    /// <summary>Hunts <paramref name="variant"/> over <paramref name="scenarios"/>.</summary>
    /// <param name="variant">The kernel state.</param>
    /// <param name="scenarios">Scenarios, visited round-robin, one execution each per round.</param>
    /// <param name="seed">Seed of the random walk.</param>
    /// <param name="seconds">Wall-clock budget.</param>
    /// <param name="maxExecutions">Execution budget (whichever ends first).</param>
    /// <param name="ignore">Bug kinds to set aside entirely.</param>
    public static HuntResult Hunt(Variant variant, IReadOnlyList<Scenario> scenarios, ulong seed, double seconds, long maxExecutions, IReadOnlySet<BugKind> ignore) =>
        Hunt(variant, scenarios, seed, seconds, maxExecutions, ignore, s => new RandomStrategy(s));

    /// <summary>Hunts with the strategy <paramref name="strategyFor"/> makes from each scenario's seed (random walk or PCT).</summary>
    public static HuntResult Hunt(Variant variant, IReadOnlyList<Scenario> scenarios, ulong seed, double seconds, long maxExecutions, IReadOnlySet<BugKind> ignore,
        Func<ulong, ISchedulingStrategy> strategyFor)
    {
        var sw = Stopwatch.StartNew();
        var worlds = scenarios.Select(s => new World(variant, s)).ToArray();
        foreach (var w in worlds)
            w.Machine.Suppressed = ignore;
        try
        {
            var strategies = worlds.Select((_, i) => strategyFor(seed + (ulong)i * 0x9E3779B97F4A7C15UL)).ToArray();
            var setAside = new HashSet<BugKind>(ignore);
            var beyond = new List<Finding>();
            long executions = 0;
            while (executions < maxExecutions && sw.Elapsed.TotalSeconds < seconds)
            {
                for (int i = 0; i < worlds.Length && executions < maxExecutions; i++)
                {
                    var outcome = worlds[i].Run(strategies[i]);
                    executions++;
                    if (outcome.Verdict == Verdict.HarnessError)
                        throw new InvalidOperationException($"{variant.Name} {scenarios[i].Name}: {outcome.Message}");
                    if (!outcome.IsBug || setAside.Contains(outcome.Kind))
                        continue;
                    var finding = Minimize(worlds[i], worlds[i].Machine.Choices.ToArray(), outcome.Kind, ExecutionSeedOf(strategies[i]));
                    if (BeyondHistoryKinds.Contains(outcome.Kind))
                    {
                        beyond.Add(finding);
                        setAside.Add(outcome.Kind);
                        continue;
                    }
                    return new HuntResult(variant, finding, beyond, executions, sw.Elapsed.TotalSeconds);
                }
            }
            return new HuntResult(variant, null, beyond, executions, sw.Elapsed.TotalSeconds);
        }
        finally
        {
            foreach (var w in worlds)
                w.Dispose();
        }
    }

    static ulong ExecutionSeedOf(ISchedulingStrategy s) => s switch
    {
        RandomStrategy r => r.ExecutionSeed,
        PctStrategy p => p.ExecutionSeed,
        _ => 0,
    };

    /// <summary>Executions the minimizer may spend per preemption bound in its exhaustive search.</summary>
    public const long MinimizeBudgetPerBound = 200_000;

    /// <summary>
    /// Minimizes a failing schedule to the fewest preemptions: first greedily removes context switches
    /// while the same bug kind still fires; then bounded exhaustive search at 0, 1, ... preemptions
    /// (each bound within <see cref="MinimizeBudgetPerBound"/> executions) looks for the same kind with
    /// fewer. When every bound below the result was exhausted, the result is proven minimal.
    /// </summary>
    public static Finding Minimize(World world, byte[] choices, BugKind kind, ulong seed)
    {
        var points = Greedy(world, SwitchPoints.From(choices), kind);
        world.Run(new SwitchPointStrategy(points));
        int bestPreemptions = world.Machine.Preemptions;
        ISchedulingStrategy winner = new SwitchPointStrategy(points);
        bool proven = bestPreemptions == 0;
        for (int k = 0; k < bestPreemptions; k++)
        {
            var r = Verifier.Explore(world, k, reduction: false, MinimizeBudgetPerBound, o => o.Kind == kind);
            if (r.Failure is { } failure)
            {
                winner = new SwitchPointStrategy(SwitchPoints.From(failure.Choices));
                proven = true;     // every smaller bound was exhausted (or k == 0)
                break;
            }
            if (!r.Exhausted)
                break;             // budget spent: keep the greedy result, unproven
            if (k == bestPreemptions - 1)
                proven = true;
        }
        return Render(world, winner, seed) with { ProvenMinimal = proven };
    }

    static List<(int, int)> Greedy(World world, List<(int, int)> points, BugKind kind)
    {
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int k = points.Count - 1; k >= 1; k--)
            {
                var candidate = new List<(int, int)>(points);
                candidate.RemoveAt(k);
                var o = world.Run(new SwitchPointStrategy(candidate));
                if (!o.IsBug || o.Kind != kind)
                    continue;
                var shorter = SwitchPoints.From(world.Machine.Choices);
                if (shorter.Count >= points.Count)
                    continue;       // removing a forced switch changes nothing
                points = shorter;
                changed = true;
                break;
            }
        }
        return points;
    }

    static ScheduleStep[] Recorded(Machine m)
    {
        var steps = new ScheduleStep[m.Steps];
        for (int i = 0; i < steps.Length; i++)
            steps[i] = new ScheduleStep(m.Choices[i], m.Ops[i]);
        return steps;
    }

    /// <summary>Runs <paramref name="strategy"/> once with the trace recorder and packages the result.</summary>
    public static Finding Render(World world, ISchedulingStrategy strategy, ulong seed)
    {
        var recorder = new TraceRecorder(world);
        world.Machine.Observer = recorder;
        Outcome outcome;
        try
        {
            outcome = world.Run(strategy);
        }
        finally
        {
            world.Machine.Observer = null;
        }
        var m = world.Machine;
        return new Finding(world.Scenario, outcome, Recorded(m), m.Preemptions, TraceFormatter.Format(world, recorder.Events, outcome), seed);
    }
}
