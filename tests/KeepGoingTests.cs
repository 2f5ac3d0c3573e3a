using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Search;
using MmFuzz.Strategies;
using NUnit.Framework;

namespace MmFuzz.Tests;

/// <summary>
/// A hunt keeps going to its budget and reports every distinct bug (one per <see cref="BugSignature"/>),
/// each minimized and replayable; <c>--first</c> stops at the first; several workers are deterministic
/// per worker; the default portfolio finds zoo mutants a plain hunt of their base does not show.
/// </summary>
[TestFixture, Category("slow")]
public class KeepGoingTests
{
    static void AssertReplays(Finding f)
    {
        using var sim = new Simulation(f.Variant, f.Scenario, f.OraclesOff);
        var o = sim.Run(new ReplayStrategy(f.Steps));
        Assert.That(o.Kind, Is.EqualTo(f.Kind), f.Scenario.Description);
        Assert.That(o.Message, Is.EqualTo(f.Outcome.Message));
    }

    [Test]
    public void AHuntThatKeepsGoingReportsEveryDistinctBugOnceEachReplaying()
    {
        var r = GenerationHunter.Hunt(Variants.Mm2024_03, null, new HuntOptions(new Budget(600, 20_000), Seed: 1, KeepGoing: true));
        Assert.That(r.Executions, Is.EqualTo(20_000), "runs to its budget");
        Assert.That(r.Bugs.Count, Is.GreaterThanOrEqualTo(2), "mm-2024-03 has more than one way to break");
        Assert.That(r.Findings.Select(f => BugSignature.Of(f.Outcome)), Is.Unique);
        foreach (var f in r.Findings)
            AssertReplays(f);
    }

    [Test]
    public void FirstStopsAtTheFirstBug()
    {
        var r = GenerationHunter.Hunt(Variants.Mm2024_03, null, new HuntOptions(new Budget(600, 20_000), Seed: 1, KeepGoing: false));
        Assert.That(r.Bugs, Has.Count.EqualTo(1));
        Assert.That(r.Executions, Is.LessThan(20_000));
    }

    [Test]
    public void SeveralWorkersAreDeterministicWithAnExecutionBudget()
    {
        string Run() => string.Join("\n", HuntStrategy.Generate.Run(Variants.Mm2024_03, null,
                new HuntOptions(new Budget(600, 20_000), Seed: 7, Jobs: 2, KeepGoing: true)).Findings
            .Select(f => $"{BugSignature.Of(f.Outcome)} :: {f.Scenario.Description} :: {f.Steps.Count}"));
        var first = Run();
        Assert.That(first, Is.Not.Empty);
        Assert.That(Run(), Is.EqualTo(first));
    }

    [Test]
    public void HuntFindingsWithABaselineStopOnlyAtABugTheBaselineDoesNotShow()
    {
        using var sim = new Simulation(Variants.Mm2024_03, Catalog.SeedMailBatch);
        var r = ExhaustiveSearch.Explore(sim, 1, Budget.OfExecutions(100_000), o => !History.BeyondHistoryKinds.Contains(o.Kind), reduction: true);
        Assert.That(r.Failure, Is.Not.Null);
        var bug = Minimizer.Minimize(sim, r.Failure!.Choices, r.Failure.Outcome.Kind, 0);

        var againstItself = new HuntFindings(new HashSet<BugKind>(), keepGoing: false, baseline: Variants.Mm2024_03);
        Assert.That(againstItself.Add(bug, r.Failure.Outcome), Is.False, "a bug in both does not end the hunt");
        Assert.That(againstItself.IsSetAside(bug.Outcome), Is.True, "and is set aside");
        Assert.That(againstItself.NewBug, Is.Null);

        var againstV6_9 = new HuntFindings(new HashSet<BugKind>(), keepGoing: false, baseline: Variants.V6_9);
        Assert.That(againstV6_9.Add(bug, r.Failure.Outcome), Is.True, "v6.9 does not show it: the hunt ends");
        Assert.That(againstV6_9.NewBug, Is.SameAs(bug));
        Assert.That(againstV6_9.Comparisons[bug].Presence, Is.EqualTo(Presence.OnlyInVariant));
    }

    [TestCase("v6.13-kept-folio-put-at-once")]
    [TestCase("folio-batch-put-before-requeue")]
    [TestCase("v6.9-queue-without-recheck")]
    public void TheDefaultHuntFindsAZooMutantsBugThatItsBaseDoesNotShow(string name)
    {
        var m = Zoo.Zoo.All.Single(x => x.Name == name);
        var r = HuntStrategy.Default.Run(m.Variant, null, new HuntOptions(new Budget(600, 400_000), Jobs: 1, Baseline: m.Base));
        Assert.That(r.NewBug, Is.Not.Null, () => $"{r.Executions} executions; findings: {string.Join(", ", r.Findings.Select(f => f.Kind))}");
        Assert.That(r.Comparisons[r.NewBug!].Presence, Is.Not.EqualTo(Presence.InBoth));
        AssertReplays(r.NewBug!);
    }
}
