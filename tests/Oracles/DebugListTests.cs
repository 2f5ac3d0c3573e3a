using MmFuzz.Engine;
using NUnit.Framework;
using static MmFuzz.Tests.Oracles.OracleAsserts;
using static MmFuzz.Tests.Rig;

namespace MmFuzz.Tests.Oracles;

/// <summary>
/// CONFIG_DEBUG_LIST of the ports (<c>core/Kernel/Kernel.List.cs</c>, lib/list_debug.c): a second
/// <c>list_del()</c> of a queued entry finds LIST_POISON1 and reports list corruption; a second
/// <c>list_del_init()</c> finds a self-linked entry and is silent. Every other DEBUG_LIST message,
/// with the kernel's check order, is a row of <see cref="ListTests"/>.
/// </summary>
[TestFixture, Category("quick")]
public class DebugListTests
{
    [Test]
    public void ListCorruption_ListDelTwice_Fires()
    {
        using var rig = new Rig([On(M1, "A")], async (k, r) =>
        {
            await k.Lock(r.Q1);
            await k.ListDel(r["A"]);
            await k.SplitQueueLenAdd(r.Q1, -1);
            await k.ListDel(r["A"]);
        });
        AssertBug(rig.Run(), BugKind.ListCorruption,
            $"list_del corruption, {rig.Px(rig["A"])}->next is LIST_POISON1 (dead000000000100) [{rig.Px(rig["A"])}=A]", 1);
    }

    [Test]
    public void ListCorruption_ListDelInitTwice_IsSilent()
    {
        using var rig = new Rig([On(M1, "A")], async (k, r) =>
        {
            await k.Lock(r.Q1);
            await k.ListDelInit(r["A"]);
            await k.SplitQueueLenAdd(r.Q1, -1);
            await k.ListDelInit(r["A"]);
            await k.Unlock(r.Q1);
        });
        AssertOk(rig.Run());
        Assert.That(rig.State("H", "A"), Is.EqualTo(new[] { "H: next=H prev=H", "A: next=A prev=A" }));
    }
}
