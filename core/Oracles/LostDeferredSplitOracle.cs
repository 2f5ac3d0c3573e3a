using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Memory;

namespace MmFuzz.Oracles;

/// <summary>
/// At quiescence, for kernel states with <c>PG_partially_mapped</c> (v6.12-rc1 and later): a live
/// large folio with the flag set is on no deferred split queue, so the shrinker will never split it.
/// <c>__folio_remove_rmap()</c> queues a folio only while the flag is clear, so nothing queues it
/// again; its unmapped pages stay allocated until the whole folio is freed.
/// </summary>
/// <remarks>
/// Silent in the kernel (nothing corrupts; memory is wasted): a finding beyond history. Runs after
/// <see cref="QuiescenceOracle"/>, whose walk it reads, so that it never hides a kind history records.
/// </remarks>
public sealed class LostDeferredSplitOracle(World world, QuiescenceOracle queues) : Oracle
{
    /// <inheritdoc/>
    public override bool AtEnd()
    {
        var arena = world.Arena;
        for (int i = 0; i < world.FolioObjects.Length; i++)
        {
            int obj = world.FolioObjects[i];
            var folio = world.Folio(i);
            if (arena.LivenessOf(obj) == Liveness.Freed || queues.Reachable[obj] || FolioWords.Order(arena.Read(folio.NidOrder.Addr, 8)) <= 1
                || !FolioWords.PartiallyMapped(arena.Read(folio.PartiallyMapped.Addr, 8)))
                continue;
            string name = world.Scenario.Folios[i].Name;
            Machine.Report(BugKind.LostDeferredSplit,
                $"at quiescence: {name} is partially mapped (PG_partially_mapped) but on no deferred split queue: __folio_remove_rmap() queues only a folio " +
                "whose flag is clear, so the shrinker will never split it", null);
            return false;
        }
        return true;
    }
}
