using System.Diagnostics;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;

namespace MmFuzz.Search;

/// <summary>
/// Bounded exhaustive search of a variant's scenarios (<c>verify</c>, and <c>hunt --strategy
/// exhaustive</c>): "no bug up to k preemptions over N executions", or the failing schedule, minimized.
/// </summary>
public static class Verifier
{
    /// <summary>
    /// Explores every schedule of <paramref name="scenario"/> with at most <paramref name="bound"/>
    /// preemptions, until a bug of a kind history records (not in <paramref name="ignore"/>) or the
    /// budget is spent; the first schedule of each kind beyond history is minimized too.
    /// </summary>
    /// <remarks>With <paramref name="reduction"/>, sleep sets (see <see cref="ExhaustiveSearch.Explore"/>).</remarks>
    public static VerifyResult Verify(Variant variant, Scenario scenario, int bound, Budget budget, IReadOnlySet<BugKind>? ignore = null, bool reduction = false)
    {
        ignore ??= new HashSet<BugKind>();
        var sw = Stopwatch.StartNew();
        using var sim = new Simulation(variant, scenario, ignore);
        var r = ExhaustiveSearch.Explore(sim, bound, budget,
            o => !ignore.Contains(o.Kind) && !History.BeyondHistoryKinds.Contains(o.Kind), reduction);
        // Minimized once the search is over: the first schedule of each kind beyond history, and the failure.
        var beyond = r.SetAside
            .Where(b => History.BeyondHistoryKinds.Contains(b.Outcome.Kind) && !ignore.Contains(b.Outcome.Kind))
            .Select(b => Minimizer.Minimize(sim, b.Choices, b.Outcome.Kind, 0))
            .ToList();
        var bug = r.Failure is { } f ? Minimizer.Minimize(sim, f.Choices, f.Outcome.Kind, 0) : null;
        return new VerifyResult(variant, scenario, bound, bug, beyond, r.Executions, sw.Elapsed.TotalSeconds, r.Exhausted);
    }

    /// <summary>
    /// The exhaustive hunt: bounded exhaustive search of each scenario in turn, within one budget,
    /// until a bug of a kind history records; each kind beyond history is reported once.
    /// </summary>
    public static HuntResult Hunt(Variant variant, IReadOnlyList<Scenario> scenarios, int bound, Budget budget, IReadOnlySet<BugKind>? ignore = null, bool keepGoing = false,
        Variant? baseline = null)
    {
        ignore ??= new HashSet<BugKind>();
        var sw = Stopwatch.StartNew();
        long total = 0;
        var findings = new HuntFindings(ignore, keepGoing, baseline);
        foreach (var s in scenarios)
        {
            var r = Verify(variant, s, bound, budget.Less(total, sw.Elapsed.TotalSeconds), ignore);
            total += r.Executions;
            foreach (var f in r.BeyondHistory.Where(f => !findings.IsSetAside(f.Outcome)))
                findings.Add(f, f.Outcome, cancel: budget.Cancel);
            if (r.Bug is { } bug && !findings.IsSetAside(bug.Outcome) && findings.Add(bug, bug.Outcome, cancel: budget.Cancel))
                break;
            if (budget.IsSpent(total, sw.Elapsed.TotalSeconds))
                break;
        }
        return findings.Result(variant, total, sw.Elapsed.TotalSeconds);
    }
}
