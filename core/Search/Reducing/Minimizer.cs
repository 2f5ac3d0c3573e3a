using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Schedules;
using MmFuzz.Strategies;

namespace MmFuzz.Search;

/// <summary>
/// Minimizes a failing schedule of one system, keeping its bug kind: the fewest preemptions first
/// (with a proof by bounded exhaustive search below), then the fewest steps.
/// </summary>
public static class Minimizer
{
    /// <summary>Executions the minimizer may spend per preemption bound in its exhaustive search.</summary>
    public const long MinimizeBudgetPerBound = 200_000;

    /// <summary>
    /// Minimizes a failing schedule, keeping its bug kind: fewest preemptions first, then fewest steps.
    /// (1) Greedy removal of context switches while the same kind still fires. (2) Bounded exhaustive
    /// search at 0, 1, ... preemptions below the greedy result (each bound within
    /// <see cref="MinimizeBudgetPerBound"/> executions); when every bound below the result was
    /// exhausted, the preemption count is proven minimal (<see cref="Finding.ProvenMinimal"/>).
    /// (3) Fewest steps at that preemption count (the run ends where the oracle fires, so a shorter run
    /// shows the bug sooner): exhaustive search of that bound, within <see cref="ShortestBudget"/>
    /// executions, for the shortest run of the kind; when it exhausts, the step count is proven minimal
    /// too (<see cref="MinimizeStats.StepsProven"/>). Otherwise local search from the best run found:
    /// each switch point is moved earlier or later, retargeted or dropped, and a candidate is taken
    /// when the same kind fires in fewer steps, within <see cref="ShortenBudget"/> replays (a local
    /// optimum). Deterministic.
    /// </summary>
    /// <param name="world">The system the schedule ran on.</param>
    /// <param name="choices">The failing schedule, the CPU of each step.</param>
    /// <param name="kind">The bug kind to keep.</param>
    /// <param name="seed">Recorded in the finding.</param>
    /// <param name="cancel">Ends every search early (the hunt is over): the result is then the best schedule so far, unproven.</param>
    public static Finding Minimize(Simulation world, byte[] choices, BugKind kind, ulong seed, CancellationToken cancel = default)
    {
        long replays = 0;
        int shrinks = 0;
        Outcome Run(IReadOnlyList<(int, int)> points)
        {
            replays++;
            return world.Run(new SwitchPointStrategy(points));
        }

        var points = SwitchPoints.From(choices);
        var first = Run(points);
        if (!first.IsBug || first.Kind != kind)
            throw new ArgumentException($"{world.Variant.Name} {world.Scenario.Name}: the schedule to minimize does not show {BugKinds.Name(kind)} ({first.Verdict} {BugKinds.Name(first.Kind)})");
        int stepsBefore = world.Machine.Steps, preemptionsBefore = world.Machine.Preemptions;

        points = Greedy(world, points, kind, Run, ref shrinks);
        Run(points);
        int best = world.Machine.Preemptions;
        bool proven = best == 0;
        for (int k = 0; k < best; k++)
        {
            var r = ExhaustiveSearch.Explore(world, k, Budget.OfExecutions(MinimizeBudgetPerBound) with { Cancel = cancel }, o => o.Kind == kind);
            replays += r.Executions;
            if (r.Failure is { } failure)
            {
                points = SwitchPoints.From(failure.Choices);
                shrinks++;
                proven = true;     // every smaller bound was exhausted (or k == 0)
                break;
            }
            if (!r.Exhausted)
                break;             // budget spent: keep the greedy result, unproven
            if (k == best - 1)
                proven = true;
        }
        // Fewest steps at that count: exhaustive search of the bound for the shortest run of the kind
        // (a proof when it exhausts), else local search from the best run found.
        Run(points);
        int bound = world.Machine.Preemptions, steps = world.Machine.Steps;
        byte[]? shortest = null;
        var search = ExhaustiveSearch.Explore(world, bound, Budget.OfExecutions(ShortestBudget) with { Cancel = cancel }, o =>
        {
            if (o.Kind == kind && o.Step < steps && world.Machine.Preemptions <= bound)
            {
                steps = o.Step;
                shortest = world.Machine.Choices.ToArray();
            }
            return false;
        });
        replays += search.Executions;
        if (shortest is not null)
        {
            points = SwitchPoints.From(shortest);
            shrinks++;
        }
        bool stepsProven = search.Exhausted;
        if (!stepsProven)
            points = Shorten(world, points, kind, Run, ref shrinks, ref replays, cancel);
        var finding = Replay(world, new SwitchPointStrategy(points), seed);
        replays++;
        return finding with
        {
            ProvenMinimal = proven,
            Stats = new MinimizeStats(stepsBefore, preemptionsBefore, finding.Steps.Count, finding.Preemptions, shrinks, replays, stepsProven),
        };
    }

    /// <summary>Executions the sleep-set search before <see cref="Minimize"/> may spend per preemption bound.</summary>
    public const long ReducedSearchBudgetPerBound = 100_000;

    /// <summary>
    /// Minimizes the schedule of a (shrunk) failing case: a bounded search with sleep sets at 0, 1, ...
    /// preemptions below the case's own count looks for the kind with fewer preemptions first (cheap
    /// where the plain search is not: v6.10-rc1's 3-preemption race in a 3-CPU scenario takes about
    /// 16,000 executions with sleep sets and about 440,000 without, beyond
    /// <see cref="MinimizeBudgetPerBound"/>); then <see cref="Minimize"/> removes what
    /// switches it can and proves the result minimal by the plain bounded search at fewer preemptions.
    /// </summary>
    /// <param name="variant">The kernel state.</param>
    /// <param name="c">The failing case.</param>
    /// <param name="kind">Its bug kind.</param>
    /// <param name="ignore">Oracles off.</param>
    /// <param name="seed">Recorded in the finding.</param>
    /// <param name="cancel">Ends every search early, as in <see cref="Minimize"/>.</param>
    public static Finding MinimizeCase(Variant variant, ChoiceCase c, BugKind kind, IReadOnlySet<BugKind> ignore, ulong seed, CancellationToken cancel = default)
    {
        using var world = new Simulation(variant, c.Scenario, ignore);
        var o = ChoiceRun.Run(world, c, out _);
        if (!o.IsBug || o.Kind != kind)
            throw new ArgumentException($"the case does not fail with {BugKinds.Name(kind)} under {variant.Name}", nameof(c));
        var choices = world.Machine.Choices.ToArray();
        int preemptions = world.Machine.Preemptions;
        for (int k = 0; k < preemptions; k++)
        {
            var r = ExhaustiveSearch.Explore(world, k, Budget.OfExecutions(ReducedSearchBudgetPerBound) with { Cancel = cancel }, x => x.Kind == kind, reduction: true);
            if (r.Failure is { } fewer)
            {
                choices = fewer.Choices;
                break;
            }
            if (!r.Exhausted)
                break;
        }
        return Minimize(world, choices, kind, seed, cancel);
    }

    /// <summary>Executions the search for the shortest run at the fewest preemptions may spend (beyond it: local search).</summary>
    public const long ShortestBudget = 20_000;

    /// <summary>Replays the shortening local search of <see cref="Minimize"/> may spend.</summary>
    public const long ShortenBudget = 50_000;

    static List<(int, int)> Greedy(Simulation world, List<(int, int)> points, BugKind kind, Func<IReadOnlyList<(int, int)>, Outcome> run, ref int shrinks)
    {
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int k = points.Count - 1; k >= 1; k--)
            {
                var candidate = new List<(int, int)>(points);
                candidate.RemoveAt(k);
                var o = run(candidate);
                if (!o.IsBug || o.Kind != kind)
                    continue;
                var shorter = SwitchPoints.From(world.Machine.Choices);
                if (shorter.Count >= points.Count)
                    continue;       // removing a forced switch changes nothing
                points = shorter;
                shrinks++;
                changed = true;
                break;
            }
        }
        return points;
    }

    /// <summary>
    /// Hill climbing on the run's length at no more preemptions: the first neighbour (in a fixed
    /// order) whose run shows <paramref name="kind"/> in fewer steps is taken, until none does or the
    /// budget is spent. Neighbours of a switch point: dropped; moved by ±1, ±2, ±4, ... steps between
    /// its neighbours; switched to another CPU (the first point, which picks the CPU that starts, too).
    /// </summary>
    static List<(int Step, int Cpu)> Shorten(Simulation world, List<(int Step, int Cpu)> points, BugKind kind,
        Func<IReadOnlyList<(int, int)>, Outcome> run, ref int shrinks, ref long replays, CancellationToken cancel)
    {
        run(points);
        int steps = world.Machine.Steps, preemptions = world.Machine.Preemptions, cpus = world.Scenario.Cpus.Length;
        long budget = replays + ShortenBudget;
        bool improved = true;
        while (improved && replays < budget && !cancel.IsCancellationRequested)
        {
            improved = false;
            foreach (var candidate in Neighbours(points, cpus, steps))
            {
                if (replays >= budget)
                    break;
                var o = run(candidate);
                var m = world.Machine;
                if (!o.IsBug || o.Kind != kind || m.Preemptions > preemptions || m.Steps >= steps)
                    continue;
                points = SwitchPoints.From(m.Choices);
                steps = m.Steps;
                preemptions = m.Preemptions;
                shrinks++;
                improved = true;
                break;
            }
        }
        return points;
    }

    static IEnumerable<List<(int Step, int Cpu)>> Neighbours(List<(int Step, int Cpu)> points, int cpus, int steps)
    {
        for (int i = points.Count - 1; i >= 0; i--)
        {
            var (step, cpu) = points[i];
            if (i > 0)
            {
                var dropped = new List<(int, int)>(points);
                dropped.RemoveAt(i);
                yield return dropped;
                int low = points[i - 1].Step, high = i + 1 < points.Count ? points[i + 1].Step : steps;
                for (int d = 1; d < steps; d *= 2)
                    foreach (var to in new[] { step - d, step + d })
                        if (to > low && to < high)
                        {
                            var moved = new List<(int, int)>(points);
                            moved[i] = (to, cpu);
                            yield return moved;
                        }
            }
            for (int c = 0; c < cpus; c++)
                if (c != cpu)
                {
                    var retargeted = new List<(int, int)>(points);
                    retargeted[i] = (step, c);
                    yield return retargeted;
                }
        }
    }

    /// <summary>The most preemptions <see cref="RunRecorded"/> searches for a recorded kind again.</summary>
    public const int RefindPreemptions = 3;

    /// <summary>Executions <see cref="RunRecorded"/>'s search may take per preemption bound.</summary>
    public const long RefindBudgetPerBound = 5_000_000;

    /// <summary>
    /// Runs a recorded schedule again on <paramref name="world"/>, not strictly: a recorded prefix (a
    /// converted crash) continues without preemptions, and a bug that fires before the recording ends
    /// still fails it. When the ports changed under the recording and the replay diverges,
    /// <paramref name="refind"/> keeps the scenario and the kind and finds the schedule again: bounded
    /// exhaustive search with sleep sets for <paramref name="expect"/> at 0 to <see cref="RefindPreemptions"/>
    /// preemptions, whose first failing schedule is then run. The machine is left holding the run's choices.
    /// </summary>
    public static RecordedRun RunRecorded(Simulation world, IReadOnlyList<ScheduleStep> steps, BugKind expect, bool refind)
    {
        try
        {
            return new RecordedRun(world.Run(new ReplayStrategy(steps, strict: false)), null);
        }
        catch (ReplayDivergedException e)
        {
            byte[]? found = null;
            for (int bound = 0; refind && bound <= RefindPreemptions && found is null; bound++)
                found = ExhaustiveSearch.Explore(world, bound, Budget.OfExecutions(RefindBudgetPerBound), o => o.Kind == expect, reduction: true).Failure?.Choices;
            return new RecordedRun(found is null ? null : world.Run(new SwitchPointStrategy(SwitchPoints.From(found))), e.Message);
        }
    }

    /// <summary>Runs <paramref name="strategy"/> once on <paramref name="world"/> and packages the schedule it ran as a finding.</summary>
    public static Finding Replay(Simulation world, ISchedulingStrategy strategy, ulong seed) => Finding.Of(world, world.Run(strategy), seed);
}
