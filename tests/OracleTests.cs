using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Memory;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using NUnit.Framework;
using static MmFuzz.Tests.Rig;

namespace MmFuzz.Tests;

/// <summary>
/// One test per oracle: a hand-made bad sequence makes it fire with its kind and exact message, and
/// the same shape run correctly is silent (<see cref="Verdict.Ok"/>, which also means every
/// quiescence check held). A C# exception in a port is a harness error, never a kernel bug.
/// </summary>
/// <remarks>
/// Names in states: H is memcg1's queue head, S CPU 1's on-stack list, A..D folios (see <see cref="Rig"/>).
/// Quiescence checks expect each folio's refcount to be its initial one plus what the scenario's
/// operations declare (<see cref="Rig.Put"/>, <see cref="Rig.Get"/>); code programs declare theirs.
/// </remarks>
[TestFixture, Category("quick")]
public class OracleTests
{
    const QueueId M1 = QueueId.Memcg1;

    static void AssertOk(Outcome o) =>
        Assert.That(o.Verdict, Is.EqualTo(Verdict.Ok), () => $"{o.Verdict} {o.Kind}: {o.Message}");

    static void AssertBug(Outcome o, BugKind kind, string message, int cpu)
    {
        Assert.That(o.Verdict, Is.EqualTo(Verdict.Bug), () => $"{o.Verdict} {o.Kind}: {o.Message}");
        Assert.That(o.Kind, Is.EqualTo(kind), () => o.Message);
        Assert.That(o.Message, Is.EqualTo(message));
        Assert.That(o.Cpu, Is.EqualTo(cpu), "CPU the oracle fired on (0: none, at quiescence)");
    }

    /// <summary>Runs CPU <paramref name="first"/> to its end (or until it blocks), then the others.</summary>
    static SwitchPointStrategy RunFirst(int first) => new([(0, first)]);

    static Liveness LivenessOf(Rig rig, string folio) => rig.World.Arena.LivenessOf(rig.World.Arena.ObjectAt(rig.Folio(folio).Addr));

    // ---- list corruption ----

    [Test]
    public void ListCorruption_ListDelTwice_Fires()
    {
        using var rig = new Rig([On(M1, "A")], async (k, r) =>
        {
            await k.Lock(r.Q1);
            await k.ListDel(r["A"]);
            await k.SplitQueueLenAdd(r.Q1, -1);
            await k.ListDel(r["A"]);
        });
        AssertBug(rig.Run(), BugKind.ListCorruption,
            $"list_del corruption, {rig.Px(rig["A"])}->next is LIST_POISON1 (dead000000000100) [{rig.Px(rig["A"])}=A]", 1);
    }

    [Test]
    public void ListCorruption_ListDelInitTwice_IsSilent()
    {
        using var rig = new Rig([On(M1, "A")], async (k, r) =>
        {
            await k.Lock(r.Q1);
            await k.ListDelInit(r["A"]);
            await k.SplitQueueLenAdd(r.Q1, -1);
            await k.ListDelInit(r["A"]);
            await k.Unlock(r.Q1);
        });
        AssertOk(rig.Run());
        Assert.That(rig.State("H", "A"), Is.EqualTo(new[] { "H: next=H prev=H", "A: next=A prev=A" }));
    }

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

    // ---- general protection fault ----

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

    // ---- KASAN: use-after-free of a freed folio ----

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

    // ---- KASAN: stack-use-after-return ----

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
        // DataRace_PeekAtAnotherCpusStackList shows that; this test is about KASAN only.
                // CPU 1 runs LIST_HEAD(list) (two stores), then CPU 2 reads the live list, then CPU 1 finishes.
        AssertOk(rig.Run(new SwitchPointStrategy([(0, 0), (2, 1)])));
        Assert.That(rig.Log.Entries[2].Addr, Is.EqualTo(rig["S"].Addr), "step 3 is CPU 2's read of cpu1.list");
    }

    [Test]
    public void DataRace_PeekAtAnotherCpusStackList()
    {
        using var rig = new Rig([Free("A")],
            async (k, r) => await k.deferred_split_scan(r.Q1, 32),
            async (k, r) => await k.ListEmpty(r["S"]));
        AssertBug(rig.Run(new SwitchPointStrategy([(0, 0), (2, 1)])), BugKind.DataRace,
            "BUG: KCSAN: data-race in LIST_HEAD / list_empty: write to cpu1.list of 8 bytes by cpu1 at step 1, read (marked) by cpu2 at step 3" +
            DataRaceOracle.StrictOnlyNote, 2);
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

    // ---- refcount: VM_BUG_ON_PAGE, underflow, double free ----

    [Test]
    public void Refcount_FolioPutOfAZeroRefcount_IsVmBugOnPage()
    {
        using var rig = new Rig([Free("A", refs: 0)], async (k, r) => await k.folio_put(r.Folio("A")));
        var px = rig.Px(rig.Folio("A").Addr);
        var o = rig.Run();
        Assert.That(o.Verdict, Is.EqualTo(Verdict.Bug), () => $"{o.Verdict} {o.Kind}: {o.Message}");
        Assert.That(o.Kind, Is.EqualTo(BugKind.Refcount));
        Assert.That(o.Cpu, Is.EqualTo(1));
        // The kernel's text exactly; the symbol annotation is checked by the next (ignored) test.
        Assert.That(o.Message, Does.StartWith($"kernel BUG at include/linux/mm.h: VM_BUG_ON_PAGE(page_ref_count(page) == 0) page:{px} (A) [{px}="));
        Assert.That(o.Step, Is.EqualTo(1), "reported after the atomic_read, before any decrement");
        Assert.That(rig.World.Arena.Read(rig.Folio("A").Refcount.Addr, 4), Is.EqualTo(0UL));
    }

    [Test]
    public void Refcount_VmBugOnPage_AnnotatesThePagePointerWithTheFolioName()
    {
        using var rig = new Rig([Free("A", refs: 0)], async (k, r) => await k.folio_put(r.Folio("A")));
        var px = rig.Px(rig.Folio("A").Addr);
        AssertBug(rig.Run(), BugKind.Refcount,
            $"kernel BUG at include/linux/mm.h: VM_BUG_ON_PAGE(page_ref_count(page) == 0) page:{px} (A) [{px}=A]", 1);
    }

    [Test]
    public void Refcount_FolioPutOfTheLastReference_IsSilentAndFrees()
    {
        using var rig = new Rig([Free("A", refs: 1)], [Put(0)], async (k, r) => await k.folio_put(r.Folio("A")));
        AssertOk(rig.Run());
        Assert.That(LivenessOf(rig, "A"), Is.EqualTo(Liveness.Freed));
    }

    [Test]
    public void Refcount_DroppingMoreReferencesThanHeld_Underflows()
    {
        using var rig = new Rig([Free("A", refs: 1)], [Put(0)],
            async (k, r) => await k.folios_put_refs(FolioBatch.Of(r.Folio("A")), [2]));
        AssertBug(rig.Run(), BugKind.Refcount, "refcount underflow: A->_refcount is -1 after folio_ref_sub_and_test(2)", 1);
    }

    [Test]
    public void Refcount_DroppingTheReferencesHeld_IsSilent()
    {
        using var rig = new Rig([Free("A", refs: 2)], [Put(0), Put(0)],
            async (k, r) => await k.folios_put_refs(FolioBatch.Of(r.Folio("A")), [2]));
        AssertOk(rig.Run());
        Assert.That(LivenessOf(rig, "A"), Is.EqualTo(Liveness.Freed));
    }

    /// <summary>CPU 1 reads the refcount, CPU 2 reads it and decrements it to 0, CPU 1 decrements.</summary>
    static readonly (int, int)[] BothReadThenBothDecrement = [(0, 0), (1, 1), (3, 0)];

    [Test]
    public void Refcount_TwoPutsOfOneReference_UnderflowInPutTestzero()
    {
        using var rig = new Rig([Free("A", refs: 1)], [Put(0)],
            async (k, r) => await k.folio_put(r.Folio("A")),
            async (k, r) => await k.folio_put(r.Folio("A")));
        var o = rig.Run(new SwitchPointStrategy(BothReadThenBothDecrement));
        AssertBug(o, BugKind.Refcount, "refcount underflow: A->_refcount is -1 after page_ref_dec_and_test()", 1);
        Assert.That(o.Step, Is.EqualTo(4));
    }

    [Test]
    public void Refcount_TwoPutsOfTwoReferences_AreSilentUnderTheSameSchedule()
    {
        using var rig = new Rig([Free("A", refs: 2)], [Put(0), Put(0)],
            async (k, r) => await k.folio_put(r.Folio("A")),
            async (k, r) => await k.folio_put(r.Folio("A")));
        AssertOk(rig.Run(new SwitchPointStrategy(BothReadThenBothDecrement)));
        Assert.That(LivenessOf(rig, "A"), Is.EqualTo(Liveness.Freed));
    }

    [Test]
    public void Refcount_FreedWhileTheProgramsStillHoldAReference_FiresAtQuiescence()
    {
        // Nothing declared: the program's folio_put drops a reference it did not own.
        using var rig = new Rig([Free("A", refs: 1)], async (k, r) => await k.folio_put(r.Folio("A")));
        AssertBug(rig.Run(), BugKind.Refcount,
            "at quiescence: A was freed while 1 reference(s) are still held by the programs (double free / refcount underflow)", 0);
    }

    // ---- Bad page state ----

    [Test]
    public void BadPageState_FreedWhileOnADeferredList()
    {
        // Not large_rmappable: __folio_put skips folio_undo_large_rmappable and frees a queued folio.
        using var rig = new Rig([On(M1, "A")], [Put(0)], async (k, r) =>
        {
            await k.ClearFlag(r.Folio("A"), PageFlags.PG_large_rmappable);
            await k.folio_put(r.Folio("A"));
        });
        AssertBug(rig.Run(), BugKind.BadPageState,
            "BUG: Bad page state in process cpu1  pfn:01000 page dumped because: on deferred list (A)", 1);
    }

    [Test]
    public void BadPageState_FreeOfAQueuedLargeRmappableFolio_UnqueuesFirst_IsSilent()
    {
        using var rig = new Rig([On(M1, "A")], [Put(0)], async (k, r) => await k.folio_put(r.Folio("A")));
        AssertOk(rig.Run());
        Assert.That(LivenessOf(rig, "A"), Is.EqualTo(Liveness.Freed));
        Assert.That(rig.State("H"), Is.EqualTo(new[] { "H: next=H prev=H" }));
        Assert.That(rig.Len(rig.Q1), Is.EqualTo(0));
    }

    [Test]
    public void BadPageState_FreedWhileLocked()
    {
        using var rig = new Rig([Free("A", locked: true)], [Put(0)], async (k, r) => await k.folio_put(r.Folio("A")));
        AssertBug(rig.Run(), BugKind.BadPageState,
            "BUG: Bad page state in process cpu1  pfn:01000 page dumped because: PAGE_FLAGS_CHECK_AT_FREE flag(s) set (A)", 1);
    }

    [Test]
    public void BadPageState_FreedAfterUnlock_IsSilent()
    {
        using var rig = new Rig([Free("A", locked: true)], [Put(0)], async (k, r) =>
        {
            await k.folio_unlock(r.Folio("A"));
            await k.folio_put(r.Folio("A"));
        });
        AssertOk(rig.Run());
    }

    [Test]
    public void BadPageState_FreedWithANonzeroRefcount()
    {
        using var rig = new Rig([Free("A"), Free("B")], async (k, r) => await k.FreeUnrefPage(r.Folio("B")));
        AssertBug(rig.Run(), BugKind.BadPageState,
            "BUG: Bad page state in process cpu1  pfn:01010 page dumped because: nonzero _refcount (B)", 1);
    }

    [Test]
    public void BadPageState_FreedAtRefcountZero_IsSilent()
    {
        bool reachedZero = false;
        using var rig = new Rig([Free("A"), Free("B")], [Put(1)], async (k, r) =>
        {
            reachedZero = await k.FolioPutTestzero(r.Folio("B"));
            await k.FreeUnrefPage(r.Folio("B"));
        });
        AssertOk(rig.Run());
        Assert.That(reachedZero, Is.True);
        Assert.That(LivenessOf(rig, "B"), Is.EqualTo(Liveness.Freed));
    }

    [Test]
    public void BadPageState_AllocatorOracle_CatchesALinkedFolioThatFreePagesPrepareDoesNotCheck()
    {
        // free_pages_prepare() only checks the deferred list of order > 1 folios; the allocator-side
        // oracle (World.FreeFolio) catches an order-1 folio still linked on a queue.
        using var rig = new Rig([On(M1, "A", order: 1)], [Put(0)], async (k, r) => await k.folio_put(r.Folio("A")));
        AssertBug(rig.Run(), BugKind.BadPageState,
            "BUG: Bad page state in process cpu1  pfn:01000 page dumped because: on deferred list (A) (A->_deferred_list.next = memcg1.queue)", 1);
    }

    // ---- wrong lock ----

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

    // ---- accounting at quiescence ----

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

    // ---- deadlock ----

    static Func<TestKernel, Rig, Sim> TakeBoth(bool memcg1First) => async (k, r) =>
    {
        var (first, second) = memcg1First ? (r.Q1, r.Q2) : (r.Q2, r.Q1);
        await k.Lock(first);
        await k.Lock(second);
        await k.Unlock(second);
        await k.Unlock(first);
    };

    [Test]
    public void Deadlock_OppositeLockOrder_InterleavedAfterTheFirstLocks_Fires()
    {
        using var rig = new Rig([Free("A")], TakeBoth(true), TakeBoth(false));
        var o = rig.Run(new SwitchPointStrategy([(0, 0), (1, 1)]));
        AssertBug(o, BugKind.Deadlock,
            "deadlock: every CPU that has not finished is blocked (CPU 1 waits for memcg2.split_queue_lock, CPU 2 waits for memcg1.split_queue_lock)", 0);
        Assert.That(o.Step, Is.EqualTo(4));
    }

    [Test]
    public void Deadlock_SameLockOrder_UnderTheSameSchedule_IsSilent()
    {
        using var rig = new Rig([Free("A")], TakeBoth(true), TakeBoth(true));
        AssertOk(rig.Run(new SwitchPointStrategy([(0, 0), (1, 1)])));
    }

    [Test]
    public void Deadlock_RandomSchedules_OnlyTheOppositeOrderDeadlocks()
    {
        using var opposite = new Rig([Free("A")], TakeBoth(true), TakeBoth(false));
        using var same = new Rig([Free("A")], TakeBoth(true), TakeBoth(true));
        var rs1 = new RandomStrategy(5);
        var rs2 = new RandomStrategy(5);
        int deadlocks = 0;
        for (int i = 0; i < 200; i++)
        {
            var o = opposite.Run(rs1);
            Assert.That(o.Kind, Is.AnyOf(BugKind.None, BugKind.Deadlock));
            if (o.Kind == BugKind.Deadlock)
                deadlocks++;
            AssertOk(same.Run(rs2));
        }
        Assert.That(deadlocks, Is.InRange(1, 199));
    }

    // ---- livelock (step bound) ----

    static Func<TestKernel, Rig, Sim> WalkQueue(bool makeCycle) => async (k, r) =>
    {
        await k.Lock(r.Q1);
        if (makeCycle)
            await k.Poke(r["B"].Next, r["A"]);     // A -> B -> A: the walk never returns to H
        for (var f = await k.ListFirstEntry(r["H"]); f.DeferredList != r["H"]; f = await k.ListNextEntry(f))
        {
        }
        await k.Unlock(r.Q1);
    };

    [Test]
    public void Livelock_WalkOfACyclicList_HitsTheStepBound()
    {
        using var rig = new Rig([On(M1, "A"), On(M1, "B")], WalkQueue(makeCycle: true));
        rig.Machine.MaxSteps = 1000;
        var o = rig.Run();
        AssertBug(o, BugKind.Livelock,
            "step bound 1000 exceeded: probably a CPU walking a cyclic corrupted list or spinning without progress (CPU 1 in list_next_entry)", 0);
        Assert.That(o.Step, Is.EqualTo(1000));
    }

    [Test]
    public void Livelock_WalkOfAnIntactList_IsSilent()
    {
        using var rig = new Rig([On(M1, "A"), On(M1, "B")], WalkQueue(makeCycle: false));
        rig.Machine.MaxSteps = 1000;
        var o = rig.Run();
        AssertOk(o);
        Assert.That(o.Step, Is.EqualTo(5), "lock, three reads, unlock");
    }

    // ---- lock misuse ----

    [Test]
    public void LockMisuse_UnlockOfALockNotHeld_Fires()
    {
        using var rig = new Rig([Free("A")], async (k, r) => await k.Unlock(r.Q1));
        AssertBug(rig.Run(), BugKind.LockMisuse, "BUG: spinlock wrong CPU on CPU#1: memcg1.split_queue_lock is not held by this CPU", 1);
    }

    [Test]
    public void LockMisuse_UnlockOfALockHeldByAnotherCpu_Fires()
    {
        using var rig = new Rig([Free("A")],
            async (k, r) =>
            {
                await k.Lock(r.Q1);
                await k.Unlock(r.Q1);
            },
            async (k, r) => await k.Unlock(r.Q1));
        AssertBug(rig.Run(new SwitchPointStrategy([(0, 0), (1, 1)])), BugKind.LockMisuse,
            "BUG: spinlock wrong CPU on CPU#2: memcg1.split_queue_lock is not held by this CPU", 2);
    }

    [Test]
    public void LockMisuse_ReturningWithALockHeld_Fires()
    {
        using var rig = new Rig([Free("A")], async (k, r) => await k.Lock(r.Q1));
        AssertBug(rig.Run(), BugKind.LockMisuse, "BUG: lock held when returning to user space! CPU 1 still holds memcg1.split_queue_lock", 1);
    }

    [Test]
    public void LockMisuse_FolioUnlockOfAnUnlockedFolio_Fires()
    {
        using var rig = new Rig([Free("A")], async (k, r) => await k.folio_unlock(r.Folio("A")));
        AssertBug(rig.Run(), BugKind.LockMisuse, "kernel BUG at mm/filemap.c: VM_BUG_ON_FOLIO(!folio_test_locked(folio)) (A)", 1);
    }

    [Test]
    public void LockMisuse_BalancedSpinAndFolioLocks_AreSilent()
    {
        using var rig = new Rig([Free("A")],
            async (k, r) =>
            {
                await k.Lock(r.Q1);
                await k.Unlock(r.Q1);
                await k.folio_lock(r.Folio("A"));
                await k.folio_unlock(r.Folio("A"));
            },
            async (k, r) =>
            {
                await k.folio_lock(r.Folio("A"));
                await k.folio_unlock(r.Folio("A"));
                await k.Lock(r.Q1);
                await k.Unlock(r.Q1);
            });
        AssertOk(rig.Run(new SwitchPointStrategy([(0, 0), (1, 1)])));
        AssertOk(rig.Run(RunFirst(1)));
    }

    // ---- harness errors ----

    static void AssertHarnessError(Outcome o, string contains)
    {
        Assert.That(o.Verdict, Is.EqualTo(Verdict.HarnessError), () => $"{o.Verdict} {o.Kind}: {o.Message}");
        Assert.That(o.Kind, Is.EqualTo(BugKind.None));
        Assert.That(o.IsBug, Is.False);
        Assert.That(o.Message, Does.StartWith("simulator exception (a bug of MmFuzz, not of the kernel): "));
        Assert.That(o.Message, Does.Contain(contains));
    }

    [Test]
    public void HarnessError_APortThrowing_IsNotAKernelBug_AndTheWorldRunsAgain()
    {
        bool broken = true;
        using var rig = new Rig([Free("A")], async (k, r) =>
        {
            if (broken)
                await k.ThrowingPort(r.Folio("A"));
            else
                await k.RecursivePort(r.Folio("A"), 0);
        });
        var o = rig.Run();
        AssertHarnessError(o, "System.InvalidOperationException: port bug");
        Assert.That(o.Step, Is.EqualTo(1));
        broken = false;
        AssertOk(rig.Run());
    }

    [Test]
    public void HarnessError_AnExceptionOnOneCpuWhileAnotherHoldsALock()
    {
        using var rig = new Rig([Free("A")],
            async (k, r) =>
            {
                await k.Lock(r.Q1);
                await k.Unlock(r.Q1);
            },
            async (k, r) => await k.ThrowingPort(r.Folio("A")));
        AssertHarnessError(rig.Run(new SwitchPointStrategy([(0, 0), (1, 1)])), "port bug");
    }

    [Test]
    public void HarnessError_APortStoppingWithoutAReport()
    {
        using var rig = new Rig([Free("A")], async (k, r) => await k.SilentHaltPort(r.Folio("A")));
        AssertHarnessError(rig.Run(), "CPU 1 suspended without announcing an access");
    }

    [Test]
    public void HarnessError_ACallStackDeeperThanTheCpuKeeps()
    {
        using var rig = new Rig([Free("A")], async (k, r) => await k.RecursivePort(r.Folio("A"), 40));
        AssertHarnessError(rig.Run(), "CPU 1: call stack deeper than 32");
    }

    [Test]
    public void HarnessError_ADeepButBoundedCallStack_IsSilent()
    {
        using var rig = new Rig([Free("A")], async (k, r) => await k.RecursivePort(r.Folio("A"), 30));
        AssertOk(rig.Run());
    }
}
