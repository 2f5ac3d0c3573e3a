using MmFuzz.Engine;
using MmFuzz.Oracles;
using NUnit.Framework;
using static MmFuzz.Tests.Oracles.OracleAsserts;
using static MmFuzz.Tests.Rig;

namespace MmFuzz.Tests.Oracles;

/// <summary>
/// The livelock oracle (<see cref="LivelockOracle"/>): the step bound of an execution, reached by a
/// walk of a cyclic corrupted list; a walk of an intact one ends well within it.
/// </summary>
[TestFixture, Category("quick")]
public class LivelockOracleTests
{
    static Func<TestKernel, Rig, Sim> WalkQueue(bool makeCycle) => async (k, r) =>
    {
        await k.Lock(r.Q1);
        if (makeCycle)
            await k.Poke(r["B"].Next, r["A"]);     // A -> B -> A: the walk never returns to H
        for (var f = await k.ListFirstEntry(r["H"]); f.DeferredList != r["H"]; f = await k.ListNextEntry(f))
        {
        }
        await k.Unlock(r.Q1);
    };

    [Test]
    public void Livelock_WalkOfACyclicList_HitsTheStepBound()
    {
        using var rig = new Rig([On(M1, "A"), On(M1, "B")], WalkQueue(makeCycle: true));
        rig.Machine.MaxSteps = 1000;
        var o = rig.Run();
        AssertBug(o, BugKind.Livelock,
            "step bound 1000 exceeded: probably a CPU walking a cyclic corrupted list or spinning without progress (CPU 1 in list_next_entry)", 0);
        Assert.That(o.Step, Is.EqualTo(1000));
    }

    [Test]
    public void Livelock_WalkOfAnIntactList_IsSilent()
    {
        using var rig = new Rig([On(M1, "A"), On(M1, "B")], WalkQueue(makeCycle: false));
        rig.Machine.MaxSteps = 1000;
        var o = rig.Run();
        AssertOk(o);
        Assert.That(o.Step, Is.EqualTo(5), "lock, three reads, unlock");
    }
}
