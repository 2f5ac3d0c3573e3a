using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Memory;

namespace MmFuzz.Oracles;

/// <summary>
/// KASAN (and the MMU): an access to a freed folio is a use-after-free, to a scan's stack frame after
/// it returned a stack-use-after-return, and a dereference of <c>LIST_POISON</c>, NULL or anything
/// that is no object a general protection fault or a page fault. Its shadow is the arena's liveness
/// bytes (reset with the arena): poisoned when the page allocator takes a folio back
/// (<see cref="Tracepoints.mm_page_free"/>) and when a scan's <c>LIST_HEAD(list)</c> goes out of scope.
/// </summary>
/// <remarks>
/// A write that lands in a freed folio from inside the scan's lost-race branch is reported as its own
/// kind, <see cref="BugKind.LostRaceWriteAfterFree"/> (the finding beyond history: the scan's
/// <c>INIT_LIST_HEAD()</c> torn against the free path's unlocked <c>list_empty()</c> peek).
/// MODEL ASSERTION: <c>struct page</c> memory is never freed in the kernel, so KASAN itself stays
/// silent on a late store to a freed folio's <c>_deferred_list</c>; the kernel notices later, if at all.
/// </remarks>
public sealed class KasanOracle(World world) : Oracle
{
    readonly int[] freedBy = new int[world.FolioObjects.Length];     // per folio: CPU number that freed it in this execution, 0 if live
    readonly int[] lostRaceFolio = new int[world.StackObjects.Length];   // per CPU: the folio whose folio_try_get() last failed there, or -1

    /// <inheritdoc/>
    public override void Reset()
    {
        Array.Clear(freedBy);
        Array.Fill(lostRaceFolio, -1);
    }

    /// <summary>
    /// Remembers, per CPU, the folio whose <c>folio_try_get()</c> (<c>atomic_add_unless(&amp;_refcount, 1, 0)</c>)
    /// last failed there: a write to it from the scan that follows is the lost-race branch's, whether the
    /// scan is a hand port (which names the branch) or C read by the front end (which does not).
    /// </summary>
    public override void AfterAccess(Cpu cpu, in Access access, int step)
    {
        if (access.Op != AccessOp.AddUnless)
            return;
        lostRaceFolio[cpu.Index] = cpu.Result == access.B ? world.Arena.ObjectAt(access.Addr) : -1;
    }

    /// <inheritdoc/>
    public override void OnTracepoint(Cpu cpu, Tracepoint tracepoint, nint a0, nint a1)
    {
        var arena = world.Arena;
        if (tracepoint == Tracepoints.mm_page_free)
        {
            int obj = arena.ObjectAt(a0);
            Touch(Locations.Liveness(obj), true);
            if (Machine.Stopped)
                return;         // a free-time check refused the page: it is not freed
            arena.SetLiveness(obj, Liveness.Freed);
            freedBy[IndexOfFolio(obj)] = cpu.Number;
        }
        else if (tracepoint == Tracepoints.stack_list_enter)
        {
            int s = world.StackObjects[cpu.Index];
            Touch(Locations.Liveness(s), true);
            arena.SetLiveness(s, Liveness.Live);
        }
        else if (tracepoint == Tracepoints.stack_list_exit)
        {
            int s = world.StackObjects[cpu.Index];
            Touch(Locations.Liveness(s), true);
            arena.SetLiveness(s, Liveness.OutOfScope);
        }
    }

    /// <inheritdoc/>
    public override void OnBadAccess(Cpu cpu, in Access access, in AddressInfo info)
    {
        var names = world.Symbols;
        string rw = access.Writes ? "Write" : "Read";
        string fn = cpu.Innermost?.Name ?? "?";
        if (info.Object >= 0)
        {
            var obj = world.Arena.Objects[info.Object];
            if (obj.Kind == ObjectKind.CpuStack)
            {
                Machine.Report(BugKind.UseAfterFree,
                    $"BUG: KASAN: stack-use-after-return in {fn}: {rw} of size {access.Width} at addr {names.Px(access.Addr)} ({names.Symbol(access.Addr)}) by task cpu{cpu.Number}", cpu);
                return;
            }
            int f = IndexOfFolio(info.Object);
            string freed = f >= 0 && freedBy[f] > 0 ? $"; {obj.Name} was freed by task cpu{freedBy[f]}" : "";
            bool lostRace = cpu.InFunction(Fn.lost_race) || (cpu.InFunction(Fn.deferred_split_scan) && lostRaceFolio[cpu.Index] == info.Object);
            var kind = lostRace ? BugKind.LostRaceWriteAfterFree : BugKind.UseAfterFree;
            // struct page memory is never freed, so KASAN prints nothing here: the model says so.
            Machine.Report(kind,
                $"MODEL ASSERTION (KASAN does not track struct page memory): use-after-free in {fn}: {rw} of size {access.Width} at addr {names.Px(access.Addr)} ({names.Symbol(access.Addr)}) by task cpu{cpu.Number}{freed}", cpu);
            return;
        }
        ulong a = (ulong)access.Addr;
        string msg = (a >> 48) == 0xdead
            ? $"general protection fault, probably for non-canonical address 0x{a:x16}: 0000 [#1] PREEMPT SMP NOPTI (CPU: {cpu.Number} RIP: {fn}, {names.Symbol(access.Addr)})"
            : a < 0x1000
                ? $"BUG: kernel NULL pointer dereference, address: {a:x16} (CPU: {cpu.Number} RIP: {fn})"
                : $"BUG: unable to handle page fault for address: {names.Px(access.Addr)} (CPU: {cpu.Number} RIP: {fn})";
        Machine.Report(BugKind.GeneralProtection, msg, cpu);
    }

    int IndexOfFolio(int obj)
    {
        for (int f = 0; f < freedBy.Length; f++)
            if (world.FolioObjects[f] == obj)
                return f;
        return -1;
    }
}
