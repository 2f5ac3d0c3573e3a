namespace MmFuzz.Properties;

/// <summary>What generation found that history does not record (kept as tests so it is neither lost nor silently filtered).</summary>
[TestFixture, Category("slow")]
public class Findings
{
    /// <summary>
    /// v6.13's scan loop 2 takes a folio that is not partially mapped off its local list with an
    /// unlocked <c>list_del_init()</c>. <c>INIT_LIST_HEAD()</c> stores <c>next</c>, then <c>prev</c>;
    /// between the two, <c>deferred_split_folio()</c> on another CPU (an rmap call: CPU 3) sees the
    /// entry empty under the queue lock and queues the folio on the node's queue, and the scan's
    /// second store lands on a queued folio without the lock. Found by the generator (hunt, default
    /// strategy) and shrunk to this scenario; the same window as the lost-race write-after-free, with
    /// a re-queue instead of a free. folio-batch (the 2025 rewrite) and v6.10 (no unlocked deletion)
    /// are clean. Reported for triage: the safe-variant property of v6.13 leaves this combination out.
    /// </summary>
    [TestCase(true)]
    [TestCase(false)]
    public void V6_13_RmapRequeueInsideTheUnlockedListDelInit(bool partiallyMapped)
    {
        var scenario = new Scenario("v6.13-rmap-requeue", "CPU 1 scans node 0's queue; CPU 2 drops a reference; CPU 3 calls deferred_split_folio()",
            [new FolioSpec("A", 2, QueueId.None, QueueId.Node0)],
            [[new Op(OpKind.Scan, [], QueueId.Node0, 32)], [new Op(OpKind.FolioPut, [0])], [new Op(OpKind.DeferredSplitFolio, [0], PartiallyMapped: partiallyMapped)]]);
        var none = new HashSet<BugKind>();
        var v613 = Verifier.Verify(Variants.V6_13, scenario, new HuntOptions(new Budget(600, 1_000_000), Ignore: none, Preemptions: 1));
        Assert.That(v613.Bug, Is.Not.Null, "v6.13 shows the race within 1 preemption");
        Assert.That(v613.Bug!.Outcome.Kind, Is.EqualTo(BugKind.WrongLock), v613.Bug.Trace());
        Assert.That(v613.Bug.Outcome.Message, Does.Contain("list_del_init"), v613.Bug.Trace());
        foreach (var v in new[] { Variants.FolioBatch, Variants.V6_10 })
        {
            var r = Verifier.Verify(v, scenario, new HuntOptions(new Budget(600, 1_000_000), Ignore: none, Preemptions: 2));
            Assert.That(r.Bug, Is.Null, () => $"{v.Name}: {r.Bug!.Outcome.Kind}: {r.Bug.Trace()}");
            Assert.That(r.Exhausted, Is.True);
        }
    }
}
