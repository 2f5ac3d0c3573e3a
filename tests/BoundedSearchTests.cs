using MmFuzz.Engine;
using MmFuzz.Hunting;
using MmFuzz.Kernel;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using NUnit.Framework;

namespace MmFuzz.Tests;

/// <summary>Preemption-bounded exhaustive search, and the minimizer that uses it to prove the fewest preemptions.</summary>
[TestFixture]
public class BoundedSearchTests
{
    static HashSet<string> Explore(World world, int bound, out BoundedSearch search)
    {
        search = new BoundedSearch(bound);
        var seen = new HashSet<string>();
        do
        {
            world.Run(search);
            Assert.That(world.Machine.Preemptions, Is.LessThanOrEqualTo(bound));
            Assert.That(seen.Add(Convert.ToHexString(world.Machine.Choices)), Is.True, "a schedule was explored twice");
        }
        while (search.Advance());
        return seen;
    }

    [Test]
    public void BoundZero_IsOneSchedulePerFreeChoice()
    {
        using var world = new World(Variants.V6_9, Catalog.NodeQueue);
        var seen = Explore(world, 0, out var search);
        Assert.That(search.Exhausted, Is.True);
        // Without preemption, the only choices are the first CPU and whoever runs when the current one
        // blocks or finishes: CPU 1 then CPU 2, or CPU 2 then CPU 1.
        Assert.That(seen, Has.Count.EqualTo(2));
    }

    [Test]
    public void BoundOne_ContainsEveryRandomScheduleWithAtMostOnePreemption()
    {
        using var world = new World(Variants.V6_9, Catalog.NodeQueue);
        var seen = Explore(world, 1, out var search);
        Assert.That(search.Exhausted, Is.True);
        var random = new RandomStrategy(77);
        int checkedSchedules = 0;
        for (int i = 0; i < 20_000; i++)
        {
            world.Run(random);
            if (world.Machine.Preemptions > 1)
                continue;
            checkedSchedules++;
            Assert.That(seen, Does.Contain(Convert.ToHexString(world.Machine.Choices)));
        }
        Assert.That(checkedSchedules, Is.GreaterThan(0));
    }

    [Test]
    public void LostRaceWriteAfterFree_IsMinimizedToTwoPreemptions_AndProvenMinimal()
    {
        var r = Hunter.Hunt(Variants.V6_9, [Catalog.LostRace], 5, 60, 500_000, new HashSet<BugKind>());
        var f = r.BeyondHistory.Single();
        Assert.That(f.Outcome.Kind, Is.EqualTo(BugKind.LostRaceWriteAfterFree));
        Assert.That(f.Preemptions, Is.EqualTo(2));
        Assert.That(f.ProvenMinimal, Is.True);
        using var world = new World(Variants.V6_9, Catalog.LostRace);
        Assert.That(world.Run(new ReplayStrategy(f.Steps)).Kind, Is.EqualTo(BugKind.LostRaceWriteAfterFree));
        var atOne = new BoundedSearch(1);
        do
            Assert.That(world.Run(atOne).Kind, Is.Not.EqualTo(BugKind.LostRaceWriteAfterFree));
        while (atOne.Advance());
    }
}
