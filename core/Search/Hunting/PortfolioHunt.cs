using System.Diagnostics;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;

namespace MmFuzz.Search;

/// <summary>
/// The default hunt: on every core, breadth, then depth, then breadth again. Each worker first
/// generates (<see cref="GenerationHunter"/>: wide swarm scenarios and schedules with sparse or dense
/// preemptions, from a seed of its own) for <see cref="GenerateShare"/> of the budget; then explores
/// its share of the small scope exhaustively (<see cref="ScopeHunter"/>: every scenario of
/// <see cref="SmallScope.Scope.Hunt"/>, or the catalog scenarios named, at 1 and then 2 preemptions,
/// with sleep sets); when its share is done, it generates to the end of the budget. Generation finds
/// most bugs in its first seconds; the small scope reaches the corners it misses (a bug that needs
/// three queued folios in one order and two preemptions) and, when it completes, says so. Every
/// worker keeps going to the end of the budget (or, with <see cref="HuntOptions.KeepGoing"/> off, all
/// stop at the first new bug of a kind history records); the findings are merged by
/// <see cref="BugSignature"/>, in worker order. Each worker's work depends on its index, the seed and
/// its share of the budget alone (the small scope gives each worker its own scenarios), so with an
/// execution budget a hunt that keeps going gives the same findings every time.
/// </summary>
public static class PortfolioHunt
{
    /// <summary>The part of the budget each worker generates for before it explores the small scope.</summary>
    public const double GenerateShare = 1.0 / 3;

    /// <summary>Hunts <paramref name="variant"/>.</summary>
    /// <param name="variant">The kernel state.</param>
    /// <param name="scenarios">Catalog scenarios to hunt in, or null for generated and small-scope scenarios.</param>
    /// <param name="options">Budget, seed, ignored kinds, workers, keep going, baseline.</param>
    public static HuntResult Hunt(Variant variant, IReadOnlyList<Scenario>? scenarios, HuntOptions options)
    {
        var sw = Stopwatch.StartNew();
        int jobs = Math.Max(1, options.Jobs);
        using var first = CancellationTokenSource.CreateLinkedTokenSource(options.Budget.Cancel);
        var systematic = scenarios ?? SmallScope.Scenarios(SmallScope.Scope.Hunt).ToArray();
        var results = Workers.Run(jobs, w =>
        {
            // The worker's share of an execution budget; time is shared by running side by side.
            long executionShare = options.Budget.Executions == long.MaxValue ? long.MaxValue
                : options.Budget.Executions / jobs + (w < options.Budget.Executions % jobs ? 1 : 0);
            var budget = options.Budget with { Executions = executionShare, Cancel = first.Token };
            var findings = options.NewFindings();
            var clock = Stopwatch.StartNew();
            long executions = 0;
            ShrinkReport? shrink = null;
            ulong seed = options.Seed + (ulong)w * 0x9E3779B97F4A7C15UL;
            void Generate(Budget share)
            {
                if (EndsHunt(findings, options) || share.IsSpent(0, 0))
                    return;
                var g = GenerationHunter.Hunt(variant, scenarios, share, seed, options.Ignored, w == 0 ? options.Progress : null, options.KeepGoing, options.Baseline);
                seed += 0x2545F4914F6CDD1DUL;       // a second call must not repeat the first
                executions += g.Executions;
                findings.AddAll(g.Findings, g.Comparisons);
                shrink ??= g.Shrink;
            }
            Generate(budget with { Seconds = budget.Seconds * GenerateShare, Executions = (long)(budget.Executions * GenerateShare) });
            if (!EndsHunt(findings, options))
            {
                var (n, _) = ScopeHunter.Hunt(variant, systematic, SmallScope.Scope.Hunt.Preemptions, budget.Less(executions, clock.Elapsed.TotalSeconds),
                    findings, options.Ignored, w, jobs, options.Seed);
                executions += n;
            }
            Generate(budget.Less(executions, clock.Elapsed.TotalSeconds));
            if (EndsHunt(findings, options))
                first.Cancel();
            return (Findings: findings, Executions: executions, Shrink: shrink);
        });
        var merged = new HuntFindings(options.Ignored, keepGoing: true, options.Baseline);
        foreach (var r in results)
            merged.AddAll(r.Findings.Findings, r.Findings.Comparisons);
        return merged.Result(variant, results.Sum(r => r.Executions), sw.Elapsed.TotalSeconds, results.Select(r => r.Shrink).FirstOrDefault(s => s is not null));
    }

    /// <summary>Whether a hunt that stops at the first bug has found it: a bug of a kind history records that the baseline, if any, does not show.</summary>
    static bool EndsHunt(HuntFindings findings, HuntOptions options) =>
        !options.KeepGoing && findings.NewBug is not null;
}
