using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Memory;
using MmFuzz.Oracles;
using MmFuzz.Strategies;
using NUnit.Framework;
using static MmFuzz.Tests.Oracles.OracleAsserts;
using static MmFuzz.Tests.Rig;

namespace MmFuzz.Tests.Oracles;

/// <summary>
/// KASAN and the MMU (<see cref="KasanOracle"/>): a read or write of a freed folio is a
/// use-after-free (its own kind inside the scan's lost-race branch), of a scan's on-stack list after
/// the scan returned a stack-use-after-return, and a dereference of <c>LIST_POISON</c>, NULL or a
/// wild pointer a general protection fault or page fault. Each fires with its kind and exact
/// message; the same shape run correctly is silent.
/// </summary>
[TestFixture, Category("quick")]
public class KasanOracleTests
{
    [Test]
    public void GeneralProtection_WalkingIntoAListDelEntry_DereferencesListPoison1()
    {
        using var rig = new Rig([On(M1, "A"), On(M1, "B")], async (k, r) =>
        {
            await k.Lock(r.Q1);
            await k.ListDel(r["B"]);
            await k.SplitQueueLenAdd(r.Q1, -1);
            var next = await k.ListNextEntry(r.Folio("B"));      // container_of(LIST_POISON1)
            await k.ListNextEntry(next);
        });
        AssertBug(rig.Run(), BugKind.GeneralProtection,
            "general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] PREEMPT SMP NOPTI (CPU: 1 RIP: list_next_entry, LIST_POISON1)", 1);
    }

    [Test]
    public void GeneralProtection_WalkingFromAListDelInitEntry_IsSilent()
    {
        var walked = new List<nint>();
        using var rig = new Rig([On(M1, "A"), On(M1, "B")], async (k, r) =>
        {
            await k.Lock(r.Q1);
            await k.ListDelInit(r["B"]);
            await k.SplitQueueLenAdd(r.Q1, -1);
            var next = await k.ListNextEntry(r.Folio("B"));
            walked.Add(next.Addr);
            await k.ListNextEntry(next);
            await k.Unlock(r.Q1);
        });
        AssertOk(rig.Run());
        Assert.That(walked, Is.EqualTo(new[] { rig.Folio("B").Addr }), "a self-linked entry leads to itself");
    }

    [Test]
    public void GeneralProtection_ListPoison2()
    {
        using var rig = new Rig([Free("A")], async (k, r) => await k.ListEmpty(Poison.LIST_POISON2));
        AssertBug(rig.Run(), BugKind.GeneralProtection,
            "general protection fault, probably for non-canonical address 0xdead000000000122: 0000 [#1] PREEMPT SMP NOPTI (CPU: 1 RIP: list_empty, LIST_POISON2)", 1);
    }

    [Test]
    public void GeneralProtection_NullNext_IsANullPointerDereference()
    {
        using var rig = new Rig([Free("A")], async (k, r) =>
        {
            await k.Poke(r["A"].Next, ListPtr.Null);
            var next = await k.ListNextEntry(r.Folio("A"));       // container_of(NULL)
            await k.ListNextEntry(next);
        });
        AssertBug(rig.Run(), BugKind.GeneralProtection,
            "BUG: kernel NULL pointer dereference, address: 0000000000000000 (CPU: 1 RIP: list_next_entry)", 1);
    }

    [Test]
    public void GeneralProtection_NullPrevField_ReportsItsAddress()
    {
        using var rig = new Rig([Free("A")], async (k, r) => await k.ListAddTail(r["A"], ListPtr.Null));
        AssertBug(rig.Run(), BugKind.GeneralProtection,
            "BUG: kernel NULL pointer dereference, address: 0000000000000008 (CPU: 1 RIP: list_add_tail)", 1);
    }

    [Test]
    public void GeneralProtection_WildPointerOutsideTheArena()
    {
        using var rig = new Rig([Free("A")], async (k, r) => await k.ListEmpty(new ListPtr(0x12345678)));
        AssertBug(rig.Run(), BugKind.GeneralProtection,
            "BUG: unable to handle page fault for address: 0000000012345678 (CPU: 1 RIP: list_empty)", 1);
    }

    [Test]
    public void GeneralProtection_WildPointerIntoAHoleOfTheArena()
    {
        nint hole = 0;
        using var rig = new Rig([Free("A")], async (k, r) =>
        {
            hole = r.World.Memcg(1).Addr + 48;      // after struct mem_cgroup (48 bytes), before the next 64-byte slot
            await k.ListEmpty(new ListPtr(hole));
        });
        var o = rig.Run();
        AssertBug(o, BugKind.GeneralProtection, $"BUG: unable to handle page fault for address: {rig.Px(hole)} (CPU: 1 RIP: list_empty)", 1);
        Assert.That(rig.Px(hole), Does.StartWith("ffff8881"));
    }

    [Test]
    public void GeneralProtection_WalkOfAnIntactQueue_IsSilent()
    {
        using var rig = new Rig([On(M1, "A"), On(M1, "B")], async (k, r) =>
        {
            for (var f = await k.ListFirstEntry(r["H"]); f.DeferredList != r["H"]; f = await k.ListNextEntry(f))
            {
            }
        });
        AssertOk(rig.Run());
    }

    [Test]
    public void UseAfterFree_ReadOfAFreedFolio_Fires()
    {
        using var rig = new Rig([Free("A")], [Put(0)], async (k, r) =>
        {
            await k.folio_put(r.Folio("A"));
            await k.ListEmpty(r["A"]);
        });
        AssertBug(rig.Run(), BugKind.UseAfterFree,
            $"MODEL ASSERTION (KASAN does not track struct page memory): use-after-free in list_empty: Read of size 8 at addr {rig.Px(rig["A"])} (A) by task cpu1; A was freed by task cpu1", 1);
    }

    [Test]
    public void UseAfterFree_AtomicOnAFolioFreedByAnotherCpu_Fires()
    {
        using var rig = new Rig([Free("A")], [Put(0)],
            async (k, r) => await k.folio_get(r.Folio("A")),
            async (k, r) => await k.folio_put(r.Folio("A")));
        AssertBug(rig.Run(RunFirst(1)), BugKind.UseAfterFree,
            $"MODEL ASSERTION (KASAN does not track struct page memory): use-after-free in folio_get: Write of size 4 at addr {rig.Px(rig.Folio("A").Refcount.Addr)} (A->_refcount) by task cpu1; A was freed by task cpu2", 1);
    }

    [Test]
    public void UseAfterFree_FreeWithoutLaterAccess_IsSilent()
    {
        using var rig = new Rig([Free("A")], [Put(0)], async (k, r) => await k.folio_put(r.Folio("A")));
        AssertOk(rig.Run());
        Assert.That(LivenessOf(rig, "A"), Is.EqualTo(Liveness.Freed));
    }

    [Test]
    public void UseAfterFree_InTheScansLostRaceBranch_IsTheLostRaceKind()
    {
        using var rig = new Rig([Free("A")], [Put(0)], async (k, r) =>
        {
            await k.folio_put(r.Folio("A"));
            await k.LostRaceListDelInit(r.Folio("A"));
        });
        AssertBug(rig.Run(), BugKind.LostRaceWriteAfterFree,
            $"MODEL ASSERTION (KASAN does not track struct page memory): use-after-free in __list_del_entry_valid_or_report: Read of size 8 at addr {rig.Px(rig["A"].Prev.Addr)} (A.prev) by task cpu1; A was freed by task cpu1", 1);
    }

    [Test]
    public void StackUseAfterReturn_ReadOfTheScansListAfterItReturned_Fires()
    {
        using var rig = new Rig([Free("A")],
            async (k, r) => await k.deferred_split_scan(r.Q1, 32),
            async (k, r) => await k.ListEmpty(r["S"]));
        AssertBug(rig.Run(RunFirst(0)), BugKind.UseAfterFree,
            $"BUG: KASAN: stack-use-after-return in list_empty: Read of size 8 at addr {rig.Px(rig["S"])} (cpu1.list) by task cpu2", 2);
    }

    [Test]
    public void StackUseAfterReturn_ReadOfTheScansListWhileItRuns_IsSilent()
    {
        using var rig = new Rig([Free("A")], [], Rig.NoRaces,
            async (k, r) => await k.deferred_split_scan(r.Q1, 32),
            async (k, r) => await k.ListEmpty(r["S"]));
        // Another CPU peeking at a scan's stack list is a data race (LIST_HEAD's stores are plain):
        // DataRaceOracleTests.DataRace_PeekAtAnotherCpusStackList shows that; this test is about KASAN only.
        // CPU 1 runs LIST_HEAD(list) (two stores), then CPU 2 reads the live list, then CPU 1 finishes.
        AssertOk(rig.Run(new SwitchPointStrategy([(0, 0), (2, 1)])));
        Assert.That(rig.Log.Entries[2].Addr, Is.EqualTo(rig["S"].Addr), "step 3 is CPU 2's read of cpu1.list");
    }
}
