using System.Text.RegularExpressions;
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
/// only addresses are taken from the world (<c>%px</c>). One table row per case (<see cref="Rows"/>),
/// run by <see cref="Primitive"/>; the boot state and the read-only walks are tests of their own.
/// </summary>
/// <remarks>
/// States are written <c>"X: next=Y prev=Z"</c>: H is memcg1's queue head, H2 memcg2's, A..E the
/// folios' <c>_deferred_list</c>; P1/P2 are LIST_POISON1/2. Accesses are <c>ld</c>/<c>st</c> (plain),
/// <c>ld!</c> (READ_ONCE) and <c>st!</c> (WRITE_ONCE). Entries linked on a queue are only touched
/// with the queue's lock held, and every row that runs to the end leaves a state the quiescence
/// checks accept (each queue's split_queue_len matches its list).
/// </remarks>
[TestFixture, Category("quick")]
public class ListTests
{
    const QueueId M1 = QueueId.Memcg1;
    const QueueId M2 = QueueId.Memcg2;

    static void AssertOk(Outcome o) =>
        Assert.That(o.Verdict, Is.EqualTo(Verdict.Ok), () => $"{o.Kind}: {o.Message}");

    // ---- the initial state the rows start from ----

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

    // ---- list_empty, list_first_entry, list_next_entry: what they return ----

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

    // ---- the table ----

    /// <summary>
    /// One case: a system, a call of list primitives on one CPU, and what the call must do. The
    /// program makes the raw stores of <see cref="Corrupt"/>, takes the <see cref="Locks"/>, marks,
    /// makes the call, marks, reads <see cref="AfterCall"/>, re-initialises <see cref="Reinit"/>,
    /// stores <see cref="Lens"/> and unlocks in reverse order.
    /// </summary>
    sealed record Row(string Name, FolioSpec[] Folios, Func<TestKernel, Rig, Sim> Call)
    {
        /// <summary>Raw stores before the call, <c>"A.next=B"</c>: the value is a list head's test name, NULL, P1 or P2.</summary>
        public string[] Corrupt { get; init; } = [];

        /// <summary>The queues (by head: H, H2) whose split_queue_lock is held around the call, taken in this order.</summary>
        public string[] Locks { get; init; } = [];

        /// <summary>Entries re-initialised after the call, so that no live folio or head stays poisoned or stale at quiescence.</summary>
        public string[] Reinit { get; init; } = [];

        /// <summary>split_queue_len stores after the call, <c>"H=3"</c>, so that each queue's length matches its list.</summary>
        public string[] Lens { get; init; } = [];

        /// <summary>CONFIG_DEBUG_LIST's message on CPU 1 (<c>{X}</c> stands for the <c>%px</c> of X), or null: the run is clean.</summary>
        public string? Report { get; init; }

        /// <summary>The step of the report.</summary>
        public int? Step { get; init; }

        /// <summary>The accesses of the call (up to the report's step if it reports), or null: not checked.</summary>
        public string[]? Accesses { get; init; }

        /// <summary>States read right after the call.</summary>
        public string[]? AfterCall { get; init; }

        /// <summary>States at the end of the run.</summary>
        public string[]? AtEnd { get; init; }
    }

    static readonly Row[] Rows =
    [
        // ---- INIT_LIST_HEAD ----
        new("InitListHead_WritesNextThenPrev_BothWriteOnce", [Free("C")], (k, r) => k.InitListHead(r["C"]))
        {
            Corrupt = ["C.next=P1", "C.prev=P2"],
            Accesses = ["st! C.next=C", "st! C.prev=C"],
            AtEnd = ["C: next=C prev=C"],
        },

        // ---- list_add / list_add_tail ----
        // list_add: next = head->next; __list_add_valid: next->prev, prev->next;
        // __list_add: next->prev = new; new->next = next; new->prev = prev; WRITE_ONCE(prev->next, new).
        new("ListAdd_InsertsRightAfterTheHead", [On(M1, "A"), On(M1, "B"), Free("C")], (k, r) => k.ListAdd(r["C"], r["H"]))
        {
            Locks = ["H"],
            Lens = ["H=3"],
            Accesses =
            [
                "ld H.next", "ld A.prev", "ld H.next",
                "st A.prev=C", "st C.next=A", "st C.prev=H", "st! H.next=C",
            ],
            AtEnd = ["H: next=C prev=B", "C: next=A prev=H", "A: next=B prev=C", "B: next=H prev=A"],
        },
        new("ListAdd_ToAnEmptyList", [Free("A")], (k, r) => k.ListAdd(r["A"], r["H"]))
        {
            Locks = ["H"],
            Lens = ["H=1"],
            Accesses =
            [
                "ld H.next", "ld H.prev", "ld H.next",
                "st H.prev=A", "st A.next=H", "st A.prev=H", "st! H.next=A",
            ],
            AtEnd = ["H: next=A prev=A", "A: next=H prev=H"],
        },
        // list_add_tail: prev = head->prev; then __list_add(new, prev, head).
        new("ListAddTail_InsertsRightBeforeTheHead", [On(M1, "A"), On(M1, "B"), Free("C")], (k, r) => k.ListAddTail(r["C"], r["H"]))
        {
            Locks = ["H"],
            Lens = ["H=3"],
            Accesses =
            [
                "ld H.prev", "ld H.prev", "ld B.next",
                "st H.prev=C", "st C.next=H", "st C.prev=B", "st! B.next=C",
            ],
            AtEnd = ["H: next=A prev=C", "A: next=B prev=H", "B: next=C prev=A", "C: next=H prev=B"],
        },

        // ---- list_del / list_del_init ----
        // __list_del_entry_valid: entry->prev, entry->next, prev->next, next->prev; __list_del_entry
        // reads entry->prev and entry->next again; __list_del: next->prev = prev; WRITE_ONCE(prev->next, next);
        // list_del: entry->next = LIST_POISON1; entry->prev = LIST_POISON2.
        new("ListDel_UnlinksNextPrevThenPrevNext_AndPoisonsTheEntry", [On(M1, "A"), On(M1, "B")], (k, r) => k.ListDel(r["A"]))
        {
            Locks = ["H"],
            Reinit = ["A"],         // a live folio must not stay poisoned at quiescence
            Lens = ["H=1"],
            Accesses =
            [
                "ld A.prev", "ld A.next", "ld H.next", "ld B.prev", "ld A.prev", "ld A.next",
                "st B.prev=H", "st! H.next=B", "st A.next=P1", "st A.prev=P2",
            ],
            AfterCall = ["H: next=B prev=B", "A: next=P1 prev=P2", "B: next=H prev=H"],
            AtEnd = ["A: next=A prev=A"],
        },
        new("ListDelInit_UnlinksFromTheMiddle_AndSelfLinksNextThenPrev", [On(M1, "A"), On(M1, "B"), On(M1, "C")], (k, r) => k.ListDelInit(r["B"]))
        {
            Locks = ["H"],
            Lens = ["H=2"],
            Accesses =
            [
                "ld B.prev", "ld B.next", "ld A.next", "ld C.prev", "ld B.prev", "ld B.next",
                "st C.prev=A", "st! A.next=C", "st! B.next=B", "st! B.prev=B",
            ],
            AtEnd = ["H: next=A prev=C", "A: next=C prev=H", "B: next=B prev=B", "C: next=H prev=A"],
        },
        new("ListDelInit_OfTheOnlyEntry_LeavesTheHeadEmpty", [On(M1, "A")], (k, r) => k.ListDelInit(r["A"]))
        {
            Locks = ["H"],
            Lens = ["H=0"],
            Accesses =
            [
                "ld A.prev", "ld A.next", "ld H.next", "ld H.prev", "ld A.prev", "ld A.next",
                "st H.prev=H", "st! H.next=H", "st! A.next=A", "st! A.prev=A",
            ],
            AtEnd = ["H: next=H prev=H", "A: next=A prev=A"],
        },

        // ---- list_move / list_move_tail ----
        new("ListMove_UnlinksWithoutPoisonAndAddsAtTheFrontOfTheOtherList", [On(M1, "A"), On(M1, "B"), On(M1, "C"), On(M2, "D")],
            (k, r) => k.ListMove(r["B"], r["H2"]))
        {
            Locks = ["H", "H2"],
            Lens = ["H=2", "H2=2"],
            Accesses =
            [
                "ld B.prev", "ld B.next", "ld A.next", "ld C.prev", "ld B.prev", "ld B.next",
                "st C.prev=A", "st! A.next=C",
                "ld H2.next", "ld D.prev", "ld H2.next",
                "st D.prev=B", "st B.next=D", "st B.prev=H2", "st! H2.next=B",
            ],
            AtEnd = ["H: next=A prev=C", "A: next=C prev=H", "C: next=H prev=A", "H2: next=B prev=D", "B: next=D prev=H2", "D: next=H2 prev=B"],
        },
        new("ListMove_WithinOneList_BringsTheEntryToTheFront", [On(M1, "A"), On(M1, "B"), On(M1, "C")], (k, r) => k.ListMove(r["C"], r["H"]))
        {
            Locks = ["H"],
            AtEnd = ["H: next=C prev=B", "C: next=A prev=H", "A: next=B prev=C", "B: next=H prev=A"],
        },
        new("ListMoveTail_UnlinksAndAddsAtTheTailOfTheOtherList", [On(M1, "A"), On(M1, "B"), On(M1, "C"), On(M2, "D")],
            (k, r) => k.ListMoveTail(r["B"], r["H2"]))
        {
            Locks = ["H", "H2"],
            Lens = ["H=2", "H2=2"],
            Accesses =
            [
                "ld B.prev", "ld B.next", "ld A.next", "ld C.prev", "ld B.prev", "ld B.next",
                "st C.prev=A", "st! A.next=C",
                "ld H2.prev", "ld H2.prev", "ld D.next",
                "st H2.prev=B", "st B.next=H2", "st B.prev=D", "st! D.next=B",
            ],
            AtEnd = ["H: next=A prev=C", "A: next=C prev=H", "C: next=H prev=A", "H2: next=D prev=B", "D: next=B prev=H2", "B: next=H2 prev=D"],
        },

        // ---- list_splice_tail ----
        // list_empty(list) (READ_ONCE), head->prev, first = list->next, last = list->prev;
        // first->prev = prev; prev->next = first; last->next = next; next->prev = last.
        new("ListSpliceTail_JoinsBeforeTheHead_AndLeavesTheSourceHeadStale", [On(M1, "A"), On(M1, "B"), On(M2, "C"), On(M2, "D")],
            (k, r) => k.ListSpliceTail(r["H2"], r["H"]))
        {
            Locks = ["H", "H2"],
            Reinit = ["H2"],        // list_splice_tail does not reinitialise the source
            Lens = ["H=4", "H2=0"],
            Accesses =
            [
                "ld! H2.next", "ld H.prev", "ld H2.next", "ld H2.prev",
                "st C.prev=B", "st B.next=C", "st D.next=H", "st H.prev=D",
            ],
            AfterCall = ["H: next=A prev=D", "A: next=B prev=H", "B: next=C prev=A", "C: next=D prev=B", "D: next=H prev=C", "H2: next=C prev=D"],
            AtEnd = ["H2: next=H2 prev=H2"],
        },
        new("ListSpliceTail_OfAnEmptyList_OnlyReadsItsNext", [On(M1, "A")], (k, r) => k.ListSpliceTail(r["H2"], r["H"]))
        {
            Locks = ["H"],
            Accesses = ["ld! H2.next"],
            AtEnd = ["H: next=A prev=A", "A: next=H prev=H", "H2: next=H2 prev=H2"],
        },

        // ---- CONFIG_DEBUG_LIST: list_add (__list_add_valid_or_report) ----
        // The corrupted states are built with raw stores on folios that are on no queue (no lock needed);
        // the BUG stops the execution, so the quiescence checks do not run.
        new("ListAddTail_HeadPrevNull_ReportsPrevIsNull_AndStoresNothing", [Free("A"), Free("C")], (k, r) => k.ListAddTail(r["C"], r["A"]))
        {
            Corrupt = ["A.prev=NULL"],
            Report = "list_add corruption. prev is NULL.",
            Step = 2,               // the raw store, then list_add_tail's read of head->prev
            AtEnd = ["A: next=A prev=NULL", "C: next=C prev=C"],
        },
        new("ListAdd_HeadNextNull_ReportsNextIsNull", [Free("A"), Free("C")], (k, r) => k.ListAdd(r["C"], r["A"]))
        {
            Corrupt = ["A.next=NULL"],
            Report = "list_add corruption. next is NULL.",
            AtEnd = ["A: next=NULL prev=A", "C: next=C prev=C"],
        },
        // A <-> B ring, but B.prev was overwritten with D.
        new("ListAdd_NextPrevNotPrev_ReportsNextPrevShouldBePrev", [Free("A"), Free("B"), Free("C"), Free("D")], (k, r) => k.ListAdd(r["C"], r["A"]))
        {
            Corrupt = ["A.next=B", "A.prev=B", "B.next=A", "B.prev=D"],
            Report = "list_add corruption. next->prev should be prev ({A}), but was {D}. (next={B}). [{A}=A, {D}=D, {B}=B]",
        },
        // A <-> B ring, but B.next was overwritten with D.
        new("ListAddTail_PrevNextNotNext_ReportsPrevNextShouldBeNext", [Free("A"), Free("B"), Free("C"), Free("D")], (k, r) => k.ListAddTail(r["C"], r["A"]))
        {
            Corrupt = ["A.next=B", "A.prev=B", "B.next=D", "B.prev=A"],
            Report = "list_add corruption. prev->next should be next ({A}), but was {D}. (prev={B}). [{A}=A, {D}=D, {B}=B]",
        },
        new("ListAdd_OfTheFirstEntryAgain_ReportsDoubleAdd", [On(M1, "A")], (k, r) => k.ListAdd(r["A"], r["H"]))
        {
            Locks = ["H"],
            Report = "list_add double add: new={A}, prev={H}, next={A}. [{A}=A, {H}=memcg1.queue]",
            AtEnd = ["H: next=A prev=A", "A: next=H prev=H"],     // nothing written
        },
        new("ListAddTail_OfTheLastEntryAgain_ReportsDoubleAdd", [Free("A"), Free("B")], (k, r) => k.ListAddTail(r["B"], r["A"]))
        {
            Corrupt = ["A.next=B", "A.prev=B", "B.next=A", "B.prev=A"],
            Report = "list_add double add: new={B}, prev={B}, next={A}. [{B}=B, {A}=A]",
        },
        new("ListAddValid_PrevAndNextNull_ReportsPrevFirst", [Free("C")], async (k, r) => await k.ListAddValid(r["C"], ListPtr.Null, ListPtr.Null))
        {
            Report = "list_add corruption. prev is NULL.",
            Step = 0,               // the NULL checks read nothing
        },
        // __list_add_valid(C, prev = A, next = B) with A.next = D (not B) and B.prev = D (not A).
        new("ListAdd_BothNeighbourLinksWrong_ReportsNextPrevFirst", [Free("A"), Free("B"), Free("C"), Free("D")],
            async (k, r) => await k.ListAddValid(r["C"], r["A"], r["B"]))
        {
            Corrupt = ["A.next=D", "B.prev=D"],
            Report = "list_add corruption. next->prev should be prev ({A}), but was {D}. (next={B}). [{A}=A, {D}=D, {B}=B]",
        },
        // new == next (a double add), and next->prev is wrong as well.
        new("ListAdd_CorruptAndDoubleAdd_ReportsTheCorruptionFirst", [Free("A"), Free("B"), Free("D")], (k, r) => k.ListAdd(r["B"], r["A"]))
        {
            Corrupt = ["A.next=B", "B.prev=D"],
            Report = "list_add corruption. next->prev should be prev ({A}), but was {D}. (next={B}). [{A}=A, {D}=D, {B}=B]",
        },

        // ---- CONFIG_DEBUG_LIST: list_del (__list_del_entry_valid_or_report) ----
        new("ListDel_NextNull_ReportsNextIsNull_AfterReadingPrevThenNext", [Free("A")], (k, r) => k.ListDel(r["A"]))
        {
            Corrupt = ["A.next=NULL"],
            Report = "list_del corruption, {A}->next is NULL [{A}=A]",
            Accesses = ["ld A.prev", "ld A.next"],
            AtEnd = ["A: next=NULL prev=A"],     // no poison written after the BUG
        },
        new("ListDel_PrevNull_ReportsPrevIsNull", [Free("A")], (k, r) => k.ListDel(r["A"]))
        {
            Corrupt = ["A.prev=NULL"],
            Report = "list_del corruption, {A}->prev is NULL [{A}=A]",
        },
        new("ListDel_Twice_ReportsNextIsListPoison1", [Free("A")], async (k, r) =>
        {
            await k.ListDel(r["A"]);
            await k.ListDel(r["A"]);
        })
        {
            Report = "list_del corruption, {A}->next is LIST_POISON1 (dead000000000100) [{A}=A]",
            AtEnd = ["A: next=P1 prev=P2"],
        },
        new("ListDel_PrevPoison2_ReportsPrevIsListPoison2", [Free("A")], (k, r) => k.ListDel(r["A"]))
        {
            Corrupt = ["A.prev=P2"],
            Report = "list_del corruption, {A}->prev is LIST_POISON2 (dead000000000122) [{A}=A]",
        },
        // A <-> B ring, but B.next was overwritten with C.
        new("ListDel_PrevNextNotEntry_ReportsPrevNextShouldBeEntry", [Free("A"), Free("B"), Free("C")], (k, r) => k.ListDel(r["A"]))
        {
            Corrupt = ["A.next=B", "A.prev=B", "B.next=C", "B.prev=A"],
            Report = "list_del corruption. prev->next should be {A}, but was {C}. (prev={B}) [{A}=A, {C}=C, {B}=B]",
        },
        // A <-> B ring, but B.prev was overwritten with C.
        new("ListDelInit_NextPrevNotEntry_ReportsNextPrevShouldBeEntry", [Free("A"), Free("B"), Free("C")], (k, r) => k.ListDelInit(r["A"]))
        {
            Corrupt = ["A.next=B", "A.prev=B", "B.next=A", "B.prev=C"],
            Report = "list_del corruption. next->prev should be {A}, but was {C}. (next={B}) [{A}=A, {C}=C, {B}=B]",
        },
        new("ListDel_NextAndPrevNull_ReportsNextFirst", [Free("A")], (k, r) => k.ListDel(r["A"]))
        {
            Corrupt = ["A.next=NULL", "A.prev=NULL"],
            Report = "list_del corruption, {A}->next is NULL [{A}=A]",
        },
        new("ListDel_PrevNullAndNextPoison1_ReportsPrevNullFirst", [Free("A")], (k, r) => k.ListDel(r["A"]))
        {
            Corrupt = ["A.next=P1", "A.prev=NULL"],
            Report = "list_del corruption, {A}->prev is NULL [{A}=A]",
        },
        // A.prev = B, A.next = C; B.next = C (not A) and C.prev = B (not A).
        new("ListDel_BothNeighbourLinksWrong_ReportsPrevNextFirst_WithoutReadingNextPrev", [Free("A"), Free("B"), Free("C")], (k, r) => k.ListDel(r["A"]))
        {
            Corrupt = ["A.next=C", "A.prev=B", "B.next=C", "C.prev=B"],
            Report = "list_del corruption. prev->next should be {A}, but was {C}. (prev={B}) [{A}=A, {C}=C, {B}=B]",
            Accesses = ["ld A.prev", "ld A.next", "ld B.next"],
        },
    ];

    static IEnumerable<TestCaseData> Cases() => Rows.Select(row => new TestCaseData(row.Name).SetName(row.Name));

    [TestCaseSource(nameof(Cases))]
    public void Primitive(string name)
    {
        var row = Rows.Single(c => c.Name == name);
        string[]? afterCall = null;
        using var rig = new Rig(row.Folios, async (k, r) =>
        {
            foreach (var store in row.Corrupt)
                await Store(k, r, store);
            foreach (var q in row.Locks)
                await k.Lock(Queue(r, q));
            r.Mark();
            await row.Call(k, r);
            r.Mark();
            if (row.AfterCall is { } after)
                afterCall = r.State(Names(after));
            foreach (var e in row.Reinit)
                await k.InitListHead(r[e]);
            foreach (var len in row.Lens)
                await k.Poke(Queue(r, len[..len.IndexOf('=')]).Len, ulong.Parse(len[(len.IndexOf('=') + 1)..]));
            foreach (var q in row.Locks.Reverse())
                await k.Unlock(Queue(r, q));
        });
        var o = rig.Run();
        if (row.Report is null)
            AssertOk(o);
        else
        {
            Assert.That(o.Verdict, Is.EqualTo(Verdict.Bug), () => $"{o.Verdict} {o.Kind}: {o.Message}");
            Assert.That(o.Kind, Is.EqualTo(BugKind.ListCorruption));
            Assert.That(o.Message, Is.EqualTo(Regex.Replace(row.Report, @"\{(\w+)\}", m => rig.Px(rig[m.Groups[1].Value]))));
            Assert.That(o.Cpu, Is.EqualTo(1));
        }
        if (row.Step is { } step)
            Assert.That(o.Step, Is.EqualTo(step));
        if (row.Accesses is { } accesses)
            Assert.That(rig.Accesses(rig.Marks[0], rig.Marks.Count > 1 ? rig.Marks[1] : o.Step), Is.EqualTo(accesses));
        if (row.AfterCall is { } expectedAfter)
            Assert.That(afterCall, Is.EqualTo(expectedAfter));
        if (row.AtEnd is { } atEnd)
            Assert.That(rig.State(Names(atEnd)), Is.EqualTo(atEnd));
    }

    /// <summary>The list heads a list of expected states names: <c>"H: next=A prev=B"</c> names H.</summary>
    static string[] Names(string[] states) => states.Select(s => s[..s.IndexOf(':')]).ToArray();

    /// <summary>A queue by its head's test name.</summary>
    static QueuePtr Queue(Rig r, string head) => head switch
    {
        "H" => r.Q1,
        "H2" => r.Q2,
        _ => throw new ArgumentException($"no queue {head}", nameof(head)),
    };

    /// <summary>A raw store <c>"X.next=Y"</c> or <c>"X.prev=Y"</c>; Y is a list head's test name, NULL, P1 or P2.</summary>
    static Step Store(TestKernel k, Rig r, string store)
    {
        var m = Regex.Match(store, @"^(\w+)\.(next|prev)=(\w+)$");
        if (!m.Success)
            throw new ArgumentException($"not a store: {store}", nameof(store));
        var entry = r[m.Groups[1].Value];
        var value = m.Groups[3].Value switch
        {
            "NULL" => ListPtr.Null,
            "P1" => Poison.LIST_POISON1,
            "P2" => Poison.LIST_POISON2,
            var name => r[name],
        };
        return k.Poke(m.Groups[2].Value == "next" ? entry.Next : entry.Prev, value);
    }
}
