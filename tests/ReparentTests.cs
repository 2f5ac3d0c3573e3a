using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Memory;
using MmFuzz.Scenarios;
using MmFuzz.Search;
using MmFuzz.Strategies;
using NUnit.Framework;

namespace MmFuzz.Tests;

/// <summary>
/// Memcg offline (<c>memcg_offline(memcg2)</c>: <c>kill_css()</c>, then <c>mem_cgroup_css_offline()</c>).
/// Before the folio_batch series it leaves the deferred split queue alone; from the series' patch 4/4
/// on it splices memcg2's queue onto its parent memcg1's, and <c>split_queue_lock()</c> takes memcg1's
/// lock for memcg2's folios once memcg2 is dying. Also the window the series left open (Chris Mason's
/// review, January 2026): between <c>kill_css()</c> and the reparenting, an unqueue counts a folio of
/// memcg2's list off memcg1's <c>split_queue_len</c>.
/// </summary>
[TestFixture, Category("quick")]
public class ReparentTests
{
    static Op Offline => new(OpKind.MemcgOffline, [], QueueId.Memcg2);

    /// <summary>A on memcg2's queue, B on memcg1's; CPU 1 takes memcg2 offline, then partially unmaps C (charged to memcg2, not queued).</summary>
    static readonly Scenario OfflineThenQueue = new("offline-then-queue", "",
        [new FolioSpec("A", 1, QueueId.Memcg2, QueueId.Memcg2, PartiallyMapped: true), new FolioSpec("B", 1, QueueId.Memcg1, QueueId.Memcg1, PartiallyMapped: true),
         new FolioSpec("C", 1, QueueId.Memcg2, QueueId.None)],
        [[Offline, new Op(OpKind.DeferredSplitFolio, [2], PartiallyMapped: true)]]);

    /// <summary>A on memcg2's queue, memcg1's empty; CPU 1 drops A's only reference while CPU 2 takes memcg2 offline.</summary>
    static readonly Scenario FreeInTheWindow = new("free-in-the-window", "",
        [new FolioSpec("A", 1, QueueId.Memcg2, QueueId.Memcg2, PartiallyMapped: true)],
        [[new Op(OpKind.FolioPut, [0])], [Offline]]);

    static string[] Names(Simulation sim, QueueId q)
    {
        var arena = sim.World.Arena;
        var head = sim.World.Queue(q).SplitQueue.Addr;
        var names = new List<string>();
        for (var next = (nint)arena.Read(head, 8); next != head; next = (nint)arena.Read(next, 8))
            names.Add(arena.Objects[arena.ObjectAt(next)].Name);
        return [.. names];
    }

    static ulong Len(Simulation sim, QueueId q) => sim.World.Arena.Read(sim.World.Queue(q).Len.Addr, 8);

    [Test]
    public void FolioBatchSplicesTheQueueOntoTheParentsAndQueuesThereAfterwards()
    {
        using var sim = new Simulation(Variants.FolioBatch, OfflineThenQueue);
        var o = sim.Run(new SwitchPointStrategy([]));
        Assert.That(o.Verdict, Is.EqualTo(Verdict.Ok), o.Message);
        Assert.That(Names(sim, QueueId.Memcg1), Is.EqualTo(new[] { "B", "A", "C" }), "A spliced to the tail, then C queued on the parent's queue");
        Assert.That(Len(sim, QueueId.Memcg1), Is.EqualTo(3));
        Assert.That(Names(sim, QueueId.Memcg2), Is.Empty);
        Assert.That(Len(sim, QueueId.Memcg2), Is.Zero);
        var flags = sim.World.Arena.Read(sim.World.Memcg(2).CssFlags.Addr, 4);
        Assert.That(flags & CssFlags.CSS_DYING, Is.Not.Zero);
    }

    [Test]
    public void BeforeTheSeriesOfflineLeavesTheQueueAlone([Values("v6.9", "v6.13")] string variant)
    {
        using var sim = new Simulation(Variants.Find(variant)!, OfflineThenQueue);
        var o = sim.Run(new SwitchPointStrategy([]));
        Assert.That(o.Verdict, Is.EqualTo(Verdict.Ok), o.Message);
        Assert.That(Names(sim, QueueId.Memcg1), Is.EqualTo(new[] { "B" }));
        Assert.That(Names(sim, QueueId.Memcg2), Is.EqualTo(new[] { "A", "C" }));
        Assert.That(Len(sim, QueueId.Memcg2), Is.EqualTo(2));
    }

    /// <summary>Records the largest <c>split_queue_len</c> memcg1's queue ever holds, over every execution (an observer: it never reports).</summary>
    sealed class Memcg1LenWatch : Oracle
    {
        public World? World { get; set; }

        public ulong Max { get; private set; }

        public override void AfterAccess(Cpu cpu, in Access access, int step) =>
            Max = Math.Max(Max, World!.Arena.Read(World.Queue(QueueId.Memcg1).Len.Addr, 8));
    }

    /// <summary>
    /// The counter race the series left (docs/FINDINGS.md §5): CPU 2's <c>kill_css()</c> runs, CPU 1's
    /// free unqueues A from memcg2's list under memcg1's lock and decrements memcg1's empty queue's
    /// <c>split_queue_len</c> to ULONG_MAX, and the reparenting adds memcg2's stale 1 back to 0. One
    /// preemption; every end state is well formed, so no oracle reports it. v6.13 never touches memcg1.
    /// </summary>
    [Test]
    public void FolioBatchsOfflineWindowTakesTheParentsCountBelowZero([Values("v6.13", "folio-batch")] string variant)
    {
        var watch = new Memcg1LenWatch();
        using var sim = new Simulation(Variants.Find(variant)!, FreeInTheWindow, null, watch);
        watch.World = sim.World;
        var r = ExhaustiveSearch.Explore(sim, 1, Budget.OfExecutions(100_000), o => !History.BeyondHistoryKinds.Contains(o.Kind), reduction: false);
        Assert.That(r.Failure, Is.Null, r.Failure?.Outcome.Message);
        Assert.That(r.Exhausted, Is.True);
        Assert.That(watch.Max, Is.EqualTo(variant == "folio-batch" ? ulong.MaxValue : 0UL),
            "memcg1.split_queue_len goes below zero in some folio-batch schedule, never in v6.13");
    }

    [Test]
    public void OnlyMemcg2GoesOffline()
    {
        var lines = new List<(int, string)> { (1, "folio A ref=1 memcg=memcg1 queue=memcg1"), (2, "cpu 1: memcg_offline(memcg1)") };
        var e = Assert.Throws<FormatException>(() => ScenarioText.Parse("s", "", lines, "x"));
        Assert.That(e!.Message, Does.StartWith("x:2: expected 'memcg_offline(memcg2)'"));
        lines[1] = (2, "cpu 1: memcg_offline(memcg2)");
        var s = ScenarioText.Parse("s", "", lines, "x");
        Assert.That(s.Cpus[0][0], Is.EqualTo(Offline).Using<Op>((a, b) => a.Kind == b.Kind && a.Queue == b.Queue && a.Folios.Length == 0));
        Assert.That(ScenarioText.OpText(s.Cpus[0][0], s.Folios), Is.EqualTo("memcg_offline(memcg2)"));
        Assert.That(Family.Of(s), Is.EqualTo(Family.ScanVsReparent));
    }
}
