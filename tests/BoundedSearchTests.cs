using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using NUnit.Framework;
using MmFuzz.Search;

namespace MmFuzz.Tests;

/// <summary>Plain preemption-bounded search (the explorer without reduction), and the minimizer that uses it to prove the fewest preemptions.</summary>
[TestFixture, Category("slow")]
[Parallelizable(ParallelScope.All)]
public class BoundedSearchTests
{
    static HashSet<string> Explore(Simulation world, int bound, out ExhaustiveExplorer search)
    {
        search = new ExhaustiveExplorer(bound, reduction: false);
        var seen = new HashSet<string>();
        while (!search.Exhausted)
        {
            world.Run(search);
            Assert.That(world.Machine.Preemptions, Is.LessThanOrEqualTo(bound));
            Assert.That(seen.Add(Convert.ToHexString(world.Machine.Choices)), Is.True, "a schedule was explored twice");
        }
        return seen;
    }

    [Test]
    public void BoundZero_IsOneSchedulePerFreeChoice()
    {
        using var world = new Simulation(Variants.V6_9, Catalog.NodeQueue);
        var seen = Explore(world, 0, out var search);
        Assert.That(search.Exhausted, Is.True);
        // Without preemption, the only choices are the first CPU and whoever runs when the current one
        // blocks or finishes: CPU 1 then CPU 2, or CPU 2 then CPU 1.
        Assert.That(seen, Has.Count.EqualTo(2));
    }

    [Test]
    public void BoundOne_ContainsEveryRandomScheduleWithAtMostOnePreemption()
    {
        using var world = new Simulation(Variants.V6_9, Catalog.NodeQueue);
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
        var r = Hunter.Random(Variants.V6_9, [Catalog.LostRace], new HuntOptions(new Budget(60, 500_000), Seed: 5));
        var f = r.BeyondHistory.Single();
        Assert.That(f.Outcome.Kind, Is.EqualTo(BugKind.LostRaceWriteAfterFree));
        Assert.That(f.Preemptions, Is.EqualTo(2));
        Assert.That(f.ProvenMinimal, Is.True);
        using var world = new Simulation(Variants.V6_9, Catalog.LostRace);
        Assert.That(world.Run(new ReplayStrategy(f.Steps)).Kind, Is.EqualTo(BugKind.LostRaceWriteAfterFree));
        var atOne = new ExhaustiveExplorer(1, reduction: false);
        while (!atOne.Exhausted)
            Assert.That(world.Run(atOne).Kind, Is.Not.EqualTo(BugKind.LostRaceWriteAfterFree));
    }
}

/// <summary>Sleep-set reduction: without a bound it reaches every final state and outcome the full search reaches, in fewer executions.</summary>
[TestFixture, Category("quick")]
public class SleepSetTests
{
    static readonly MemcgPtr M = new(0x1000);

    static async Sim Cpu1(TestKernel k, Rig r)
    {
        await k.Poke(r.Folio("A").MemcgData, M);        // shared with CPU 2
        await k.Peek(r.Folio("B").MemcgData);           // private
        await k.Poke(r.Folio("B").MemcgData, M);        // private
        await k.Peek(r.Folio("C").MemcgData);           // read-read with CPU 2: independent
    }

    static async Sim Cpu2(TestKernel k, Rig r)
    {
        await k.Peek(r.Folio("C").MemcgData);
        await k.Poke(r.Folio("D").MemcgData, M);        // private
        await k.Peek(r.Folio("A").MemcgData);           // shared with CPU 1
        await k.Poke(r.Folio("D").MemcgData, default);
    }

    static (HashSet<string> Outcomes, long Complete, long Pruned) Explore(bool reduction)
    {
        using var rig = new Rig([Rig.Free("A"), Rig.Free("B"), Rig.Free("C"), Rig.Free("D")], Cpu1, Cpu2);
        var search = new ExhaustiveExplorer(100, reduction);
        var outcomes = new HashSet<string>();
        long complete = 0;
        while (!search.Exhausted)
        {
            var o = rig.Run(search);
            if (o.Verdict == Verdict.Abandoned)
                continue;
            complete++;
            var state = string.Join(",", "ABCD".Select(n => rig.World.Arena.Read(rig.Folio(n.ToString()).MemcgData.Addr, 8)));
            // Step numbers differ between equivalent schedules; what happened does not.
            outcomes.Add($"{o.Kind}:{state}:{System.Text.RegularExpressions.Regex.Replace(o.Message, @" at step \d+", "")}");
        }
        return (outcomes, complete, search.SleepBlocked);
    }

    [Test]
    public void ReachesEveryOutcomeOfTheFullSearchInFewerExecutions()
    {
        var full = Explore(reduction: false);
        var reduced = Explore(reduction: true);
        // 8 steps, 4 per CPU: C(8,4) = 70 interleavings; one shared word written by one CPU and read by the other.
        Assert.That(full.Complete, Is.EqualTo(70));
        Assert.That(reduced.Outcomes, Is.EquivalentTo(full.Outcomes));
        Assert.That(full.Outcomes, Has.Count.GreaterThan(1), "the shared word makes the order observable");
        Assert.That(reduced.Complete, Is.LessThan(full.Complete / 4), $"{reduced.Complete} complete executions with sleep sets ({reduced.Pruned} pruned)");
    }
}
