using MmFuzz.Engine;
using MmFuzz.Oracles;
using NUnit.Framework;
using static MmFuzz.Tests.Oracles.OracleAsserts;
using static MmFuzz.Tests.Rig;

namespace MmFuzz.Tests.Oracles;

/// <summary>
/// The wrong-lock assertion (<see cref="WrongLockOracle"/>): a write to a queued entry's links or to
/// a queue's <c>split_queue_len</c> must hold that queue's <c>split_queue_lock</c>; it fires before
/// the store. Entries on no queue need no lock.
/// </summary>
[TestFixture, Category("quick")]
public class WrongLockOracleTests
{
    [Test]
    public void WrongLock_ListDelOfAQueuedEntryWithoutTheLock_FiresBeforeTheStore()
    {
        using var rig = new Rig([On(M1, "A")], async (k, r) => await k.ListDelInit(r["A"]));
        var o = rig.Run();
        AssertBug(o, BugKind.WrongLock,
            "MODEL ASSERTION (no kernel check guards this list): lockdep_assert_held(memcg1.split_queue_lock) would fail: CPU 1 writes memcg1.queue.prev (the list of memcg1.queue) in list_del_init holding no lock", 1);
        Assert.That(o.Step, Is.EqualTo(7), "six loads, then the first store (next->prev = prev)");
        Assert.That(rig.State("H", "A"), Is.EqualTo(new[] { "H: next=A prev=A", "A: next=H prev=H" }), "the store was stopped");
    }

    [Test]
    public void WrongLock_ListDelOfAQueuedEntryUnderAnotherQueuesLock_Fires()
    {
        using var rig = new Rig([On(M1, "A")], async (k, r) =>
        {
            await k.Lock(r.Node);
            await k.ListDelInit(r["A"]);
        });
        AssertBug(rig.Run(), BugKind.WrongLock,
            "MODEL ASSERTION (no kernel check guards this list): lockdep_assert_held(memcg1.split_queue_lock) would fail: CPU 1 writes memcg1.queue.prev (the list of memcg1.queue) in list_del_init holding node0.split_queue_lock", 1);
    }

    [Test]
    public void WrongLock_ListDelOfAQueuedEntryUnderItsQueuesLock_IsSilent()
    {
        using var rig = new Rig([On(M1, "A")], async (k, r) =>
        {
            await k.Lock(r.Q1);
            await k.ListDelInit(r["A"]);
            await k.SplitQueueLenAdd(r.Q1, -1);
            await k.Unlock(r.Q1);
        });
        AssertOk(rig.Run());
    }

    [Test]
    public void WrongLock_SplitQueueLenWrittenWithoutTheLock_Fires()
    {
        using var rig = new Rig([On(M1, "A")], async (k, r) => await k.SplitQueueLenAdd(r.Q1, -1));
        AssertBug(rig.Run(), BugKind.WrongLock,
            "MODEL ASSERTION (no kernel check guards this list): lockdep_assert_held(memcg1.split_queue_lock) would fail: CPU 1 writes memcg1.split_queue_len (split_queue_len of memcg1.queue) in split_queue_len-- holding no lock", 1);
    }

    [Test]
    public void WrongLock_EntriesOnNoQueue_NeedNoLock()
    {
        using var rig = new Rig([Free("A"), Free("B")], async (k, r) =>
        {
            await k.ListAddTail(r["B"], r["A"]);
            await k.ListDel(r["B"]);
            await k.InitListHead(r["B"]);
        });
        AssertOk(rig.Run());
    }
}
