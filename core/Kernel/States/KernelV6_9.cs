using MmFuzz.Engine;

namespace MmFuzz.Kernel;

/// <summary>
/// v6.9 (47932e7048df, "mm: remove folio from deferred split list before uncharging it"): every free
/// path unqueues after the refcount reaches 0 and before the memcg uncharge, so
/// <c>get_deferred_split_queue()</c> still returns the queue the folio is linked on. The shared ports
/// of <see cref="Kernel"/> are this state; only the uncharge assertion added by the fix is here.
/// </summary>
public class KernelV6_9(World world, Cpu cpu) : Kernel(world, cpu)
{
    /// <summary>
    /// Port of <c>uncharge_folio()</c> (mm/memcontrol.c, v6.9) with the assertion 47932e7048df added:
    /// <c>VM_BUG_ON_FOLIO(folio_order(folio) &gt; 1 &amp;&amp; !list_empty(&amp;folio-&gt;_deferred_list), folio);</c>
    /// then <c>folio-&gt;memcg_data = 0;</c>
    /// </summary>
    protected override async Sim uncharge_folio(FolioPtr folio)
    {
        if (await folio_order(folio) > 1 && !await list_empty(folio.DeferredList))
            await Bug(BugKind.BadPageState,
                $"kernel BUG at mm/memcontrol.c: VM_BUG_ON_FOLIO(folio_order(folio) > 1 && !list_empty(&folio->_deferred_list)) ({Name(folio)})");
        await base.uncharge_folio(folio);
    }
}
