using MmFuzz.Engine;
using MmFuzz.Oracles;
using MmFuzz.Strategies;
using NUnit.Framework;
using static MmFuzz.Tests.Oracles.OracleAsserts;
using static MmFuzz.Tests.Rig;

namespace MmFuzz.Tests.Oracles;

/// <summary>
/// Lock misuse (<see cref="LockMisuseOracle"/>): <c>spin_unlock()</c> of a lock this CPU does not
/// hold, and returning with a lock held; and <c>folio_unlock()</c>'s own <c>VM_BUG_ON_FOLIO</c> of an
/// unlocked folio. Balanced spin and folio locks are silent.
/// </summary>
[TestFixture, Category("quick")]
public class LockMisuseOracleTests
{
    [Test]
    public void LockMisuse_UnlockOfALockNotHeld_Fires()
    {
        using var rig = new Rig([Free("A")], async (k, r) => await k.Unlock(r.Q1));
        AssertBug(rig.Run(), BugKind.LockMisuse, "BUG: spinlock wrong CPU on CPU#1: memcg1.split_queue_lock is not held by this CPU", 1);
    }

    [Test]
    public void LockMisuse_UnlockOfALockHeldByAnotherCpu_Fires()
    {
        using var rig = new Rig([Free("A")],
            async (k, r) =>
            {
                await k.Lock(r.Q1);
                await k.Unlock(r.Q1);
            },
            async (k, r) => await k.Unlock(r.Q1));
        AssertBug(rig.Run(new SwitchPointStrategy([(0, 0), (1, 1)])), BugKind.LockMisuse,
            "BUG: spinlock wrong CPU on CPU#2: memcg1.split_queue_lock is not held by this CPU", 2);
    }

    [Test]
    public void LockMisuse_ReturningWithALockHeld_Fires()
    {
        using var rig = new Rig([Free("A")], async (k, r) => await k.Lock(r.Q1));
        AssertBug(rig.Run(), BugKind.LockMisuse, "BUG: lock held when returning to user space! CPU 1 still holds memcg1.split_queue_lock", 1);
    }

    [Test]
    public void LockMisuse_FolioUnlockOfAnUnlockedFolio_Fires()
    {
        using var rig = new Rig([Free("A")], async (k, r) => await k.folio_unlock(r.Folio("A")));
        AssertBug(rig.Run(), BugKind.LockMisuse, "kernel BUG at mm/filemap.c: VM_BUG_ON_FOLIO(!folio_test_locked(folio)) (A)", 1);
    }

    [Test]
    public void LockMisuse_BalancedSpinAndFolioLocks_AreSilent()
    {
        using var rig = new Rig([Free("A")],
            async (k, r) =>
            {
                await k.Lock(r.Q1);
                await k.Unlock(r.Q1);
                await k.folio_lock(r.Folio("A"));
                await k.folio_unlock(r.Folio("A"));
            },
            async (k, r) =>
            {
                await k.folio_lock(r.Folio("A"));
                await k.folio_unlock(r.Folio("A"));
                await k.Lock(r.Q1);
                await k.Unlock(r.Q1);
            });
        AssertOk(rig.Run(new SwitchPointStrategy([(0, 0), (1, 1)])));
        AssertOk(rig.Run(RunFirst(1)));
    }
}
