using MmFuzz.Engine;
using MmFuzz.Oracles;
using NUnit.Framework;
using static MmFuzz.Tests.Oracles.OracleAsserts;
using static MmFuzz.Tests.Rig;

namespace MmFuzz.Tests.Oracles;

/// <summary>
/// The checks at quiescence (<see cref="QuiescenceOracle"/>), run when every CPU has finished: each
/// queue's list walks consistently and holds <c>split_queue_len</c> folios, no folio is linked
/// while on no queue, no queue still links a returned stack frame, and each folio's refcount is
/// what the programs declare (lost, leaked, freed while held). Each fires on CPU 0 (none) with its
/// kind and exact message; the state restored before the end is silent.
/// </summary>
[TestFixture, Category("quick")]
public class QuiescenceOracleTests
{
    [Test]
    public void ListCorruption_AtQuiescence_FolioLinkedButOnNoQueue_Fires()
    {
        using var rig = new Rig([Free("A"), Free("B")], async (k, r) =>
        {
            await k.ListAdd(r["B"], r["A"]);       // A and B form a list of their own
        });
        AssertBug(rig.Run(), BugKind.ListCorruption,
            "at quiescence: A->_deferred_list is linked (next = B) but A is on no deferred split queue", 0);
    }

    [Test]
    public void ListCorruption_AtQuiescence_FolioLinkedButOnNoQueue_IsSilentOnceUnlinked()
    {
        using var rig = new Rig([Free("A"), Free("B")], async (k, r) =>
        {
            await k.ListAdd(r["B"], r["A"]);
            await k.ListDelInit(r["B"]);
        });
        AssertOk(rig.Run());
    }

    [Test]
    public void ListCorruption_AtQuiescence_QueueWalkFindsAWrongPrev_Fires()
    {
        using var rig = new Rig([On(M1, "A"), On(M1, "B")], async (k, r) =>
        {
            await k.Lock(r.Q1);
            await k.Poke(r["B"].Prev, r["H"]);
            await k.Unlock(r.Q1);
        });
        AssertBug(rig.Run(), BugKind.ListCorruption,
            "at quiescence: memcg1's deferred_split_queue: B->prev should be A, but was memcg1.queue", 0);
    }

    [Test]
    public void ListCorruption_AtQuiescence_QueueWalk_IsSilentOnARestoredPrev()
    {
        using var rig = new Rig([On(M1, "A"), On(M1, "B")], async (k, r) =>
        {
            await k.Lock(r.Q1);
            await k.Poke(r["B"].Prev, r["H"]);
            await k.Poke(r["B"].Prev, r["A"]);
            await k.Unlock(r.Q1);
        });
        AssertOk(rig.Run());
    }

    [Test]
    public void StackUseAfterReturn_QueueStillLinksAReturnedStackList_FiresAtQuiescence()
    {
        using var rig = new Rig([Free("A")], async (k, r) =>
        {
            await k.deferred_split_scan(r.Q1, 32);
            await k.Lock(r.Q1);
            await k.Poke(r["H"].Next, r["S"]);
            await k.Poke(r["H"].Prev, r["S"]);
            await k.Unlock(r.Q1);
        });
        AssertBug(rig.Run(), BugKind.UseAfterFree,
            "at quiescence: memcg1's deferred_split_queue still links cpu1.list, which is a returned stack frame", 0);
    }

    [Test]
    public void StackUseAfterReturn_QueueRestoredBeforeQuiescence_IsSilent()
    {
        using var rig = new Rig([Free("A")], async (k, r) =>
        {
            await k.deferred_split_scan(r.Q1, 32);
            await k.Lock(r.Q1);
            await k.Poke(r["H"].Next, r["S"]);
            await k.Poke(r["H"].Prev, r["S"]);
            await k.InitListHead(r["H"]);
            await k.Unlock(r.Q1);
        });
        AssertOk(rig.Run());
    }

    [Test]
    public void Refcount_FreedWhileTheProgramsStillHoldAReference_FiresAtQuiescence()
    {
        // Nothing declared: the program's folio_put drops a reference it did not own.
        using var rig = new Rig([Free("A", refs: 1)], async (k, r) => await k.folio_put(r.Folio("A")));
        AssertBug(rig.Run(), BugKind.Refcount,
            "at quiescence: A was freed while 1 reference(s) are still held by the programs (double free / refcount underflow)", 0);
    }

    [Test]
    public void Accounting_SplitQueueLenNotDecremented_Fires()
    {
        using var rig = new Rig([On(M1, "A")], async (k, r) =>
        {
            await k.Lock(r.Q1);
            await k.ListDelInit(r["A"]);
            await k.Unlock(r.Q1);
        });
        AssertBug(rig.Run(), BugKind.Accounting,
            "at quiescence: memcg1's deferred_split_queue: split_queue_len is 1 but the list holds 0 folio(s)", 0);
    }

    [Test]
    public void Accounting_LostFolio_RefcountZeroNeverFreed_Fires()
    {
        using var rig = new Rig([Free("A")], [Put(0)], async (k, r) => await k.FolioPutTestzero(r.Folio("A")));
        AssertBug(rig.Run(), BugKind.Accounting, "at quiescence: A lost: its refcount is 0 but it was never freed", 0);
    }

    [Test]
    public void Accounting_LeakedReference_Fires()
    {
        using var rig = new Rig([Free("A")], async (k, r) => await k.folio_get(r.Folio("A")));
        AssertBug(rig.Run(), BugKind.Accounting, "at quiescence: A leaked: refcount 2 at quiescence, the programs hold 1", 0);
    }

    [Test]
    public void Accounting_DeclaredGet_IsSilent()
    {
        using var rig = new Rig([Free("A")], [Get(0)], async (k, r) => await k.folio_get(r.Folio("A")));
        AssertOk(rig.Run());
        Assert.That(rig.World.Arena.Read(rig.Folio("A").Refcount.Addr, 4), Is.EqualTo(2UL));
    }
}
