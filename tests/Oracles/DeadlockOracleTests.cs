using MmFuzz.Engine;
using MmFuzz.Oracles;
using MmFuzz.Strategies;
using NUnit.Framework;
using static MmFuzz.Tests.Oracles.OracleAsserts;
using static MmFuzz.Tests.Rig;

namespace MmFuzz.Tests.Oracles;

/// <summary>
/// The deadlock oracle (<see cref="DeadlockOracle"/>): every CPU that has not finished is blocked.
/// Two CPUs taking two queue locks in opposite order deadlock under some schedules; in the same
/// order, never.
/// </summary>
[TestFixture, Category("quick")]
public class DeadlockOracleTests
{
    static Func<TestKernel, Rig, Sim> TakeBoth(bool memcg1First) => async (k, r) =>
    {
        var (first, second) = memcg1First ? (r.Q1, r.Q2) : (r.Q2, r.Q1);
        await k.Lock(first);
        await k.Lock(second);
        await k.Unlock(second);
        await k.Unlock(first);
    };

    [Test]
    public void Deadlock_OppositeLockOrder_InterleavedAfterTheFirstLocks_Fires()
    {
        using var rig = new Rig([Free("A")], TakeBoth(true), TakeBoth(false));
        var o = rig.Run(new SwitchPointStrategy([(0, 0), (1, 1)]));
        AssertBug(o, BugKind.Deadlock,
            "deadlock: every CPU that has not finished is blocked (CPU 1 waits for memcg2.split_queue_lock, CPU 2 waits for memcg1.split_queue_lock)", 0);
        Assert.That(o.Step, Is.EqualTo(4));
    }

    [Test]
    public void Deadlock_SameLockOrder_UnderTheSameSchedule_IsSilent()
    {
        using var rig = new Rig([Free("A")], TakeBoth(true), TakeBoth(true));
        AssertOk(rig.Run(new SwitchPointStrategy([(0, 0), (1, 1)])));
    }

    [Test]
    public void Deadlock_RandomSchedules_OnlyTheOppositeOrderDeadlocks()
    {
        using var opposite = new Rig([Free("A")], TakeBoth(true), TakeBoth(false));
        using var same = new Rig([Free("A")], TakeBoth(true), TakeBoth(true));
        var rs1 = new RandomStrategy(5);
        var rs2 = new RandomStrategy(5);
        int deadlocks = 0;
        for (int i = 0; i < 200; i++)
        {
            var o = opposite.Run(rs1);
            Assert.That(o.Kind, Is.AnyOf(BugKind.None, BugKind.Deadlock));
            if (o.Kind == BugKind.Deadlock)
                deadlocks++;
            AssertOk(same.Run(rs2));
        }
        Assert.That(deadlocks, Is.InRange(1, 199));
    }
}
