using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Memory;
using MmFuzz.Strategies;
using NUnit.Framework;
using static MmFuzz.Tests.Oracles.OracleAsserts;
using static MmFuzz.Tests.Rig;

namespace MmFuzz.Tests.Oracles;

/// <summary>
/// The refcount checks of the ports (<c>core/Kernel/Kernel.Folio.cs</c>): <c>folio_put()</c>'s
/// <c>VM_BUG_ON_PAGE</c> on a zero refcount and the underflow of <c>page_ref_dec_and_test()</c> and
/// <c>folio_ref_sub_and_test()</c>. (A folio freed while the programs hold a reference is caught at
/// quiescence: <see cref="QuiescenceOracleTests"/>.)
/// </summary>
[TestFixture, Category("quick")]
public class RefcountTests
{
    [Test]
    public void Refcount_FolioPutOfAZeroRefcount_IsVmBugOnPage()
    {
        using var rig = new Rig([Free("A", refs: 0)], async (k, r) => await k.folio_put(r.Folio("A")));
        var px = rig.Px(rig.Folio("A").Addr);
        var o = rig.Run();
        Assert.That(o.Verdict, Is.EqualTo(Verdict.Bug), () => $"{o.Verdict} {o.Kind}: {o.Message}");
        Assert.That(o.Kind, Is.EqualTo(BugKind.Refcount));
        Assert.That(o.Cpu, Is.EqualTo(1));
        // The kernel's text exactly; the symbol annotation is checked by the next (ignored) test.
        Assert.That(o.Message, Does.StartWith($"kernel BUG at include/linux/mm.h: VM_BUG_ON_PAGE(page_ref_count(page) == 0) page:{px} (A) [{px}="));
        Assert.That(o.Step, Is.EqualTo(1), "reported after the atomic_read, before any decrement");
        Assert.That(rig.World.Arena.Read(rig.Folio("A").Refcount.Addr, 4), Is.EqualTo(0UL));
    }

    [Test]
    public void Refcount_VmBugOnPage_AnnotatesThePagePointerWithTheFolioName()
    {
        using var rig = new Rig([Free("A", refs: 0)], async (k, r) => await k.folio_put(r.Folio("A")));
        var px = rig.Px(rig.Folio("A").Addr);
        AssertBug(rig.Run(), BugKind.Refcount,
            $"kernel BUG at include/linux/mm.h: VM_BUG_ON_PAGE(page_ref_count(page) == 0) page:{px} (A) [{px}=A]", 1);
    }

    [Test]
    public void Refcount_FolioPutOfTheLastReference_IsSilentAndFrees()
    {
        using var rig = new Rig([Free("A", refs: 1)], [Put(0)], async (k, r) => await k.folio_put(r.Folio("A")));
        AssertOk(rig.Run());
        Assert.That(LivenessOf(rig, "A"), Is.EqualTo(Liveness.Freed));
    }

    [Test]
    public void Refcount_DroppingMoreReferencesThanHeld_Underflows()
    {
        using var rig = new Rig([Free("A", refs: 1)], [Put(0)],
            async (k, r) => await k.folios_put_refs(FolioBatch.Of(r.Folio("A")), [2]));
        AssertBug(rig.Run(), BugKind.Refcount, "refcount underflow: A->_refcount is -1 after folio_ref_sub_and_test(2)", 1);
    }

    [Test]
    public void Refcount_DroppingTheReferencesHeld_IsSilent()
    {
        using var rig = new Rig([Free("A", refs: 2)], [Put(0), Put(0)],
            async (k, r) => await k.folios_put_refs(FolioBatch.Of(r.Folio("A")), [2]));
        AssertOk(rig.Run());
        Assert.That(LivenessOf(rig, "A"), Is.EqualTo(Liveness.Freed));
    }

    /// <summary>CPU 1 reads the refcount, CPU 2 reads it and decrements it to 0, CPU 1 decrements.</summary>
    static readonly (int, int)[] BothReadThenBothDecrement = [(0, 0), (1, 1), (3, 0)];

    [Test]
    public void Refcount_TwoPutsOfOneReference_UnderflowInPutTestzero()
    {
        using var rig = new Rig([Free("A", refs: 1)], [Put(0)],
            async (k, r) => await k.folio_put(r.Folio("A")),
            async (k, r) => await k.folio_put(r.Folio("A")));
        var o = rig.Run(new SwitchPointStrategy(BothReadThenBothDecrement));
        AssertBug(o, BugKind.Refcount, "refcount underflow: A->_refcount is -1 after page_ref_dec_and_test()", 1);
        Assert.That(o.Step, Is.EqualTo(4));
    }

    [Test]
    public void Refcount_TwoPutsOfTwoReferences_AreSilentUnderTheSameSchedule()
    {
        using var rig = new Rig([Free("A", refs: 2)], [Put(0), Put(0)],
            async (k, r) => await k.folio_put(r.Folio("A")),
            async (k, r) => await k.folio_put(r.Folio("A")));
        AssertOk(rig.Run(new SwitchPointStrategy(BothReadThenBothDecrement)));
        Assert.That(LivenessOf(rig, "A"), Is.EqualTo(Liveness.Freed));
    }
}
