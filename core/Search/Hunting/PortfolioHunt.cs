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
    /// <summary>
    /// The part of the budget each worker generates for before it explores the small scope: half,
    /// since generation steers by coverage (<see cref="HuntOptions.Steer"/>) and finds the deep races
    /// the scope was there for (was a third: the zoo's separator mutant at seed 2 needs 1.43M steered
    /// executions, 16 to 38 s on 2 shared cores, and was missed when generation stopped at 20 s of a
    /// 60 s hunt).
    /// </summary>
    public const double GenerateShare = 1.0 / 2;

    /// <summary>Hunts <paramref name="variant"/> on <see cref="HuntOptions.Jobs"/> workers (<see cref="SharedHunt"/>, even for one).</summary>
    /// <param name="variant">The kernel state.</param>
    /// <param name="scenarios">Catalog scenarios to hunt in, or null for generated and small-scope scenarios.</param>
    /// <param name="options">Budget, seed, ignored kinds, workers, keep going, baseline.</param>
    public static HuntResult Hunt(Variant variant, IReadOnlyList<Scenario>? scenarios, HuntOptions options)
    {
        var systematic = scenarios ?? SmallScope.Scenarios(SmallScope.Scope.Hunt).ToArray();
        return SharedHunt.Run(variant, options, mine =>
        {
            var findings = mine.NewFindings();
            var clock = Stopwatch.StartNew();
            long executions = 0;
            ShrinkReport? shrink = null;
            ulong seed = mine.Seed;
            void Generate(Budget share)
            {
                if (EndsHunt(findings, mine) || share.IsSpent(0, 0))
                    return;
                var g = GenerationHunter.Hunt(variant, scenarios, mine with { Budget = share, Seed = seed });
                seed += 0x2545F4914F6CDD1DUL;       // a second call must not repeat the first
                executions += g.Executions;
                findings.AddAll(g.Findings, g.Comparisons);
                shrink ??= g.Shrink;
            }
            var budget = mine.Budget;
            Generate(budget with { Seconds = budget.Seconds * GenerateShare, Executions = (long)(budget.Executions * GenerateShare) });
            if (!EndsHunt(findings, mine))
            {
                // The small scope's order is the hunt's seed's, the same for every worker: each takes its share of it.
                var (n, _) = ScopeHunter.Hunt(variant, systematic, SmallScope.Scope.Hunt.Preemptions, budget.Less(executions, clock.Elapsed.TotalSeconds),
                    findings, mine.Ignored, mine.Slot, options.Seed);
                executions += n;
            }
            Generate(budget.Less(executions, clock.Elapsed.TotalSeconds));
            return findings.Result(variant, executions, clock.Elapsed.TotalSeconds, shrink);
        });
    }

    /// <summary>Whether a hunt that stops at the first bug has found it: a bug of a kind history records that the baseline, if any, does not show.</summary>
    static bool EndsHunt(HuntFindings findings, HuntOptions options) =>
        !options.KeepGoing && findings.NewBug is not null;
}
