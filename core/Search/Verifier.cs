using System.Diagnostics;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using MmFuzz.Search;

namespace MmFuzz.Search;

/// <summary>Bounded exhaustive search of a variant's scenarios: "no bug up to k preemptions over N executions", or the failing schedule.</summary>
public static class Verifier
{
    /// <summary>Explores every schedule of <paramref name="scenario"/> with at most <paramref name="bound"/> preemptions, or until a bug, the execution budget or the time budget.</summary>
    /// <remarks>With <paramref name="reduction"/>, sleep sets: reorderings of independent steps are explored once, and every trace with a schedule within the bound is still explored (<see cref="ExhaustiveExplorer"/>'s remarks give the argument).</remarks>
    public static VerifyResult Verify(Variant variant, Scenario scenario, int bound, long maxExecutions, double seconds, IReadOnlySet<BugKind> ignore, bool reduction = false)
    {
        var sw = Stopwatch.StartNew();
        using var world = new Simulation(variant, scenario, ignore);
        var r = Explore(world, bound, reduction, maxExecutions,
            o => !ignore.Contains(o.Kind) && !Hunter.BeyondHistoryKinds.Contains(o.Kind), seconds);
        // Minimized once the search is over: the first schedule of each kind beyond history, and the failure.
        var beyond = r.SetAside
            .Where(b => Hunter.BeyondHistoryKinds.Contains(b.Outcome.Kind) && !ignore.Contains(b.Outcome.Kind))
            .Select(b => Hunter.Minimize(world, b.Choices, b.Outcome.Kind, 0))
            .ToList();
        var bug = r.Failure is { } f ? Hunter.Minimize(world, f.Choices, f.Outcome.Kind, 0) : null;
        return new VerifyResult(variant, scenario, bound, bug, beyond, r.Executions, sw.Elapsed.TotalSeconds, r.Exhausted);
    }

    /// <summary>
    /// Explores <paramref name="world"/>'s schedules with at most <paramref name="preemptionBound"/>
    /// preemptions until the space is exhausted, <paramref name="isFailure"/> accepts an outcome, or
    /// <paramref name="maxExecutions"/> executions have run. A simulator exception is thrown, never
    /// reported as a finding.
    /// </summary>
    /// <remarks>The search also stops after <paramref name="seconds"/> of wall time (then it is not exhausted).</remarks>
    public static ExhaustiveResult Explore(Simulation world, int preemptionBound, bool reduction, long maxExecutions, Func<Outcome, bool> isFailure,
        double seconds = double.PositiveInfinity)
    {
        var sw = Stopwatch.StartNew();
        var explorer = new ExhaustiveExplorer(preemptionBound, reduction);
        var setAside = new List<ExploredBug>();
        var seen = new HashSet<BugKind>();
        ExploredBug? failure = null;
        while (!explorer.Exhausted && explorer.Executions < maxExecutions && sw.Elapsed.TotalSeconds < seconds)
        {
            var outcome = world.Run(explorer);
            if (outcome.Verdict == Verdict.HarnessError)
                throw new InvalidOperationException($"{world.Variant.Name} {world.Scenario.Name}: {outcome.Message}");
            if (!outcome.IsBug)
                continue;
            if (isFailure(outcome))
            {
                failure = new ExploredBug(outcome, world.Machine.Choices.ToArray());
                break;
            }
            if (seen.Add(outcome.Kind))
                setAside.Add(new ExploredBug(outcome, world.Machine.Choices.ToArray()));
        }
        return new ExhaustiveResult(failure, setAside, preemptionBound, reduction, explorer.Executions, explorer.SleepBlocked,
            explorer.PrunedBranches, explorer.MaxDepth, sw.Elapsed.TotalSeconds, failure is null && explorer.Exhausted);
    }
}
