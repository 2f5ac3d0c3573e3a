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

/// <summary>Bounded exhaustive search of a variant's scenarios: "no bug up to k preemptions over N executions", or the failing schedule.</summary>
public static class Verifier
{
    /// <summary>Explores every schedule of <paramref name="scenario"/> with at most <paramref name="bound"/> preemptions, or until a bug, the execution budget or the time budget.</summary>
    /// <remarks>With <paramref name="reduction"/>, sleep sets prune reorderings of independent steps (incomplete under a bound: see <see cref="BoundedSearch"/>).</remarks>
    public static VerifyResult Verify(Variant variant, Scenario scenario, int bound, long maxExecutions, double seconds, IReadOnlySet<BugKind> ignore, bool reduction = false)
    {
        var sw = Stopwatch.StartNew();
        using var world = new World(variant, scenario);
        world.Machine.Suppressed = ignore;
        var search = new BoundedSearch(bound, reduction);
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
            return new VerifyResult(variant, scenario, bound, finding, beyond, search.Executions, sw.Elapsed.TotalSeconds, false);
        }
        while (search.Executions < maxExecutions && sw.Elapsed.TotalSeconds < seconds && search.Advance());
        return new VerifyResult(variant, scenario, bound, null, beyond, search.Executions, sw.Elapsed.TotalSeconds, search.Exhausted);
    }
}
