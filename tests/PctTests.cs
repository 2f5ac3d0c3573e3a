using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using NUnit.Framework;
using MmFuzz.Search;

namespace MmFuzz.Tests;

/// <summary>PCT: deterministic per seed, at most d-1 priority changes per execution, and it finds history's races.</summary>
[TestFixture, Category("quick")]
public class PctTests
{
    [Test]
    public void SameSeedGivesTheSameSchedules()
    {
        using var world = new Simulation(Variants.V6_9, Catalog.SeedMailBatch);
        string Run(ulong seed)
        {
            var pct = new PctStrategy(seed, 3);
            var all = new List<string>();
            for (int i = 0; i < 200; i++)
            {
                world.Run(pct);
                all.Add(Convert.ToHexString(world.Machine.Choices));
            }
            return string.Join("|", all);
        }
        Assert.That(Run(9), Is.EqualTo(Run(9)));
        Assert.That(Run(9), Is.Not.EqualTo(Run(10)));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(4)]
    public void AnExecutionChangesPrioritiesAtMostDepthMinusOneTimes(int depth)
    {
        using var world = new Simulation(Variants.V6_9, Catalog.Neighbours);
        var pct = new PctStrategy(3, depth);
        for (int i = 0; i < 2000; i++)
        {
            world.Run(pct);
            Assert.That(pct.Changes, Is.LessThanOrEqualTo(depth - 1));
            if (depth == 1)     // no change point: the highest-priority CPU runs until it blocks or ends, and a woken one resumes
                Assert.That(pct.Changes, Is.Zero);
        }
    }

    [Test]
    public void FindsV6_10Rc1sMigrationRace()
    {
        var r = Hunter.Pct(Variants.V6_10Rc1, Catalog.ScanVsMigrate, new HuntOptions(new Budget(600, 200_000), Seed: 1));
        Assert.That(r.Bug, Is.Not.Null, $"none in {r.Executions} executions");
        Assert.That(new[] { BugKind.UseAfterFree, BugKind.Refcount, BugKind.Accounting, BugKind.ListCorruption, BugKind.BadPageState }, Does.Contain(r.Bug!.Outcome.Kind));
        using var world = new Simulation(Variants.V6_10Rc1, r.Bug.Scenario);
        Assert.That(world.Run(new ReplayStrategy(r.Bug.Steps)).Kind, Is.EqualTo(r.Bug.Outcome.Kind));
    }
}
