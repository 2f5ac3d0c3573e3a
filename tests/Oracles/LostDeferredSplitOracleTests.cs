using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using NUnit.Framework;
using MmFuzz.Search;
using MmFuzz.Schedules;

namespace MmFuzz.Tests.Oracles;

/// <summary>
/// The quiescence oracle <c>lost-deferred-split</c> (<see cref="MmFuzz.Oracles.LostDeferredSplitOracle"/>, v6.12+): a live large folio with
/// PG_partially_mapped set must be on a deferred split queue, since <c>__folio_remove_rmap()</c>
/// calls <c>deferred_split_folio(folio, true)</c> only while the flag is clear. In v6.13 loop 2 of
/// the scan takes a folio it found not partially mapped off its local list without the lock; a
/// partial unmap on another CPU in between sets the flag, sees the entry still linked (on the local
/// list) and does not queue it. folio-batch re-queues under the lock and never loses it.
/// </summary>
[TestFixture, Category("quick")]
public class LostDeferredSplitOracleTests
{
    /// <summary>A fully mapped THP queued at fault (v6.12+), scanned by CPU 1 while CPU 2 unmaps part of it.</summary>
    static readonly Scenario PartialUnmapVsScan = new("partial-unmap-vs-scan",
        "A on memcg1's queue, not partially mapped (queued at fault); CPU 1 scans memcg1, CPU 2 unmaps part of A",
        [new FolioSpec("A", 1, QueueId.Memcg1, QueueId.Memcg1)],
        [[new Op(OpKind.Scan, [], QueueId.Memcg1, 32)], [new Op(OpKind.DeferredSplitFolio, [0], PartiallyMapped: true)]]);

    const string Message = "at quiescence: A is partially mapped (PG_partially_mapped) but on no deferred split queue: " +
                           "__folio_remove_rmap() queues only a folio whose flag is clear, so the shrinker will never split it";

    static readonly HashSet<BugKind> HistoryOff = [BugKind.WrongLock, BugKind.DataRace, BugKind.LostRaceWriteAfterFree];

    static Simulation WorldOf(string variant)
    {
        var world = new Simulation(Variants.Find(variant)!, PartialUnmapVsScan, HistoryOff);
        return world;
    }

    [Test]
    public void SilentWhenTheUnmapRunsBeforeOrAfterTheScan([Values("v6.12-rc1", "v6.13", "folio-batch")] string variant)
    {
        using var world = WorldOf(variant);
        Assert.That(world.Run(new SwitchPointStrategy([])).Verdict, Is.EqualTo(Verdict.Ok), "scan first, then the unmap queues A");
        var o = world.Run(new SwitchPointStrategy([(0, 1)]));
        Assert.That(o.Verdict, Is.EqualTo(Verdict.Ok), o.Message);
    }

    [Test]
    public void V613_OnePreemptionLosesTheSplit()
    {
        using var world = WorldOf("v6.13");
        var r = ExhaustiveSearch.Explore(world, 1, Budget.OfExecutions(1_000_000), o => o.Kind == BugKind.LostDeferredSplit, reduction: false);
        Assert.That(r.Failure, Is.Not.Null, "no lost split within one preemption");
        Assert.That(r.Failure!.Outcome.Message, Is.EqualTo(Message));
        Assert.That(r.Failure.Outcome.Cpu, Is.EqualTo(0), "a quiescence finding names no CPU");
        var f = Minimizer.Minimize(world, r.Failure.Choices, BugKind.LostDeferredSplit, 0);
        Assert.That(f.Preemptions, Is.EqualTo(1));
        Assert.That(world.Run(new ReplayStrategy(f.Steps)).Kind, Is.EqualTo(BugKind.LostDeferredSplit));
        Assert.That(History.BeyondHistoryKinds, Does.Contain(BugKind.LostDeferredSplit));
    }

    [Test]
    public void FolioBatch_NeverLosesIt_ExhaustedAtTwoPreemptions()
    {
        using var world = WorldOf("folio-batch");
        var r = ExhaustiveSearch.Explore(world, 2, Budget.OfExecutions(1_000_000), o => o.IsBug, reduction: false);
        Assert.That(r.Failure, Is.Null, r.Failure?.Outcome.Message);
        Assert.That(r.Exhausted, Is.True);
        Assert.That(r.Executions, Is.GreaterThan(50));
    }

    /// <summary><c>corpus/findings/0002-v6.13-lost-deferred-split.schedule</c> (written by <c>hunt --out</c> and <c>minimize -o</c>) replays.</summary>
    [Test]
    public void CheckedInFindingReplays()
    {
        string root = Repo.Root();
        var path = Path.Combine(root, "corpus", "findings", "0002-v6.13-lost-deferred-split.schedule");
        var file = ScheduleFile.Parse(File.ReadAllText(path), path);
        Assert.That(file.Expect, Is.EqualTo(BugKind.LostDeferredSplit));
        Assert.That(file.Message, Is.EqualTo(Message));
        using var world = new Simulation(Variants.Find(file.Variant)!, file.ResolveScenario(), file.OraclesOff);
        var o = world.Run(new ReplayStrategy(file.Steps));
        Assert.That(o.Kind, Is.EqualTo(BugKind.LostDeferredSplit), o.Message);
        Assert.That(o.Step, Is.EqualTo(file.Steps.Count));
    }

    /// <summary>
    /// The underused case (3bac01168982's): v6.13's scan drops an underused folio whose trylock failed,
    /// at one preemption (the checked-in finding replays); folio-batch re-queues it (exhausted at two);
    /// and a folio the scan locked and could not split (an extra pin) is dropped by design, unreported.
    /// </summary>
    [Test]
    public void V613_DropsAnUnderusedFolioItCouldNotLock_FolioBatchRequeuesIt()
    {
        string root = Repo.Root();
        var path = Path.Combine(root, "corpus", "findings", "0004-v6.13-underused-locked.schedule");
        var file = ScheduleFile.Parse(File.ReadAllText(path), path);
        Assert.That(file.Expect, Is.EqualTo(BugKind.LostDeferredSplit));
        Assert.That(file.Message, Does.StartWith("at quiescence: A is underused but on no deferred split queue"));
        using (var world = new Simulation(Variants.Find(file.Variant)!, file.ResolveScenario(), file.OraclesOff))
        {
            var o = world.Run(new ReplayStrategy(file.Steps));
            Assert.That(o.Kind, Is.EqualTo(BugKind.LostDeferredSplit), o.Message);
            Assert.That(o.Message, Is.EqualTo(file.Message));
            var none = ExhaustiveSearch.Explore(world, 0, Budget.OfExecutions(1_000), x => x.IsBug, reduction: false);
            Assert.That(none.Failure, Is.Null, "without a preemption the lock is free when the scan tries it");
        }
        using (var batch = new Simulation(Variants.FolioBatch, Catalog.UnderusedLocked, HistoryOff))
        {
            var r = ExhaustiveSearch.Explore(batch, 2, Budget.OfExecutions(1_000_000), o => o.IsBug, reduction: false);
            Assert.That(r.Failure, Is.Null, r.Failure?.Outcome.Message);
            Assert.That(r.Exhausted, Is.True);
        }
        // The scan locks A but cannot split it (CPU 2 holds a reference and never drops it): dropped by design.
        var pinned = new Scenario("underused-pinned", "A underused on memcg1's queue; CPU 2 holds a reference",
            [new FolioSpec("A", 2, QueueId.Memcg1, QueueId.Memcg1, Underused: true)],
            [[new Op(OpKind.Scan, [], QueueId.Memcg1, 32)], [new Op(OpKind.FolioGet, [0]), new Op(OpKind.FolioPut, [0])]]);
        using (var v613 = new Simulation(Variants.V6_13, pinned, HistoryOff))
            Assert.That(v613.Run(new SwitchPointStrategy([])).Verdict, Is.EqualTo(Verdict.Ok));
    }

    /// <summary>
    /// Kernels without PG_partially_mapped never run the check (their scenarios may still set the bit):
    /// the flag is a trait of v6.12-rc1's class, which every later state inherits.
    /// </summary>
    [Test]
    public void OlderKernelsHaveNoSuchFlag()
    {
        foreach (var v in Variants.All)
            Assert.That(v.Traits.HasPartiallyMappedFlag, Is.EqualTo(v.KernelType.IsAssignableTo(typeof(KernelV6_12Rc1))), v.Name);
        Assert.That(new[] { Variants.V6_8, Variants.Mm2024_03, Variants.V6_9, Variants.V6_10Rc1, Variants.V6_10 }.Select(v => v.Traits.HasPartiallyMappedFlag), Is.All.False);
        Assert.That(new[] { Variants.V6_12Rc1, Variants.V6_13, Variants.FolioBatch }.Select(v => v.Traits.HasPartiallyMappedFlag), Is.All.True);
    }
}
