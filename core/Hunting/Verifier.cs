using System.Diagnostics;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;

namespace MmFuzz.Hunting;

/// <summary>The result of bounded exhaustive search of one scenario.</summary>
/// <param name="Variant">The variant.</param>
/// <param name="Scenario">The scenario.</param>
/// <param name="PreemptionBound">The bound.</param>
/// <param name="Bug">The first finding of a kind history records, minimized; null when none.</param>
/// <param name="BeyondHistory">Findings of kinds history does not record (one per kind).</param>
/// <param name="Executions">Executions explored.</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="Exhausted">Whether every schedule within the bound was explored (a proof, within the bound, when no bug was found).</param>
public sealed record VerifyResult(Variant Variant, Scenario Scenario, int PreemptionBound, Finding? Bug, IReadOnlyList<Finding> BeyondHistory,
    long Executions, double Seconds, bool Exhausted);

/// <summary>A schedule that made an oracle fire during a bounded exhaustive search.</summary>
/// <param name="Outcome">What fired.</param>
/// <param name="Choices">The CPU index chosen at each step.</param>
public sealed record ExploredBug(Outcome Outcome, byte[] Choices);

/// <summary>The result of a bounded exhaustive search of one scenario.</summary>
/// <param name="Failure">The first schedule judged a failure; null when none.</param>
/// <param name="SetAside">The first schedule of each other bug kind seen (judged not a failure), in the order found.</param>
/// <param name="PreemptionBound">k: schedules with at most k preemptions.</param>
/// <param name="Reduction">Whether sleep-set reduction was on.</param>
/// <param name="Executions">Executions run, abandoned ones included.</param>
/// <param name="SleepBlocked">Executions abandoned because every CPU allowed to run was asleep.</param>
/// <param name="PrunedBranches">Branches not taken because their CPU was asleep.</param>
/// <param name="MaxDepth">Steps of the longest execution.</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="Exhausted">True when the whole bounded space was covered (no failure stopped the search, no budget ran out).</param>
public sealed record ExhaustiveResult(ExploredBug? Failure, IReadOnlyList<ExploredBug> SetAside, int PreemptionBound, bool Reduction,
    long Executions, long SleepBlocked, long PrunedBranches, int MaxDepth, double Seconds, bool Exhausted);

/// <summary>Bounded exhaustive search of a variant's scenarios: "no bug up to k preemptions over N executions", or the failing schedule.</summary>
public static class Verifier
{
    /// <summary>Explores every schedule of <paramref name="scenario"/> with at most <paramref name="bound"/> preemptions, or until a bug, the execution budget or the time budget.</summary>
    /// <remarks>With <paramref name="reduction"/>, <see cref="ExhaustiveExplorer"/> with sleep sets: reorderings of independent steps are explored once, and every trace with a schedule within the bound is still explored (its remarks give the argument).</remarks>
    public static VerifyResult Verify(Variant variant, Scenario scenario, int bound, long maxExecutions, double seconds, IReadOnlySet<BugKind> ignore, bool reduction = false)
    {
        var sw = Stopwatch.StartNew();
        using var world = new World(variant, scenario);
        world.Machine.Suppressed = ignore;
        // Plain preemption-bounded search, or the explorer with sleep sets (sound under the bound: see ExhaustiveExplorer).
        var plain = reduction ? null : new BoundedSearch(bound);
        var explorer = reduction ? new ExhaustiveExplorer(bound, reduction: true) : null;
        ISchedulingStrategy search = (ISchedulingStrategy?)plain ?? explorer!;
        long Executions() => plain?.Executions ?? explorer!.Executions;
        bool Exhausted() => plain?.Exhausted ?? explorer!.Exhausted;
        bool Next() => plain is not null ? plain.Advance() : !explorer!.Exhausted;
        var setAside = new HashSet<BugKind>(ignore);
        var beyond = new List<Finding>();
        do
        {
            var o = world.Run(search);
            if (o.Verdict == Verdict.HarnessError)
                throw new InvalidOperationException($"{variant.Name} {scenario.Name}: {o.Message}");
            if (!o.IsBug || setAside.Contains(o.Kind))
                continue;
            var choices = world.Machine.Choices.ToArray();
            var kind = o.Kind;
            // Minimizing re-runs the world: the search's position is kept by replaying its prefix on the next run.
            var finding = Hunter.Minimize(world, choices, kind, 0);
            if (Hunter.BeyondHistoryKinds.Contains(kind))
            {
                beyond.Add(finding);
                setAside.Add(kind);
                continue;
            }
            return new VerifyResult(variant, scenario, bound, finding, beyond, Executions(), sw.Elapsed.TotalSeconds, false);
        }
        while (Executions() < maxExecutions && sw.Elapsed.TotalSeconds < seconds && Next());
        return new VerifyResult(variant, scenario, bound, null, beyond, Executions(), sw.Elapsed.TotalSeconds, Exhausted());
    }

    /// <summary>
    /// Explores <paramref name="world"/>'s schedules with at most <paramref name="preemptionBound"/>
    /// preemptions until the space is exhausted, <paramref name="isFailure"/> accepts an outcome, or
    /// <paramref name="maxExecutions"/> executions have run. A simulator exception is thrown, never
    /// reported as a finding.
    /// </summary>
    public static ExhaustiveResult Explore(World world, int preemptionBound, bool reduction, long maxExecutions, Func<Outcome, bool> isFailure)
    {
        var sw = Stopwatch.StartNew();
        var explorer = new ExhaustiveExplorer(preemptionBound, reduction);
        var setAside = new List<ExploredBug>();
        var seen = new HashSet<BugKind>();
        ExploredBug? failure = null;
        while (!explorer.Exhausted && explorer.Executions < maxExecutions)
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
