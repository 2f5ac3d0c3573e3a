using System.Text;
using System.Text.RegularExpressions;
using MmFuzz.Memory;
using MmFuzz.Oracles;
using MmFuzz.Engine;

namespace MmFuzz.Kernel;

// The kernel-specific oracles: what KASAN, the page allocator's bad_page(), lockdep and the
// quiescence checks would say. They read the arena directly (not scheduling points): they are the
// observer, not kernel code. The list-membership shadow they use is kept by the list primitives.
public sealed partial class World
{
    // ---- list-membership shadow (for the wrong-lock oracle) ----
    // Every read and write of the shadow is also reported to Machine.Footprint when partial-order
    // reduction is on: the shadow decides what later accesses report, so it is shared state.

    void Touch(long location, bool write) => Machine.Footprint?.Touch(location, write);

    /// <summary>After <c>list_add*(new, head)</c>: <paramref name="entry"/> is on <paramref name="head"/>'s list.</summary>
    public void Linked(ListPtr entry, ListPtr head)
    {
        int e = Arena.ObjectAt(entry.Addr), h = Arena.ObjectAt(head.Addr);
        if (e >= 0 && h >= 0)
        {
            Touch(Locations.Owner(h), false);
            Touch(Locations.Owner(e), true);
            Arena.SetOwner(e, Arena.OwnerOf(h));
        }
    }

    /// <summary>After <c>__list_del_entry(entry)</c>: on no list.</summary>
    public void Unlinked(ListPtr entry)
    {
        int e = Arena.ObjectAt(entry.Addr);
        if (e >= 0)
        {
            Touch(Locations.Owner(e), true);
            Arena.SetOwner(e, -1);
        }
    }

    /// <summary>After <c>list_splice_tail(list, head)</c>: every entry of <paramref name="list"/> is now on <paramref name="head"/>'s.</summary>
    public void Spliced(ListPtr list, ListPtr head)
    {
        int l = Arena.ObjectAt(list.Addr), h = Arena.ObjectAt(head.Addr);
        if (l < 0 || h < 0)
            return;
        Touch(Locations.Owner(h), false);
        int owner = Arena.OwnerOf(h);
        foreach (var f in folioObj)
        {
            Touch(Locations.Owner(f), false);
            if (Arena.OwnerOf(f) == l)
            {
                Touch(Locations.Owner(f), true);
                Arena.SetOwner(f, owner);
            }
        }
    }

    /// <summary><c>LIST_HEAD(list)</c> entered: <paramref name="cpu"/>'s stack slot is live; its list is taken from the queue being scanned.</summary>
    public void ScanEntered(Cpu cpu)
    {
        int s = stackObj[cpu.Index];
        Touch(Locations.Liveness(s), true);
        Touch(Locations.Owner(s), true);
        Arena.SetLiveness(s, Liveness.Live);
        Arena.SetOwner(s, s);
        for (int i = 0; i < cpu.Depth; i++)
            if (cpu.Frames[i].FnId == Fn.deferred_split_scan.Id + 1)
                scanQueueObj[cpu.Index] = Arena.ObjectAt(cpu.Frames[i].A0);
    }

    /// <summary><c>deferred_split_scan()</c> returned: its stack frame is gone (KASAN: use-after-return).</summary>
    public void ScanReturned(Cpu cpu)
    {
        Touch(Locations.Liveness(stackObj[cpu.Index]), true);
        Touch(Locations.Owner(stackObj[cpu.Index]), true);
        Arena.SetLiveness(stackObj[cpu.Index], Liveness.OutOfScope);
        scanQueueObj[cpu.Index] = -1;
    }

    // ---- the page allocator ----

    /// <summary>
    /// The page allocator takes the folio back. Oracle: "Bad page state ... on deferred list" if the
    /// folio is still linked (the <c>free_tail_page_prepare()</c> check that v6.10 added, applied to
    /// every variant as an oracle), and KASAN poisoning: any later access is a use-after-free.
    /// </summary>
    public void FreeFolio(FolioPtr folio, Cpu cpu)
    {
        int obj = Arena.ObjectAt(folio.Addr);
        var list = folio.DeferredList;
        Touch(Locations.Word(list.Next.Addr), false);
        Touch(Locations.Liveness(obj), true);
        var linkedTo = (nint)Arena.Read(list.Next.Addr, 8);
        if (linkedTo != list.Addr && linkedTo != Poison.LIST_POISON1.Addr)
        {
            Machine.Report(BugKind.BadPageState, BadPage(folio, cpu, "on deferred list") +
                $" ({Name(folio)}->_deferred_list.next = {Symbol((nint)Arena.Read(list.Next.Addr, 8))})", cpu);
            return;
        }
        Arena.SetLiveness(obj, Liveness.Freed);
        freedBy[Array.IndexOf(folioObj, obj)] = cpu.Number;
    }

    /// <summary><c>bad_page()</c>'s text (mm/page_alloc.c): "BUG: Bad page state in process %s  pfn:%05lx" and the reason.</summary>
    public string BadPage(FolioPtr folio, Cpu cpu, string reason)
    {
        long pfn = 0x1000 + 0x10 * Array.IndexOf(folioObj, Arena.ObjectAt(folio.Addr));
        return $"BUG: Bad page state in process cpu{cpu.Number}  pfn:{pfn:x5} page dumped because: {reason} ({Name(folio)})";
    }

    // ---- every access ----

    /// <inheritdoc/>
    public bool BeforeAccess(Cpu cpu, in Access access, in AddressInfo info)
    {
        if (!access.Writes || access.Op is AccessOp.SpinLock or AccessOp.SpinUnlock)
            return true;
        switch (info.Field)
        {
            case FieldKind.QueueLen:
                return RequireLock(cpu, access, QueueOf(info.Object), "split_queue_len of");
            case FieldKind.ListNext:
            case FieldKind.ListPrev:
                Touch(Locations.Owner(info.Object), false);
                int owner = Arena.OwnerOf(info.Object);
                if (owner < 0)
                    return true;
                if (Arena.Objects[owner].Kind == ObjectKind.CpuStack)
                {
                    Touch(Locations.Owner(owner), false);
                    int ownerCpu = Array.IndexOf(stackObj, owner);
                    if (ownerCpu == cpu.Index || scanQueueObj[ownerCpu] < 0)
                        return true;
                    return RequireLock(cpu, access, QueueOf(scanQueueObj[ownerCpu]), $"CPU {ownerCpu + 1}'s on-stack list taken from");
                }
                return RequireLock(cpu, access, QueueOf(owner), "the list of");
            default:
                return true;
        }
    }

    QueuePtr QueueOf(int obj) => new(Arena.Base + Arena.Objects[obj].Offset + Offsets.OwnerQueue);

    bool RequireLock(Cpu cpu, in Access access, QueuePtr queue, string what)
    {
        if (cpu.Holds(queue.Lock.Addr) || Machine.Suppressed.Contains(BugKind.WrongLock))
            return true;
        var held = cpu.HeldCount == 0 ? "no lock" : string.Join(", ", cpu.Held.ToArray().Select(Symbol));
        Machine.Report(BugKind.WrongLock,
            $"WARNING: lockdep_assert_held({Symbol(queue.Lock.Addr)}) failed: CPU {cpu.Number} writes {Symbol(access.Addr)} " +
            $"({what} {Symbol(queue.SplitQueue.Addr)}) in {cpu.ActionName} holding {held}", cpu);
        return false;
    }

    /// <inheritdoc/>
    public void ReportBadAccess(Cpu cpu, in Access access, in AddressInfo info)
    {
        string rw = access.Writes ? "Write" : "Read";
        string fn = cpu.Innermost?.Name ?? "?";
        if (info.Object >= 0)
        {
            var obj = Arena.Objects[info.Object];
            if (obj.Kind == ObjectKind.CpuStack)
            {
                Machine.Report(BugKind.UseAfterFree,
                    $"BUG: KASAN: stack-use-after-return in {fn}: {rw} of size {access.Width} at addr {Px(access.Addr)} ({Symbol(access.Addr)}) by task cpu{cpu.Number}", cpu);
                return;
            }
            int f = Array.IndexOf(folioObj, info.Object);
            string freed = f >= 0 && freedBy[f] > 0 ? $"; {obj.Name} was freed by task cpu{freedBy[f]}" : "";
            var kind = cpu.InFunction(Fn.lost_race) ? BugKind.LostRaceWriteAfterFree : BugKind.UseAfterFree;
            Machine.Report(kind,
                $"BUG: KASAN: use-after-free in {fn}: {rw} of size {access.Width} at addr {Px(access.Addr)} ({Symbol(access.Addr)}) by task cpu{cpu.Number}{freed}", cpu);
            return;
        }
        ulong a = (ulong)access.Addr;
        string msg = (a >> 48) == 0xdead
            ? $"general protection fault, probably for non-canonical address 0x{a:x16}: 0000 [#1] PREEMPT SMP NOPTI (CPU: {cpu.Number} RIP: {fn}, {Symbol(access.Addr)})"
            : a < 0x1000
                ? $"BUG: kernel NULL pointer dereference, address: {a:x16} (CPU: {cpu.Number} RIP: {fn})"
                : $"BUG: unable to handle page fault for address: {Px(access.Addr)} (CPU: {cpu.Number} RIP: {fn})";
        Machine.Report(BugKind.GeneralProtection, msg, cpu);
    }

    // ---- quiescence ----

    /// <inheritdoc/>
    public bool CheckQuiescence()
    {
        Array.Clear(reachable);
        foreach (var q in queueObjs)
            if (!WalkQueue(q, reachable))
                return false;
        for (int i = 0; i < folioObj.Length; i++)
        {
            int obj = folioObj[i];
            var folio = Folio(i);
            string name = Scenario.Folios[i].Name;
            if (Arena.LivenessOf(obj) == Liveness.Freed)
            {
                if (expectedRefs[i] != 0)
                    return Fail(BugKind.Refcount, $"{name} was freed while {expectedRefs[i]} reference(s) are still held by the programs (double free / refcount underflow)");
                continue;
            }
            int refs = (int)Arena.Read(folio.Refcount.Addr, 4);
            if (refs == 0)
                return Fail(BugKind.Accounting, $"{name} lost: its refcount is 0 but it was never freed");
            if (refs != expectedRefs[i])
                return Fail(BugKind.Accounting, $"{name} leaked: refcount {refs} at quiescence, the programs hold {expectedRefs[i]}");
            var next = (nint)Arena.Read(folio.DeferredList.Next.Addr, 8);
            if (next != folio.DeferredList.Addr && next != Poison.LIST_POISON1.Addr && !reachable[obj])
                return Fail(BugKind.ListCorruption, $"{name}->_deferred_list is linked (next = {Symbol(next)}) but {name} is on no deferred split queue");
        }
        // Last, so that it never hides a kind history records: a partially mapped folio off every queue.
        if (Variant.HasPartiallyMappedFlag)
            for (int i = 0; i < folioObj.Length; i++)
            {
                int obj = folioObj[i];
                var folio = Folio(i);
                if (Arena.LivenessOf(obj) == Liveness.Freed || reachable[obj] || FolioWords.Order(Arena.Read(folio.NidOrder.Addr, 8)) <= 1
                    || !FolioWords.PartiallyMapped(Arena.Read(folio.PartiallyMapped.Addr, 8)))
                    continue;
                string name = Scenario.Folios[i].Name;
                return Fail(BugKind.LostDeferredSplit,
                    $"{name} is partially mapped (PG_partially_mapped) but on no deferred split queue: __folio_remove_rmap() queues only a folio " +
                    "whose flag is clear, so the shrinker will never split it");
            }
        return true;
    }

    bool WalkQueue(int qobj, bool[] reachable)
    {
        var q = QueueOf(qobj);
        var head = q.SplitQueue.Addr;
        nint cur = head;
        long count = 0;
        for (int guard = 0; guard <= folioObj.Length + 1; guard++)
        {
            var next = (nint)Arena.Read(cur + 0, 8);
            var info = Arena.Classify(next);
            if (info.Object < 0 || info.Field != FieldKind.ListNext)
                return Fail(BugKind.ListCorruption, $"{QueueName(qobj)}: {Symbol(cur)}->next is {Symbol(next)}, not a list_head");
            if (!info.Live)
                return Fail(BugKind.UseAfterFree, $"{QueueName(qobj)} still links {Symbol(next)}, which is {(Arena.Objects[info.Object].Kind == ObjectKind.CpuStack ? "a returned stack frame" : "freed")}");
            if ((nint)Arena.Read(next + 8, 8) != cur)
                return Fail(BugKind.ListCorruption, $"{QueueName(qobj)}: {Symbol(next)}->prev should be {Symbol(cur)}, but was {Symbol((nint)Arena.Read(next + 8, 8))}");
            if (next == head)
            {
                ulong len = Arena.Read(q.Len.Addr, 8);
                if (len != (ulong)count)
                    return Fail(BugKind.Accounting, $"{QueueName(qobj)}: split_queue_len is {(long)len} but the list holds {count} folio(s)");
                return true;
            }
            if (Arena.Objects[info.Object].Kind != ObjectKind.Folio)
                return Fail(BugKind.ListCorruption, $"{QueueName(qobj)} links {Symbol(next)}, which is not a folio");
            reachable[info.Object] = true;
            count++;
            cur = next;
        }
        // Unreachable: a walk that does not return to the head meets an entry whose prev is not its predecessor first.
        throw new InvalidOperationException($"{QueueName(qobj)}: queue walk neither returned to the head nor failed a prev check");
    }

    string QueueName(int qobj) => $"{Arena.Objects[qobj].Name}'s deferred_split_queue";

    bool Fail(BugKind kind, string message)
    {
        Machine.Report(kind, "at quiescence: " + message, null);
        return false;
    }

    // ---- names ----

    /// <summary>The folio's name ("A").</summary>
    public string Name(FolioPtr folio)
    {
        int obj = Arena.ObjectAt(folio.Addr);
        return obj >= 0 ? Arena.Objects[obj].Name : Px(folio.Addr);
    }

    /// <summary>The kernel's <c>%px</c>: the arena mapped at a fixed kernel-looking address, so messages are identical in every process.</summary>
    public string Px(nint addr)
    {
        long off = addr - Arena.Base;
        ulong shown = off >= 0 && off < Arena.Size ? DisplayBase + (ulong)off : (ulong)addr;
        return shown.ToString("x16");
    }

    /// <inheritdoc/>
    public string Symbol(nint addr)
    {
        if (addr == 0)
            return "NULL";
        if (addr == Poison.LIST_POISON1.Addr)
            return "LIST_POISON1";
        if (addr == Poison.LIST_POISON2.Addr)
            return "LIST_POISON2";
        int obj = Arena.ObjectAt(addr);
        if (obj < 0)
            return Px(addr);
        var o = Arena.Objects[obj];
        int off = (int)(addr - Arena.Base - o.Offset);
        switch (o.Kind)
        {
            case ObjectKind.Folio:
                if (off == 0) return o.Name;     // the folio itself (flags is its first field)
                if (off == Offsets.FolioDeferredList) return o.Name;
                if (off == Offsets.FolioDeferredList + 8) return $"{o.Name}.prev";
                if (off == Offsets.FolioRefcount) return $"{o.Name}->_refcount";
                                if (off == Offsets.FolioMemcgData) return $"{o.Name}->memcg_data";
                if (off == Offsets.FolioNid) return $"{o.Name}->order";
                if (off == Offsets.FolioPartiallyMapped) return $"{o.Name}->partially_mapped";
                break;
            case ObjectKind.CpuStack:
                return off == 0 ? o.Name : $"{o.Name}.prev";
            default:
                int q = off - Offsets.OwnerQueue;
                if (off == 0) return o.Name;
                if (q == 0) return $"{o.Name}.split_queue_lock";
                if (q == Offsets.QueueList) return $"{o.Name}.queue";
                if (q == Offsets.QueueList + 8) return $"{o.Name}.queue.prev";
                if (q == Offsets.QueueLen) return $"{o.Name}.split_queue_len";
                break;
        }
        return $"{o.Name}+{off}";
    }

    static readonly Regex PxPattern = new("\\b(ffff888[0-9a-f]{9})\\b", RegexOptions.Compiled);

    /// <summary>Appends the symbols of every arena address a kernel message mentions: "[ffff888100000060=A, ...]".</summary>
    public string Annotate(string message)
    {
        var seen = new List<string>();
        foreach (Match m in PxPattern.Matches(message))
        {
            var a = (nint)((long)Arena.Base + (long)(Convert.ToUInt64(m.Value, 16) - DisplayBase));
            var s = $"{m.Value}={Symbol(a)}";
            if (!seen.Contains(s))
                seen.Add(s);
        }
        return seen.Count == 0 ? message : $"{message} [{string.Join(", ", seen)}]";
    }
}
