using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Memory;

namespace MmFuzz.Oracles;

/// <summary>
/// A lockdep-style assertion: every write to a <c>list_head</c> linked on a deferred split queue
/// (or on a scan's on-stack list taken from one), and every write of a queue's
/// <c>split_queue_len</c>, must hold that queue's <c>split_queue_lock</c> — or, in a state whose
/// memcg offline reparents the queue (<see cref="KernelTraits.ReparentsSplitQueue"/>), the lock of a dying
/// memcg's parent's queue: from <c>kill_css()</c> on, <c>split_queue_lock()</c> takes the parent's lock
/// for it (re-checking under the child's lock first), and <c>reparent_deferred_split_queue()</c> holds both.
/// </summary>
/// <remarks>
/// MODEL ASSERTION: no lockdep annotation guards these lists in the kernel, so it prints nothing of
/// the kind; a wrong-lock report is the model saying which lock a write lacked, before the
/// corruption it leads to shows. <c>--ignore wrong-lock</c> keeps the oracle's bookkeeping but
/// silences it, so the execution goes on to what the kernel would report.
/// <para>
/// Its shadow ("test fields" kept apart from the model, as the kernel's tools/testing/vma does):
/// per arena object, the object whose list head its <c>list_head</c> is linked on, kept from the
/// list tracepoints the ports fire; and per CPU, the queue its running scan took its local list
/// from. Every read and write of the shadow is reported as a footprint (<see cref="Locations.Owner"/>),
/// since it decides what later accesses report.
/// </para>
/// </remarks>
public sealed class WrongLockOracle : Oracle
{
    readonly World world;
    readonly bool reports;
    readonly int[] owner;          // per object: the object whose list it is linked on, -1 for none
    readonly int[] booted;         // the same, as booted
    readonly int[] scanQueueObj;   // per CPU: the queue object its running scan took its local list from, or -1

    /// <summary>Watches <paramref name="world"/>; with <paramref name="reports"/> false it keeps its shadow but never reports.</summary>
    public WrongLockOracle(World world, bool reports = true)
    {
        this.world = world;
        this.reports = reports;
        booted = new int[world.Arena.Objects.Count];
        Rebooted();
        owner = (int[])booted.Clone();
        scanQueueObj = new int[world.StackObjects.Length];
    }

    /// <inheritdoc/>
    public override void Rebooted()
    {
        var arena = world.Arena;
        Array.Fill(booted, -1);
        // The booted lists: each queue head is its own list's owner, and so is every entry linked on it.
        foreach (int q in world.QueueObjects)
        {
            booted[q] = q;
            var head = world.QueueOfObject(q).SplitQueue.Addr;
            for (var next = (nint)arena.Read(head, 8); next != head; next = (nint)arena.Read(next, 8))
                booted[arena.ObjectAt(next)] = q;
        }
    }

    /// <summary>The object whose list the <c>list_head</c> of object <paramref name="obj"/> is linked on, or -1.</summary>
    public int OwnerOf(int obj) => owner[obj];

    /// <inheritdoc/>
    public override void Reset()
    {
        Array.Copy(booted, owner, owner.Length);
        Array.Fill(scanQueueObj, -1);
    }

    /// <inheritdoc/>
    public override void OnTracepoint(Cpu cpu, Tracepoint tracepoint, nint a0, nint a1)
    {
        var arena = world.Arena;
        if (tracepoint == Tracepoints.list_linked)
        {
            int e = arena.ObjectAt(a0), h = arena.ObjectAt(a1);
            if (e >= 0 && h >= 0)
            {
                Touch(Locations.Owner(h), false);
                Touch(Locations.Owner(e), true);
                owner[e] = owner[h];
            }
        }
        else if (tracepoint == Tracepoints.list_unlinked)
        {
            int e = arena.ObjectAt(a0);
            if (e >= 0)
            {
                Touch(Locations.Owner(e), true);
                owner[e] = -1;
            }
        }
        else if (tracepoint == Tracepoints.list_spliced)
            Spliced(arena.ObjectAt(a0), arena.ObjectAt(a1));
        else if (tracepoint == Tracepoints.stack_list_enter)
        {
            int s = world.StackObjects[cpu.Index];
            Touch(Locations.Owner(s), true);
            owner[s] = s;
            for (int i = 0; i < cpu.Depth; i++)
                if (cpu.Frames[i].FnId == Fn.deferred_split_scan.Id + 1)
                    scanQueueObj[cpu.Index] = arena.ObjectAt(cpu.Frames[i].A0);
        }
        else if (tracepoint == Tracepoints.stack_list_exit)
        {
            Touch(Locations.Owner(world.StackObjects[cpu.Index]), true);
            scanQueueObj[cpu.Index] = -1;
        }
    }

    /// <summary>Every entry of list <paramref name="l"/> is now on <paramref name="h"/>'s list.</summary>
    void Spliced(int l, int h)
    {
        if (l < 0 || h < 0)
            return;
        Touch(Locations.Owner(h), false);
        int to = owner[h];
        foreach (var f in world.FolioObjects)
        {
            Touch(Locations.Owner(f), false);
            if (owner[f] == l)
            {
                Touch(Locations.Owner(f), true);
                owner[f] = to;
            }
        }
    }

    /// <summary>Every write but the lock operations themselves.</summary>
    public override bool WatchesWrite(AccessOp op) => op is not (AccessOp.SpinLock or AccessOp.SpinUnlock);

    /// <inheritdoc/>
    public override bool BeforeWrite(Cpu cpu, in Access access, in AddressInfo info)
    {
        switch (info.Field)
        {
            case FieldKind.QueueLen:
                return RequireLock(cpu, access, world.QueueOfObject(info.Object), "split_queue_len of");
            case FieldKind.ListNext:
            case FieldKind.ListPrev:
                Touch(Locations.Owner(info.Object), false);
                int on = owner[info.Object];
                if (on < 0)
                    return true;
                if (world.Arena.Objects[on].Kind == ObjectKind.CpuStack)
                {
                    Touch(Locations.Owner(on), false);
                    int ownerCpu = IndexOfStack(on);
                    if (ownerCpu == cpu.Index || scanQueueObj[ownerCpu] < 0)
                        return true;
                    return RequireLock(cpu, access, world.QueueOfObject(scanQueueObj[ownerCpu]), $"CPU {ownerCpu + 1}'s on-stack list taken from");
                }
                return RequireLock(cpu, access, world.QueueOfObject(on), "the list of");
            default:
                return true;
        }
    }

    /// <summary>
    /// Whether <paramref name="queue"/> is a dying memcg's and <paramref name="cpu"/> holds the lock
    /// <c>split_queue_lock()</c> would return for it: its nearest ancestor's that is not dying (the
    /// folio_batch series, patch 4/4; <see cref="KernelTraits.ReparentsSplitQueue"/>). The oracle reads
    /// <c>css-&gt;flags</c>, so each read is a footprint.
    /// </summary>
    bool HoldsADyingMemcgsParentLock(Cpu cpu, QueuePtr queue)
    {
        if (!world.Variant.Traits.ReparentsSplitQueue)
            return false;
        var memcg = world.MemcgOfQueue(queue);
        if (memcg.IsNull || !Dying(memcg))
            return false;
        for (memcg = world.ParentMemcg(memcg); !memcg.IsNull; memcg = world.ParentMemcg(memcg))
            if (!Dying(memcg))
                return cpu.Holds(memcg.DeferredSplitQueue.Lock.Addr);
        return false;       // memcg1's parent is not modelled, and memcg1 never dies
    }

    bool Dying(MemcgPtr memcg)
    {
        Touch(Locations.Word(memcg.CssFlags.Addr), false);
        return (world.Arena.Read(memcg.CssFlags.Addr, 4) & CssFlags.CSS_DYING) != 0;
    }

    int IndexOfStack(int obj)
    {
        for (int c = 0; c < world.StackObjects.Length; c++)
            if (world.StackObjects[c] == obj)
                return c;
        return -1;
    }

    bool RequireLock(Cpu cpu, in Access access, QueuePtr queue, string what)
    {
        if (cpu.Holds(queue.Lock.Addr) || !reports || HoldsADyingMemcgsParentLock(cpu, queue))
            return true;
        var names = world.Symbols;
        var held = cpu.HeldCount == 0 ? "no lock" : string.Join(", ", cpu.Held.ToArray().Select(names.Symbol));
        Machine.Report(BugKind.WrongLock,
            $"MODEL ASSERTION (no kernel check guards this list): lockdep_assert_held({names.Symbol(queue.Lock.Addr)}) would fail: CPU {cpu.Number} writes {names.Symbol(access.Addr)} " +
            $"({what} {names.Symbol(queue.SplitQueue.Addr)}) in {cpu.ActionName} holding {held}", cpu);
        return false;
    }
}
