using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Memory;
using MmFuzz.Oracles;
using NUnit.Framework;
using static MmFuzz.Tests.Oracles.OracleAsserts;
using static MmFuzz.Tests.Rig;

namespace MmFuzz.Tests.Oracles;

/// <summary>
/// Bad page state: the checks of <c>free_pages_prepare()</c> in the ports
/// (<c>core/Kernel/Kernel.Free.cs</c>: on deferred list, PG_locked, nonzero refcount) and the
/// allocator-side oracle (<see cref="BadPageOracle"/>) for a linked folio those checks let through.
/// Each fires with the kernel's <c>bad_page()</c> text; a correct free is silent.
/// </summary>
[TestFixture, Category("quick")]
public class BadPageOracleTests
{
    [Test]
    public void BadPageState_FreedWhileOnADeferredList()
    {
        // Not large_rmappable: __folio_put skips folio_undo_large_rmappable and frees a queued folio.
        using var rig = new Rig([On(M1, "A")], [Put(0)], async (k, r) =>
        {
            await k.ClearFlag(r.Folio("A"), PageFlags.PG_large_rmappable);
            await k.folio_put(r.Folio("A"));
        });
        AssertBug(rig.Run(), BugKind.BadPageState,
            "BUG: Bad page state in process cpu1  pfn:01000 page dumped because: on deferred list (A)", 1);
    }

    [Test]
    public void BadPageState_FreeOfAQueuedLargeRmappableFolio_UnqueuesFirst_IsSilent()
    {
        using var rig = new Rig([On(M1, "A")], [Put(0)], async (k, r) => await k.folio_put(r.Folio("A")));
        AssertOk(rig.Run());
        Assert.That(LivenessOf(rig, "A"), Is.EqualTo(Liveness.Freed));
        Assert.That(rig.State("H"), Is.EqualTo(new[] { "H: next=H prev=H" }));
        Assert.That(rig.Len(rig.Q1), Is.EqualTo(0));
    }

    [Test]
    public void BadPageState_FreedWhileLocked()
    {
        using var rig = new Rig([Free("A", locked: true)], [Put(0)], async (k, r) => await k.folio_put(r.Folio("A")));
        AssertBug(rig.Run(), BugKind.BadPageState,
            "BUG: Bad page state in process cpu1  pfn:01000 page dumped because: PAGE_FLAGS_CHECK_AT_FREE flag(s) set (A)", 1);
    }

    [Test]
    public void BadPageState_FreedAfterUnlock_IsSilent()
    {
        using var rig = new Rig([Free("A", locked: true)], [Put(0)], async (k, r) =>
        {
            await k.folio_unlock(r.Folio("A"));
            await k.folio_put(r.Folio("A"));
        });
        AssertOk(rig.Run());
    }

    [Test]
    public void BadPageState_FreedWithANonzeroRefcount()
    {
        using var rig = new Rig([Free("A"), Free("B")], async (k, r) => await k.FreeUnrefPage(r.Folio("B")));
        AssertBug(rig.Run(), BugKind.BadPageState,
            "BUG: Bad page state in process cpu1  pfn:01010 page dumped because: nonzero _refcount (B)", 1);
    }

    [Test]
    public void BadPageState_FreedAtRefcountZero_IsSilent()
    {
        bool reachedZero = false;
        using var rig = new Rig([Free("A"), Free("B")], [Put(1)], async (k, r) =>
        {
            reachedZero = await k.FolioPutTestzero(r.Folio("B"));
            await k.FreeUnrefPage(r.Folio("B"));
        });
        AssertOk(rig.Run());
        Assert.That(reachedZero, Is.True);
        Assert.That(LivenessOf(rig, "B"), Is.EqualTo(Liveness.Freed));
    }

    [Test]
    public void BadPageState_AllocatorOracle_CatchesALinkedFolioThatFreePagesPrepareDoesNotCheck()
    {
        // free_pages_prepare() only checks the deferred list of order > 1 folios; the allocator-side
        // oracle (World.FreeFolio) catches an order-1 folio still linked on a queue.
        using var rig = new Rig([On(M1, "A", order: 1)], [Put(0)], async (k, r) => await k.folio_put(r.Folio("A")));
        AssertBug(rig.Run(), BugKind.BadPageState,
            "BUG: Bad page state in process cpu1  pfn:01000 page dumped because: on deferred list (A) (A->_deferred_list.next = memcg1.queue)", 1);
    }
}
