using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using NUnit.Framework;
using static MmFuzz.Tests.Rig;

namespace MmFuzz.Tests;

/// <summary>
/// Each list primitive (include/linux/list.h, v6.9) against hand-worked pointer states, with the
/// kernel's order of loads and stores, and every CONFIG_DEBUG_LIST message of lib/list_debug.c
/// (v6.9) with the kernel's check order. Expected states and messages are written by hand here;
/// only addresses are taken from the world (<c>%px</c>).
/// </summary>
/// <remarks>
/// States are written <c>"X: next=Y prev=Z"</c>: H is memcg1's queue head, H2 memcg2's, A..E the
/// folios' <c>_deferred_list</c>; P1/P2 are LIST_POISON1/2. Accesses are <c>ld</c>/<c>st</c> (plain),
/// <c>ld!</c> (READ_ONCE) and <c>st!</c> (WRITE_ONCE). Entries linked on a queue are only touched
/// with the queue's lock held, and every test that runs to the end leaves a state the quiescence
/// checks accept (each queue's split_queue_len matches its list).
/// </remarks>
[TestFixture, Category("quick")]
public class ListTests
{
    const QueueId M1 = QueueId.Memcg1;
    const QueueId M2 = QueueId.Memcg2;

    static void AssertOk(Outcome o) =>
        Assert.That(o.Verdict, Is.EqualTo(Verdict.Ok), () => $"{o.Kind}: {o.Message}");

    // ---- the initial state the tests start from ----

    [Test]
    public void Boot_LinksQueuedFoliosWithListAddTailInDeclarationOrder()
    {
        using var rig = new Rig([On(M1, "A"), On(M1, "B"), Free("C")], (k, r) => default);
        Assert.That(rig.State("H", "A", "B", "C", "H2"), Is.EqualTo(new[]
        {
            "H: next=A prev=B",
            "A: next=B prev=H",
            "B: next=H prev=A",
            "C: next=C prev=C",
            "H2: next=H2 prev=H2",
        }));
        Assert.That(rig.Len(rig.Q1), Is.EqualTo(2));
        AssertOk(rig.Run());
        Assert.That(rig.Log.Entries, Is.Empty);
    }

    // ---- INIT_LIST_HEAD ----

    [Test]
    public void InitListHead_WritesNextThenPrev_BothWriteOnce()
    {
        using var rig = new Rig([Free("C")], async (k, r) =>
        {
            await k.Poke(r["C"].Next, Poison.LIST_POISON1);
            await k.Poke(r["C"].Prev, Poison.LIST_POISON2);
            r.Mark();
            await k.InitListHead(r["C"]);
            r.Mark();
        });
        AssertOk(rig.Run());
        Assert.That(rig.MarkedAccesses(), Is.EqualTo(new[] { "st! C.next=C", "st! C.prev=C" }));
        Assert.That(rig.State("C"), Is.EqualTo(new[] { "C: next=C prev=C" }));
    }

    // ---- list_add / list_add_tail ----

    [Test]
    public void ListAdd_InsertsRightAfterTheHead()
    {
        using var rig = new Rig([On(M1, "A"), On(M1, "B"), Free("C")], async (k, r) =>
        {
            await k.Lock(r.Q1);
            r.Mark();
            await k.ListAdd(r["C"], r["H"]);
            r.Mark();
            await k.Poke(r.Q1.Len, 3UL);
            await k.Unlock(r.Q1);
        });
        AssertOk(rig.Run());
        // list_add: next = head->next; __list_add_valid: next->prev, prev->next;
        // __list_add: next->prev = new; new->next = next; new->prev = prev; WRITE_ONCE(prev->next, new).
        Assert.That(rig.MarkedAccesses(), Is.EqualTo(new[]
        {
            "ld H.next", "ld A.prev", "ld H.next",
            "st A.prev=C", "st C.next=A", "st C.prev=H", "st! H.next=C",
        }));
        Assert.That(rig.State("H", "C", "A", "B"), Is.EqualTo(new[]
        {
            "H: next=C prev=B",
            "C: next=A prev=H",
            "A: next=B prev=C",
            "B: next=H prev=A",
        }));
    }

    [Test]
    public void ListAdd_ToAnEmptyList()
    {
        using var rig = new Rig([Free("A")], async (k, r) =>
        {
            await k.Lock(r.Q1);
            r.Mark();
            await k.ListAdd(r["A"], r["H"]);
            r.Mark();
            await k.Poke(r.Q1.Len, 1UL);
            await k.Unlock(r.Q1);
        });
        AssertOk(rig.Run());
        Assert.That(rig.MarkedAccesses(), Is.EqualTo(new[]
        {
            "ld H.next", "ld H.prev", "ld H.next",
            "st H.prev=A", "st A.next=H", "st A.prev=H", "st! H.next=A",
        }));
        Assert.That(rig.State("H", "A"), Is.EqualTo(new[] { "H: next=A prev=A", "A: next=H prev=H" }));
    }

    [Test]
    public void ListAddTail_InsertsRightBeforeTheHead()
    {
        using var rig = new Rig([On(M1, "A"), On(M1, "B"), Free("C")], async (k, r) =>
        {
            await k.Lock(r.Q1);
            r.Mark();
            await k.ListAddTail(r["C"], r["H"]);
            r.Mark();
            await k.Poke(r.Q1.Len, 3UL);
            await k.Unlock(r.Q1);
        });
        AssertOk(rig.Run());
        // list_add_tail: prev = head->prev; then __list_add(new, prev, head).
        Assert.That(rig.MarkedAccesses(), Is.EqualTo(new[]
        {
            "ld H.prev", "ld H.prev", "ld B.next",
            "st H.prev=C", "st C.next=H", "st C.prev=B", "st! B.next=C",
        }));
        Assert.That(rig.State("H", "A", "B", "C"), Is.EqualTo(new[]
        {
            "H: next=A prev=C",
            "A: next=B prev=H",
            "B: next=C prev=A",
            "C: next=H prev=B",
        }));
    }

    // ---- list_del / list_del_init ----

    [Test]
    public void ListDel_UnlinksNextPrevThenPrevNext_AndPoisonsTheEntry()
    {
        string[]? afterDel = null;
        using var rig = new Rig([On(M1, "A"), On(M1, "B")], async (k, r) =>
        {
            await k.Lock(r.Q1);
            r.Mark();
            await k.ListDel(r["A"]);
            r.Mark();
            afterDel = r.State("H", "A", "B");
            await k.InitListHead(r["A"]);       // a live folio must not stay poisoned at quiescence
            await k.Poke(r.Q1.Len, 1UL);
            await k.Unlock(r.Q1);
        });
        AssertOk(rig.Run());
        // __list_del_entry_valid: entry->prev, entry->next, prev->next, next->prev; __list_del_entry
        // reads entry->prev and entry->next again; __list_del: next->prev = prev; WRITE_ONCE(prev->next, next);
        // list_del: entry->next = LIST_POISON1; entry->prev = LIST_POISON2.
        Assert.That(rig.MarkedAccesses(), Is.EqualTo(new[]
        {
            "ld A.prev", "ld A.next", "ld H.next", "ld B.prev", "ld A.prev", "ld A.next",
            "st B.prev=H", "st! H.next=B", "st A.next=P1", "st A.prev=P2",
        }));
        Assert.That(afterDel, Is.EqualTo(new[]
        {
            "H: next=B prev=B",
            "A: next=P1 prev=P2",
            "B: next=H prev=H",
        }));
        Assert.That(rig.State("A"), Is.EqualTo(new[] { "A: next=A prev=A" }));
    }

    [Test]
    public void ListDelInit_UnlinksFromTheMiddle_AndSelfLinksNextThenPrev()
    {
        using var rig = new Rig([On(M1, "A"), On(M1, "B"), On(M1, "C")], async (k, r) =>
        {
            await k.Lock(r.Q1);
            r.Mark();
            await k.ListDelInit(r["B"]);
            r.Mark();
            await k.Poke(r.Q1.Len, 2UL);
            await k.Unlock(r.Q1);
        });
        AssertOk(rig.Run());
        Assert.That(rig.MarkedAccesses(), Is.EqualTo(new[]
        {
            "ld B.prev", "ld B.next", "ld A.next", "ld C.prev", "ld B.prev", "ld B.next",
            "st C.prev=A", "st! A.next=C", "st! B.next=B", "st! B.prev=B",
        }));
        Assert.That(rig.State("H", "A", "B", "C"), Is.EqualTo(new[]
        {
            "H: next=A prev=C",
            "A: next=C prev=H",
            "B: next=B prev=B",
            "C: next=H prev=A",
        }));
    }

    [Test]
    public void ListDelInit_OfTheOnlyEntry_LeavesTheHeadEmpty()
    {
        using var rig = new Rig([On(M1, "A")], async (k, r) =>
        {
            await k.Lock(r.Q1);
            r.Mark();
            await k.ListDelInit(r["A"]);
            r.Mark();
            await k.Poke(r.Q1.Len, 0UL);
            await k.Unlock(r.Q1);
        });
        AssertOk(rig.Run());
        Assert.That(rig.MarkedAccesses(), Is.EqualTo(new[]
        {
            "ld A.prev", "ld A.next", "ld H.next", "ld H.prev", "ld A.prev", "ld A.next",
            "st H.prev=H", "st! H.next=H", "st! A.next=A", "st! A.prev=A",
        }));
        Assert.That(rig.State("H", "A"), Is.EqualTo(new[] { "H: next=H prev=H", "A: next=A prev=A" }));
    }

    // ---- list_move / list_move_tail ----

    [Test]
    public void ListMove_UnlinksWithoutPoisonAndAddsAtTheFrontOfTheOtherList()
    {
        using var rig = new Rig([On(M1, "A"), On(M1, "B"), On(M1, "C"), On(M2, "D")], async (k, r) =>
        {
            await k.Lock(r.Q1);
            await k.Lock(r.Q2);
            r.Mark();
            await k.ListMove(r["B"], r["H2"]);
            r.Mark();
            await k.Poke(r.Q1.Len, 2UL);
            await k.Poke(r.Q2.Len, 2UL);
            await k.Unlock(r.Q2);
            await k.Unlock(r.Q1);
        });
        AssertOk(rig.Run());
        Assert.That(rig.MarkedAccesses(), Is.EqualTo(new[]
        {
            "ld B.prev", "ld B.next", "ld A.next", "ld C.prev", "ld B.prev", "ld B.next",
            "st C.prev=A", "st! A.next=C",
            "ld H2.next", "ld D.prev", "ld H2.next",
            "st D.prev=B", "st B.next=D", "st B.prev=H2", "st! H2.next=B",
        }));
        Assert.That(rig.State("H", "A", "C", "H2", "B", "D"), Is.EqualTo(new[]
        {
            "H: next=A prev=C",
            "A: next=C prev=H",
            "C: next=H prev=A",
            "H2: next=B prev=D",
            "B: next=D prev=H2",
            "D: next=H2 prev=B",
        }));
    }

    [Test]
    public void ListMove_WithinOneList_BringsTheEntryToTheFront()
    {
        using var rig = new Rig([On(M1, "A"), On(M1, "B"), On(M1, "C")], async (k, r) =>
        {
            await k.Lock(r.Q1);
            await k.ListMove(r["C"], r["H"]);
            await k.Unlock(r.Q1);
        });
        AssertOk(rig.Run());
        Assert.That(rig.State("H", "C", "A", "B"), Is.EqualTo(new[]
        {
            "H: next=C prev=B",
            "C: next=A prev=H",
            "A: next=B prev=C",
            "B: next=H prev=A",
        }));
    }

    [Test]
    public void ListMoveTail_UnlinksAndAddsAtTheTailOfTheOtherList()
    {
        using var rig = new Rig([On(M1, "A"), On(M1, "B"), On(M1, "C"), On(M2, "D")], async (k, r) =>
        {
            await k.Lock(r.Q1);
            await k.Lock(r.Q2);
            r.Mark();
            await k.ListMoveTail(r["B"], r["H2"]);
            r.Mark();
            await k.Poke(r.Q1.Len, 2UL);
            await k.Poke(r.Q2.Len, 2UL);
            await k.Unlock(r.Q2);
            await k.Unlock(r.Q1);
        });
        AssertOk(rig.Run());
        Assert.That(rig.MarkedAccesses(), Is.EqualTo(new[]
        {
            "ld B.prev", "ld B.next", "ld A.next", "ld C.prev", "ld B.prev", "ld B.next",
            "st C.prev=A", "st! A.next=C",
            "ld H2.prev", "ld H2.prev", "ld D.next",
            "st H2.prev=B", "st B.next=H2", "st B.prev=D", "st! D.next=B",
        }));
        Assert.That(rig.State("H", "A", "C", "H2", "D", "B"), Is.EqualTo(new[]
        {
            "H: next=A prev=C",
            "A: next=C prev=H",
            "C: next=H prev=A",
            "H2: next=D prev=B",
            "D: next=B prev=H2",
            "B: next=H2 prev=D",
        }));
    }

    // ---- list_splice_tail ----

    [Test]
    public void ListSpliceTail_JoinsBeforeTheHead_AndLeavesTheSourceHeadStale()
    {
        string[]? afterSplice = null;
        using var rig = new Rig([On(M1, "A"), On(M1, "B"), On(M2, "C"), On(M2, "D")], async (k, r) =>
        {
            await k.Lock(r.Q1);
            await k.Lock(r.Q2);
            r.Mark();
            await k.ListSpliceTail(r["H2"], r["H"]);
            r.Mark();
            afterSplice = r.State("H", "A", "B", "C", "D", "H2");
            await k.InitListHead(r["H2"]);      // list_splice_tail does not reinitialise the source
            await k.Poke(r.Q1.Len, 4UL);
            await k.Poke(r.Q2.Len, 0UL);
            await k.Unlock(r.Q2);
            await k.Unlock(r.Q1);
        });
        AssertOk(rig.Run());
        // list_empty(list) (READ_ONCE), head->prev, first = list->next, last = list->prev;
        // first->prev = prev; prev->next = first; last->next = next; next->prev = last.
        Assert.That(rig.MarkedAccesses(), Is.EqualTo(new[]
        {
            "ld! H2.next", "ld H.prev", "ld H2.next", "ld H2.prev",
            "st C.prev=B", "st B.next=C", "st D.next=H", "st H.prev=D",
        }));
        Assert.That(afterSplice, Is.EqualTo(new[]
        {
            "H: next=A prev=D",
            "A: next=B prev=H",
            "B: next=C prev=A",
            "C: next=D prev=B",
            "D: next=H prev=C",
            "H2: next=C prev=D",
        }));
        Assert.That(rig.State("H2"), Is.EqualTo(new[] { "H2: next=H2 prev=H2" }));
    }

    [Test]
    public void ListSpliceTail_OfAnEmptyList_OnlyReadsItsNext()
    {
        using var rig = new Rig([On(M1, "A")], async (k, r) =>
        {
            await k.Lock(r.Q1);
            r.Mark();
            await k.ListSpliceTail(r["H2"], r["H"]);
            r.Mark();
            await k.Unlock(r.Q1);
        });
        AssertOk(rig.Run());
        Assert.That(rig.MarkedAccesses(), Is.EqualTo(new[] { "ld! H2.next" }));
        Assert.That(rig.State("H", "A", "H2"), Is.EqualTo(new[] { "H: next=A prev=A", "A: next=H prev=H", "H2: next=H2 prev=H2" }));
    }

    // ---- list_empty, list_first_entry, list_next_entry ----

    [Test]
    public void ListEmpty_ReadsNextOnceWithReadOnce()
    {
        var seen = new List<bool>();
        using var rig = new Rig([On(M1, "A"), Free("C")], async (k, r) =>
        {
            r.Mark();
            seen.Add(await k.ListEmpty(r["H"]));
            seen.Add(await k.ListEmpty(r["H2"]));
            seen.Add(await k.ListEmpty(r["A"]));
            seen.Add(await k.ListEmpty(r["C"]));
            r.Mark();
        });
        AssertOk(rig.Run());
        Assert.That(seen, Is.EqualTo(new[] { false, true, false, true }));
        Assert.That(rig.MarkedAccesses(), Is.EqualTo(new[] { "ld! H.next", "ld! H2.next", "ld! A.next", "ld! C.next" }));
    }

    [Test]
    public void FirstAndNextEntry_WalkTheQueueInOrderAndEndAtTheHeadsContainer()
    {
        var walked = new List<nint>();
        using var rig = new Rig([On(M1, "A"), On(M1, "B"), On(M1, "C")], async (k, r) =>
        {
            r.Mark();
            var head = r["H"];
            for (var f = await k.ListFirstEntry(head); ; f = await k.ListNextEntry(f))
            {
                walked.Add(f.Addr);
                if (f.DeferredList == head)
                    break;
            }
            r.Mark();
        });
        AssertOk(rig.Run());
        var h = rig["H"].Addr;
        Assert.That(walked, Is.EqualTo(new[]
        {
            rig.Folio("A").Addr, rig.Folio("B").Addr, rig.Folio("C").Addr, h - Offsets.FolioDeferredList,
        }));
        Assert.That((long)(rig.Folio("A").DeferredList.Addr - rig.Folio("A").Addr), Is.EqualTo(32L), "container_of(_deferred_list)");
        Assert.That(rig.MarkedAccesses(), Is.EqualTo(new[] { "ld H.next", "ld A.next", "ld B.next", "ld C.next" }));
    }

    // ---- CONFIG_DEBUG_LIST: list_add (__list_add_valid_or_report) ----

    // The corrupted states are built with raw stores on folios that are on no queue (no lock needed);
    // the BUG stops the execution, so the quiescence checks do not run.

    static Outcome Corrupt(Rig rig) => rig.Run();

    static void AssertListCorruption(Outcome o, string message, int cpu = 1)
    {
        Assert.That(o.Verdict, Is.EqualTo(Verdict.Bug), () => $"{o.Verdict} {o.Kind}: {o.Message}");
        Assert.That(o.Kind, Is.EqualTo(BugKind.ListCorruption));
        Assert.That(o.Message, Is.EqualTo(message));
        Assert.That(o.Cpu, Is.EqualTo(cpu));
    }

    [Test]
    public void ListAddTail_HeadPrevNull_ReportsPrevIsNull_AndStoresNothing()
    {
        using var rig = new Rig([Free("A"), Free("C")], async (k, r) =>
        {
            await k.Poke(r["A"].Prev, ListPtr.Null);
            await k.ListAddTail(r["C"], r["A"]);
        });
        var o = Corrupt(rig);
        AssertListCorruption(o, "list_add corruption. prev is NULL.");
        Assert.That(o.Step, Is.EqualTo(2), "the raw store, then list_add_tail's read of head->prev");
        Assert.That(rig.State("A", "C"), Is.EqualTo(new[] { "A: next=A prev=NULL", "C: next=C prev=C" }));
    }

    [Test]
    public void ListAdd_HeadNextNull_ReportsNextIsNull()
    {
        using var rig = new Rig([Free("A"), Free("C")], async (k, r) =>
        {
            await k.Poke(r["A"].Next, ListPtr.Null);
            await k.ListAdd(r["C"], r["A"]);
        });
        AssertListCorruption(Corrupt(rig), "list_add corruption. next is NULL.");
        Assert.That(rig.State("A", "C"), Is.EqualTo(new[] { "A: next=NULL prev=A", "C: next=C prev=C" }));
    }

    [Test]
    public void ListAdd_NextPrevNotPrev_ReportsNextPrevShouldBePrev()
    {
        // A <-> B ring, but B.prev was overwritten with D.
        using var rig = new Rig([Free("A"), Free("B"), Free("C"), Free("D")], async (k, r) =>
        {
            await k.Poke(r["A"].Next, r["B"]);
            await k.Poke(r["A"].Prev, r["B"]);
            await k.Poke(r["B"].Next, r["A"]);
            await k.Poke(r["B"].Prev, r["D"]);
            await k.ListAdd(r["C"], r["A"]);
        });
        AssertListCorruption(Corrupt(rig),
            $"list_add corruption. next->prev should be prev ({rig.Px(rig["A"])}), but was {rig.Px(rig["D"])}. (next={rig.Px(rig["B"])})." +
            $" [{rig.Px(rig["A"])}=A, {rig.Px(rig["D"])}=D, {rig.Px(rig["B"])}=B]");
    }

    [Test]
    public void ListAddTail_PrevNextNotNext_ReportsPrevNextShouldBeNext()
    {
        // A <-> B ring, but B.next was overwritten with D.
        using var rig = new Rig([Free("A"), Free("B"), Free("C"), Free("D")], async (k, r) =>
        {
            await k.Poke(r["A"].Next, r["B"]);
            await k.Poke(r["A"].Prev, r["B"]);
            await k.Poke(r["B"].Next, r["D"]);
            await k.Poke(r["B"].Prev, r["A"]);
            await k.ListAddTail(r["C"], r["A"]);
        });
        AssertListCorruption(Corrupt(rig),
            $"list_add corruption. prev->next should be next ({rig.Px(rig["A"])}), but was {rig.Px(rig["D"])}. (prev={rig.Px(rig["B"])})." +
            $" [{rig.Px(rig["A"])}=A, {rig.Px(rig["D"])}=D, {rig.Px(rig["B"])}=B]");
    }

    [Test]
    public void ListAdd_OfTheFirstEntryAgain_ReportsDoubleAdd()
    {
        using var rig = new Rig([On(M1, "A")], async (k, r) =>
        {
            await k.Lock(r.Q1);
            await k.ListAdd(r["A"], r["H"]);
        });
        var o = Corrupt(rig);
        AssertListCorruption(o,
            $"list_add double add: new={rig.Px(rig["A"])}, prev={rig.Px(rig["H"])}, next={rig.Px(rig["A"])}." +
            $" [{rig.Px(rig["A"])}=A, {rig.Px(rig["H"])}=memcg1.queue]");
        Assert.That(rig.State("H", "A"), Is.EqualTo(new[] { "H: next=A prev=A", "A: next=H prev=H" }), "nothing written");
    }

    [Test]
    public void ListAddTail_OfTheLastEntryAgain_ReportsDoubleAdd()
    {
        using var rig = new Rig([Free("A"), Free("B")], async (k, r) =>
        {
            await k.Poke(r["A"].Next, r["B"]);
            await k.Poke(r["A"].Prev, r["B"]);
            await k.Poke(r["B"].Next, r["A"]);
            await k.Poke(r["B"].Prev, r["A"]);
            await k.ListAddTail(r["B"], r["A"]);
        });
        AssertListCorruption(Corrupt(rig),
            $"list_add double add: new={rig.Px(rig["B"])}, prev={rig.Px(rig["B"])}, next={rig.Px(rig["A"])}." +
            $" [{rig.Px(rig["B"])}=B, {rig.Px(rig["A"])}=A]");
    }

    [Test]
    public void ListAddValid_PrevAndNextNull_ReportsPrevFirst()
    {
        using var rig = new Rig([Free("C")], async (k, r) => await k.ListAddValid(r["C"], ListPtr.Null, ListPtr.Null));
        var o = Corrupt(rig);
        AssertListCorruption(o, "list_add corruption. prev is NULL.");
        Assert.That(o.Step, Is.EqualTo(0), "the NULL checks read nothing");
    }

    [Test]
    public void ListAdd_BothNeighbourLinksWrong_ReportsNextPrevFirst()
    {
        // __list_add_valid(C, prev = A, next = B) with A.next = D (not B) and B.prev = D (not A).
        using var rig = new Rig([Free("A"), Free("B"), Free("C"), Free("D")], async (k, r) =>
        {
            await k.Poke(r["A"].Next, r["D"]);
            await k.Poke(r["B"].Prev, r["D"]);
            await k.ListAddValid(r["C"], r["A"], r["B"]);
        });
        AssertListCorruption(Corrupt(rig),
            $"list_add corruption. next->prev should be prev ({rig.Px(rig["A"])}), but was {rig.Px(rig["D"])}. (next={rig.Px(rig["B"])})." +
            $" [{rig.Px(rig["A"])}=A, {rig.Px(rig["D"])}=D, {rig.Px(rig["B"])}=B]");
    }

    [Test]
    public void ListAdd_CorruptAndDoubleAdd_ReportsTheCorruptionFirst()
    {
        // new == next (a double add), and next->prev is wrong as well.
        using var rig = new Rig([Free("A"), Free("B"), Free("D")], async (k, r) =>
        {
            await k.Poke(r["A"].Next, r["B"]);
            await k.Poke(r["B"].Prev, r["D"]);
            await k.ListAdd(r["B"], r["A"]);
        });
        AssertListCorruption(Corrupt(rig),
            $"list_add corruption. next->prev should be prev ({rig.Px(rig["A"])}), but was {rig.Px(rig["D"])}. (next={rig.Px(rig["B"])})." +
            $" [{rig.Px(rig["A"])}=A, {rig.Px(rig["D"])}=D, {rig.Px(rig["B"])}=B]");
    }

    // ---- CONFIG_DEBUG_LIST: list_del (__list_del_entry_valid_or_report) ----

    [Test]
    public void ListDel_NextNull_ReportsNextIsNull_AfterReadingPrevThenNext()
    {
        using var rig = new Rig([Free("A")], async (k, r) =>
        {
            await k.Poke(r["A"].Next, ListPtr.Null);
            r.Mark();
            await k.ListDel(r["A"]);
        });
        var o = Corrupt(rig);
        AssertListCorruption(o, $"list_del corruption, {rig.Px(rig["A"])}->next is NULL [{rig.Px(rig["A"])}=A]");
        Assert.That(rig.Accesses(rig.Marks[0], o.Step), Is.EqualTo(new[] { "ld A.prev", "ld A.next" }));
        Assert.That(rig.State("A"), Is.EqualTo(new[] { "A: next=NULL prev=A" }), "no poison written after the BUG");
    }

    [Test]
    public void ListDel_PrevNull_ReportsPrevIsNull()
    {
        using var rig = new Rig([Free("A")], async (k, r) =>
        {
            await k.Poke(r["A"].Prev, ListPtr.Null);
            await k.ListDel(r["A"]);
        });
        AssertListCorruption(Corrupt(rig), $"list_del corruption, {rig.Px(rig["A"])}->prev is NULL [{rig.Px(rig["A"])}=A]");
    }

    [Test]
    public void ListDel_Twice_ReportsNextIsListPoison1()
    {
        using var rig = new Rig([Free("A")], async (k, r) =>
        {
            await k.ListDel(r["A"]);
            await k.ListDel(r["A"]);
        });
        AssertListCorruption(Corrupt(rig),
            $"list_del corruption, {rig.Px(rig["A"])}->next is LIST_POISON1 (dead000000000100) [{rig.Px(rig["A"])}=A]");
        Assert.That(rig.State("A"), Is.EqualTo(new[] { "A: next=P1 prev=P2" }));
    }

    [Test]
    public void ListDel_PrevPoison2_ReportsPrevIsListPoison2()
    {
        using var rig = new Rig([Free("A")], async (k, r) =>
        {
            await k.Poke(r["A"].Prev, Poison.LIST_POISON2);
            await k.ListDel(r["A"]);
        });
        AssertListCorruption(Corrupt(rig),
            $"list_del corruption, {rig.Px(rig["A"])}->prev is LIST_POISON2 (dead000000000122) [{rig.Px(rig["A"])}=A]");
    }

    [Test]
    public void ListDel_PrevNextNotEntry_ReportsPrevNextShouldBeEntry()
    {
        // A <-> B ring, but B.next was overwritten with C.
        using var rig = new Rig([Free("A"), Free("B"), Free("C")], async (k, r) =>
        {
            await k.Poke(r["A"].Next, r["B"]);
            await k.Poke(r["A"].Prev, r["B"]);
            await k.Poke(r["B"].Next, r["C"]);
            await k.Poke(r["B"].Prev, r["A"]);
            await k.ListDel(r["A"]);
        });
        AssertListCorruption(Corrupt(rig),
            $"list_del corruption. prev->next should be {rig.Px(rig["A"])}, but was {rig.Px(rig["C"])}. (prev={rig.Px(rig["B"])})" +
            $" [{rig.Px(rig["A"])}=A, {rig.Px(rig["C"])}=C, {rig.Px(rig["B"])}=B]");
    }

    [Test]
    public void ListDelInit_NextPrevNotEntry_ReportsNextPrevShouldBeEntry()
    {
        // A <-> B ring, but B.prev was overwritten with C.
        using var rig = new Rig([Free("A"), Free("B"), Free("C")], async (k, r) =>
        {
            await k.Poke(r["A"].Next, r["B"]);
            await k.Poke(r["A"].Prev, r["B"]);
            await k.Poke(r["B"].Next, r["A"]);
            await k.Poke(r["B"].Prev, r["C"]);
            await k.ListDelInit(r["A"]);
        });
        AssertListCorruption(Corrupt(rig),
            $"list_del corruption. next->prev should be {rig.Px(rig["A"])}, but was {rig.Px(rig["C"])}. (next={rig.Px(rig["B"])})" +
            $" [{rig.Px(rig["A"])}=A, {rig.Px(rig["C"])}=C, {rig.Px(rig["B"])}=B]");
    }

    [Test]
    public void ListDel_NextAndPrevNull_ReportsNextFirst()
    {
        using var rig = new Rig([Free("A")], async (k, r) =>
        {
            await k.Poke(r["A"].Next, ListPtr.Null);
            await k.Poke(r["A"].Prev, ListPtr.Null);
            await k.ListDel(r["A"]);
        });
        AssertListCorruption(Corrupt(rig), $"list_del corruption, {rig.Px(rig["A"])}->next is NULL [{rig.Px(rig["A"])}=A]");
    }

    [Test]
    public void ListDel_PrevNullAndNextPoison1_ReportsPrevNullFirst()
    {
        using var rig = new Rig([Free("A")], async (k, r) =>
        {
            await k.Poke(r["A"].Next, Poison.LIST_POISON1);
            await k.Poke(r["A"].Prev, ListPtr.Null);
            await k.ListDel(r["A"]);
        });
        AssertListCorruption(Corrupt(rig), $"list_del corruption, {rig.Px(rig["A"])}->prev is NULL [{rig.Px(rig["A"])}=A]");
    }

    [Test]
    public void ListDel_BothNeighbourLinksWrong_ReportsPrevNextFirst_WithoutReadingNextPrev()
    {
        // A.prev = B, A.next = C; B.next = C (not A) and C.prev = B (not A).
        using var rig = new Rig([Free("A"), Free("B"), Free("C")], async (k, r) =>
        {
            await k.Poke(r["A"].Next, r["C"]);
            await k.Poke(r["A"].Prev, r["B"]);
            await k.Poke(r["B"].Next, r["C"]);
            await k.Poke(r["C"].Prev, r["B"]);
            r.Mark();
            await k.ListDel(r["A"]);
        });
        var o = Corrupt(rig);
        AssertListCorruption(o,
            $"list_del corruption. prev->next should be {rig.Px(rig["A"])}, but was {rig.Px(rig["C"])}. (prev={rig.Px(rig["B"])})" +
            $" [{rig.Px(rig["A"])}=A, {rig.Px(rig["C"])}=C, {rig.Px(rig["B"])}=B]");
        Assert.That(rig.Accesses(rig.Marks[0], o.Step), Is.EqualTo(new[] { "ld A.prev", "ld A.next", "ld B.next" }));
    }
}
