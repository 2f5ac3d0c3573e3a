using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Memory;

namespace MmFuzz.Oracles;

/// <summary>
/// What must hold once every CPU has finished: each deferred split queue is a well-formed list of
/// live folios whose length is its <c>split_queue_len</c> (a wrong count is what the kernel's
/// shrinker would act on); no folio was freed while the programs still hold references to it (a
/// double free or refcount underflow); no folio is lost (refcount 0, never freed) or leaked (a
/// reference nobody holds, such as a scan's pin left behind); and no folio's <c>_deferred_list</c>
/// is linked somewhere that is not a queue.
/// </summary>
/// <remarks>
/// The walk reads the arena directly: it is the observer, not kernel code, and runs after the last
/// step. <see cref="Reachable"/> keeps which folios it found on a queue, for the lost-split check.
/// </remarks>
public sealed class QuiescenceOracle(World world) : Oracle
{
    int[] expectedRefs = world.Scenario.ExpectedFinalRefcounts();
    readonly bool[] reachable = new bool[world.Arena.Objects.Count];

    /// <inheritdoc/>
    public override void Rebooted() => expectedRefs = world.Scenario.ExpectedFinalRefcounts();

    /// <summary>Per arena object: whether the last walk found it on a deferred split queue.</summary>
    public IReadOnlyList<bool> Reachable => reachable;

    /// <inheritdoc/>
    public override bool AtEnd()
    {
        var arena = world.Arena;
        Array.Clear(reachable);
        foreach (var q in world.QueueObjects)
            if (!WalkQueue(q))
                return false;
        for (int i = 0; i < world.FolioObjects.Length; i++)
        {
            int obj = world.FolioObjects[i];
            var folio = world.Folio(i);
            string name = world.Scenario.Folios[i].Name;
            if (arena.LivenessOf(obj) == Liveness.Freed)
            {
                if (expectedRefs[i] != 0)
                    return Fail(BugKind.Refcount, $"{name} was freed while {expectedRefs[i]} reference(s) are still held by the programs (double free / refcount underflow)");
                continue;
            }
            int refs = (int)arena.Read(folio.Refcount.Addr, 4);
            if (refs == 0)
                return Fail(BugKind.Accounting, $"{name} lost: its refcount is 0 but it was never freed");
            if (refs != expectedRefs[i])
                return Fail(BugKind.Accounting, $"{name} leaked: refcount {refs} at quiescence, the programs hold {expectedRefs[i]}");
            var next = (nint)arena.Read(folio.DeferredList.Next.Addr, 8);
            if (next != folio.DeferredList.Addr && next != Poison.LIST_POISON1.Addr && !reachable[obj])
                return Fail(BugKind.ListCorruption, $"{name}->_deferred_list is linked (next = {world.Symbols.Symbol(next)}) but {name} is on no deferred split queue");
        }
        return true;
    }

    bool WalkQueue(int qobj)
    {
        var arena = world.Arena;
        var names = world.Symbols;
        var q = world.QueueOfObject(qobj);
        var head = q.SplitQueue.Addr;
        nint cur = head;
        long count = 0;
        for (int guard = 0; guard <= world.FolioObjects.Length + 1; guard++)
        {
            var next = (nint)arena.Read(cur + 0, 8);
            var info = arena.Classify(next);
            if (info.Object < 0 || info.Field != FieldKind.ListNext)
                return Fail(BugKind.ListCorruption, $"{QueueName(qobj)}: {names.Symbol(cur)}->next is {names.Symbol(next)}, not a list_head");
            if (!info.Live)
                return Fail(BugKind.UseAfterFree, $"{QueueName(qobj)} still links {names.Symbol(next)}, which is {(arena.Objects[info.Object].Kind == ObjectKind.CpuStack ? "a returned stack frame" : "freed")}");
            if ((nint)arena.Read(next + 8, 8) != cur)
                return Fail(BugKind.ListCorruption, $"{QueueName(qobj)}: {names.Symbol(next)}->prev should be {names.Symbol(cur)}, but was {names.Symbol((nint)arena.Read(next + 8, 8))}");
            if (next == head)
            {
                ulong len = arena.Read(q.Len.Addr, 8);
                if (len != (ulong)count)
                    return Fail(BugKind.Accounting, $"{QueueName(qobj)}: split_queue_len is {(long)len} but the list holds {count} folio(s)");
                return true;
            }
            if (arena.Objects[info.Object].Kind != ObjectKind.Folio)
                return Fail(BugKind.ListCorruption, $"{QueueName(qobj)} links {names.Symbol(next)}, which is not a folio");
            reachable[info.Object] = true;
            count++;
            cur = next;
        }
        // Unreachable: a walk that does not return to the head meets an entry whose prev is not its predecessor first.
        throw new InvalidOperationException($"{QueueName(qobj)}: queue walk neither returned to the head nor failed a prev check");
    }

    string QueueName(int qobj) => $"{world.Arena.Objects[qobj].Name}'s deferred_split_queue";

    bool Fail(BugKind kind, string message)
    {
        Machine.Report(kind, "at quiescence: " + message, null);
        return false;
    }
}
