using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Memory;
using MmFuzz.Scenarios;

namespace MmFuzz.Oracles;

/// <summary>
/// At quiescence, for kernel states with <c>PG_partially_mapped</c> (v6.12-rc1 and later), a live large
/// folio the shrinker will never split although it should:
/// <list type="bullet">
/// <item>one with the flag set that is on no deferred split queue: <c>__folio_remove_rmap()</c> queues a
/// folio only while the flag is clear, so nothing queues it again and its unmapped pages stay
/// allocated until the whole folio is freed;</item>
/// <item>an underused one (<see cref="FolioSpec.Underused"/>) that a CPU took off its queue, outside a
/// split, and whose <c>folio_trylock()</c> by that CPU failed (another task held the lock), in either
/// order (v6.12-rc1/v6.13: the trylock in loop 2, then the unlink from the local list; the folio_batch
/// scan: the unlink in loop 1, then the trylock in loop 2), without locking it since or being linked
/// again, and that is on no queue at the end: loop 2 dropped it without trying to split it, so it is
/// "silently lost from split_queue" (3bac01168982, "mm: fix deferred split queue races during
/// migration", 2026, which re-queues such a folio). A folio the scan tried to split and could not (an
/// extra pin) is dropped by design ("consider it used"), and is not reported.</item>
/// </list>
/// </summary>
/// <remarks>
/// Silent in the kernel (nothing corrupts; memory is wasted): a finding beyond history, except in the
/// states where 3bac01168982 names it (v6.19, mm-2026-03: <see cref="History.IsBeyondHistory"/>). Runs
/// after <see cref="QuiescenceOracle"/>, whose walk it reads, so that it never hides a kind history records.
/// </remarks>
public sealed class LostDeferredSplitOracle(World world, QuiescenceOracle queues) : Oracle
{
    readonly int[] droppedBy = Enumerable.Repeat(-1, ScenarioText.MaxFolios).ToArray();       // the CPU that dropped it untried (off a list, trylock failed), or -1
    readonly int[] unlinkedBy = Enumerable.Repeat(-1, ScenarioText.MaxFolios).ToArray();      // the CPU that last took it off a list outside a split, or -1
    readonly bool[,] trylockFailed = new bool[ScenarioText.MaxCpus, ScenarioText.MaxFolios];

    /// <inheritdoc/>
    public override void Reset()
    {
        Array.Fill(droppedBy, -1);
        Array.Fill(unlinkedBy, -1);
        Array.Clear(trylockFailed);
    }

    /// <inheritdoc/>
    public override bool WatchesWrite(AccessOp op) => op == AccessOp.TestSetBitLock;

    /// <summary>Notes whether each CPU's last attempt to take a folio's lock found it held (a failed <c>folio_trylock()</c>).</summary>
    public override bool BeforeWrite(Cpu cpu, in Access access, in AddressInfo info)
    {
        if (access.A != PageFlags.PG_locked)
            return true;
        for (int i = 0; i < world.Scenario.Folios.Length; i++)
            if (world.Folio(i).Flags.Addr == access.Addr)
            {
                bool failed = !access.Blocking && (world.Arena.Read(access.Addr, 8) & (1UL << PageFlags.PG_locked)) != 0;
                trylockFailed[cpu.Index, i] = failed;
                if (failed && unlinkedBy[i] == cpu.Index && world.Scenario.Folios[i].Underused)
                    droppedBy[i] = cpu.Index;       // the folio_batch scan: off the queue in loop 1, the trylock fails in loop 2
                else if (!failed && droppedBy[i] == cpu.Index)
                    droppedBy[i] = -1;      // it locks the folio after all (a later pass tries to split it)
                break;
            }
        return true;
    }

    /// <inheritdoc/>
    public override void OnTracepoint(Cpu cpu, Tracepoint tracepoint, nint a0, nint a1)
    {
        if (tracepoint != Tracepoints.list_unlinked && tracepoint != Tracepoints.list_linked)
            return;
        var folios = world.Scenario.Folios;
        for (int i = 0; i < folios.Length; i++)
            if (world.Folio(i).DeferredList.Addr == a0)
            {
                if (tracepoint == Tracepoints.list_linked)
                {
                    unlinkedBy[i] = droppedBy[i] = -1;      // on a list again
                    return;
                }
                bool outsideSplit = !cpu.InFunction(Fn.split_folio);
                unlinkedBy[i] = outsideSplit ? cpu.Index : -1;
                // Taken off a list, outside a split, by a CPU whose last trylock of it failed.
                droppedBy[i] = folios[i].Underused && outsideSplit && trylockFailed[cpu.Index, i] ? cpu.Index : -1;
                return;
            }
    }

    /// <inheritdoc/>
    public override bool AtEnd()
    {
        var arena = world.Arena;
        for (int i = 0; i < world.FolioObjects.Length; i++)
        {
            int obj = world.FolioObjects[i];
            var folio = world.Folio(i);
            if (arena.LivenessOf(obj) == Liveness.Freed || queues.Reachable[obj] || FolioWords.Order(arena.Read(folio.NidOrder.Addr, 8)) <= 1)
                continue;
            string name = world.Scenario.Folios[i].Name;
            if (FolioWords.PartiallyMapped(arena.Read(folio.PartiallyMapped.Addr, 8)))
            {
                Machine.Report(BugKind.LostDeferredSplit,
                    $"at quiescence: {name} is partially mapped (PG_partially_mapped) but on no deferred split queue: __folio_remove_rmap() queues only a folio " +
                    "whose flag is clear, so the shrinker will never split it", null);
                return false;
            }
            if (droppedBy[i] >= 0)
            {
                Machine.Report(BugKind.LostDeferredSplit,
                    $"at quiescence: {name} is underused but on no deferred split queue: the scan took it off its queue and its folio_trylock() failed " +
                    "(another task held the lock), and nothing queues a fully mapped folio again, so the shrinker will never split it", null);
                return false;
            }
        }
        return true;
    }
}
