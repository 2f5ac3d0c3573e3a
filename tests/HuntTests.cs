using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using NUnit.Framework;
using MmFuzz.Search;
using MmFuzz.Schedules;
using MmFuzz.Reports;

namespace MmFuzz.Tests;

/// <summary>The seed race found end to end: mm-2024-03 corrupts, v6.9 does not; findings replay.</summary>
[TestFixture, Category("slow")]
public class HuntTests
{
    static readonly HashSet<BugKind> None = new();

    /// <summary>What history says mm-2024-03 does: list corruption under two different locks, queue length drift.</summary>
    static readonly BugKind[] Mm2024_03Kinds = [BugKind.WrongLock, BugKind.ListCorruption, BugKind.Accounting];

    [TestCase(1UL)]
    [TestCase(2UL)]
    [TestCase(3UL)]
    [TestCase(42UL)]
    public void Mm2024_03_IsFoundWithHistorysBugKindAndReplays(ulong seed)
    {
        var r = Hunter.Random(Variants.Mm2024_03, Family.ScanVsFree.Scenarios, new HuntOptions(new Budget(60, 200_000), Seed: seed, Ignore: None));
        Assert.That(r.Bug, Is.Not.Null, "mm-2024-03 must corrupt");
        Assert.That(Mm2024_03Kinds, Does.Contain(r.Bug!.Outcome.Kind));
        using var world = new Simulation(Variants.Mm2024_03, r.Bug.Scenario);
        var replayed = world.Run(new ReplayStrategy(r.Bug.Steps));
        Assert.That(replayed.Kind, Is.EqualTo(r.Bug.Outcome.Kind));
        Assert.That(replayed.Message, Is.EqualTo(r.Bug.Outcome.Message));
        Assert.That(replayed.Step, Is.EqualTo(r.Bug.Steps.Count));
    }

    [Test]
    public void V6_9_ShowsNoHistoryBugIn100000RandomSchedules()
    {
        var r = Hunter.Random(Variants.V6_9, Family.ScanVsFree.Scenarios, new HuntOptions(new Budget(600, 100_000), Seed: 99, Ignore: None));
        Assert.That(r.Executions, Is.EqualTo(100_000));
        Assert.That(r.Bug, Is.Null, () => $"v6.9 reported {r.Bug!.Outcome.Kind}: {r.Bug.Outcome.Message}\n{r.Bug.Trace()}");
        foreach (var f in r.BeyondHistory)
            Assert.That(f.Outcome.Kind, Is.EqualTo(BugKind.LostRaceWriteAfterFree));
    }

    [Test]
    public void V6_9_LostRaceWriteAfterFreeIsFoundAndReplays()
    {
        var r = Hunter.Random(Variants.V6_9, [Catalog.LostRace], new HuntOptions(new Budget(60, 500_000), Seed: 5, Ignore: None));
        Assert.That(r.BeyondHistory, Has.Count.EqualTo(1));
        var f = r.BeyondHistory[0];
        Assert.That(f.Outcome.Kind, Is.EqualTo(BugKind.LostRaceWriteAfterFree));
        Assert.That(f.Outcome.Message, Does.StartWith("MODEL ASSERTION (KASAN does not track struct page memory): use-after-free in INIT_LIST_HEAD: Write of size 8"));
        using var world = new Simulation(Variants.V6_9, Catalog.LostRace);
        Assert.That(world.Run(new ReplayStrategy(f.Steps)).Kind, Is.EqualTo(BugKind.LostRaceWriteAfterFree));
    }

    [Test]
    public void IgnoringAKindSetsItAside()
    {
        var ignore = new HashSet<BugKind> { BugKind.WrongLock, BugKind.LostRaceWriteAfterFree };
        var r = Hunter.Random(Variants.Mm2024_03, [Catalog.SeedMailBatch], new HuntOptions(new Budget(60, 100_000), Seed: 11, Ignore: ignore));
        if (r.Bug is not null)
            Assert.That(ignore, Does.Not.Contain(r.Bug.Outcome.Kind));
        Assert.That(r.BeyondHistory, Is.Empty);
    }

    [Test]
    public void SameSeedGivesTheSameTrace()
    {
        string Once()
        {
            var r = Hunter.Random(Variants.Mm2024_03, Family.ScanVsFree.Scenarios, new HuntOptions(new Budget(60, 100_000), Seed: 1234, Ignore: None));
            return r.Bug!.Trace() + string.Join(",", r.Bug!.Steps);
        }
        Assert.That(Once(), Is.EqualTo(Once()));
    }

    [Test]
    public void ReplayThatDivergesNamesTheStep()
    {
        var r = Hunter.Random(Variants.Mm2024_03, [Catalog.SeedMailBatch], new HuntOptions(new Budget(60, 100_000), Seed: 3, Ignore: None));
        var steps = r.Bug!.Steps.ToList();
        steps[4] = new ScheduleStep(steps[4].Cpu, steps[4].Op == AccessOp.Load ? AccessOp.Store : AccessOp.Load);
        using var world = new Simulation(Variants.Mm2024_03, Catalog.SeedMailBatch);
        var e = Assert.Throws<ReplayDivergedException>(() => world.Run(new ReplayStrategy(steps)));
        Assert.That(e!.Message, Does.StartWith("step 5:"));
    }

    [Test]
    public void ScheduleFileRoundTripsAndReportsBadLines()
    {
        var r = Hunter.Random(Variants.Mm2024_03, [Catalog.SeedMailBatch], new HuntOptions(new Budget(60, 100_000), Seed: 3, Ignore: None));
        var file = new ScheduleFile("mm-2024-03", "seed-mail-batch", r.Bug!.Outcome.Kind, r.Bug.Steps, ["test"]);
        var parsed = ScheduleFile.Parse(file.Render(), "x.schedule");
        Assert.That(parsed.Steps, Is.EqualTo(r.Bug.Steps));
        Assert.That(parsed.Expect, Is.EqualTo(r.Bug.Outcome.Kind));
        Assert.That(ScenarioText.SameRun(parsed.ResolveScenario(), Catalog.SeedMailBatch), "the scenario is written inline");
        var text = file.Render();
        var bad = text.Replace("cpu 2: folios_put_refs(A)", "cpu 2: folios_put_refs(Z)");
        int line = text.Split('\n').ToList().FindIndex(l => l.Contains("cpu 2:")) + 1;
        var e = Assert.Throws<FormatException>(() => ScheduleFile.Parse(bad, "x.schedule"));
        Assert.That(e!.Message, Does.StartWith($"x.schedule:{line}: unknown folio 'Z'"));
        var v1 = "mmfuzz-schedule 1\nvariant v6.9\nscenario nope\nexpect none\nsteps 0\n";
        e = Assert.Throws<FormatException>(() => ScheduleFile.Parse(v1, "y.schedule"));
        Assert.That(e!.Message, Does.StartWith("y.schedule: scenario 'nope' has no folio/cpu lines and is not in the catalog"));
    }
}
