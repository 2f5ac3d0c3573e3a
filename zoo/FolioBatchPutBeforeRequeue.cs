using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Zoo;

/// <summary>
/// Mutant of <c>deferred_split_scan()</c> loop 2 (mm/huge_memory.c, folio_batch series on v6.13):
/// instead of one <c>folios_put(&amp;fbatch)</c> after the loop, the patch drops each folio's batch
/// reference as soon as its split attempt is over, before the re-queue. A folio whose last other
/// reference goes at that moment is freed, and the scan then reads its flags and memcg and links it on
/// a queue: a use after free.
/// </summary>
public sealed class FolioBatchPutBeforeRequeue(World world, Cpu cpu) : KernelFolioBatch(world, cpu)
{
    /// <summary>Mutated <c>folios_put(&amp;fbatch)</c> after loop 2: loop 2 dropped every pin itself, so only the batch is emptied.</summary>
    protected override Sim mmfuzz_deferred_split_scan_put(FolioBatch fbatch)
    {
        fbatch.reinit();
        return default;
    }

    /// <summary>Mutated loop 2: each folio's batch reference goes when its split attempt is over, before a re-queue.</summary>
    protected override async Sim<int> mmfuzz_deferred_split_scan_batch(FolioBatch fbatch)
    {
        int split = 0;
        for (int i = 0; i < fbatch.count; i++)
        {
            bool did_split = false;
            var folio = fbatch.folios[i];
            if (!await folio_test_partially_mapped(folio) && !thp_underused(folio))
                goto next;
            if (!await folio_trylock(folio))
                goto requeue;
            if (await split_folio(folio) == 0)
            {
                did_split = true;
                split++;
            }
            await folio_unlock(folio);
        next:
            if (did_split || !await folio_test_partially_mapped(folio))
            {
                await folio_put(folio);     // MUTATION: the batch's reference, here
                continue;
            }
        requeue:
            await folio_put(folio);         // MUTATION: the batch's reference is dropped before the re-queue
            await mmfuzz_deferred_split_scan_requeue(folio);
        }
        return split;
    }
}
