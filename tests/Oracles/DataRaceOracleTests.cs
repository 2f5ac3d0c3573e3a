using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Oracles;
using MmFuzz.Strategies;
using NUnit.Framework;
using static MmFuzz.Tests.Oracles.OracleAsserts;
using static MmFuzz.Tests.Rig;

namespace MmFuzz.Tests.Oracles;

/// <summary>
/// The KCSAN-like data-race detector (<see cref="DataRaceOracle"/>): plain accesses by different CPUs not ordered by a lock or a
/// fully ordered atomic race; marked pairs, data_race() and ordered accesses do not. Runs are
/// sequential (CPU 1 to its end, then CPU 2) unless stated: happens-before, not timing, decides.
/// </summary>
[TestFixture, Category("quick")]
public class DataRaceOracleTests
{
    static readonly MemcgPtr M = new(0x1000);

    static void AssertRace(Outcome o, string message)
    {
        Assert.That(o.Kind, Is.EqualTo(BugKind.DataRace), () => $"{o.Verdict} {o.Kind}: {o.Message}");
        Assert.That(o.Message, Is.EqualTo(message));
    }

    [Test]
    public void PlainWritesWithoutCommonSynchronisation_Race()
    {
        using var rig = new Rig([Free("A")],
            async (k, r) => await k.Poke(r.Folio("A").MemcgData, M),
            async (k, r) => await k.Poke(r.Folio("A").MemcgData, default));
        AssertRace(rig.Run(), "BUG: KCSAN: data-race in ? / ?: write to A->memcg_data of 8 bytes by cpu1 at step 1, write by cpu2 at step 2" +
            " (KCSAN_STRICT only: the default config assumes aligned plain word writes atomic)");
    }

    /// <summary>A plain read is in the race, so default KCSAN reports it too: no strict-only note.</summary>
    [Test]
    public void PlainWriteThenPlainReadOnAnotherCpu_Race()
    {
        using var rig = new Rig([Free("A")],
            async (k, r) => await k.Poke(r.Folio("A").MemcgData, M),
            async (k, r) => await k.Peek(r.Folio("A").MemcgData));
        AssertRace(rig.Run(), "BUG: KCSAN: data-race in ? / ?: write to A->memcg_data of 8 bytes by cpu1 at step 1, read by cpu2 at step 2");
        using var readFirst = new Rig([Free("A")],
            async (k, r) => await k.Peek(r.Folio("A").MemcgData),
            async (k, r) => await k.PokeOnce(r.Folio("A").MemcgData, M));
        AssertRace(readFirst.Run(), "BUG: KCSAN: data-race in ? / ?: read to A->memcg_data of 8 bytes by cpu1 at step 1, write (marked) by cpu2 at step 2");
    }

    [Test]
    public void PlainAccessesUnderTheSameSpinlock_DoNotRace()
    {
        static async Sim Locked(TestKernel k, Rig r)
        {
            await k.Lock(r.Q1);
            await k.Poke(r.Folio("A").MemcgData, M);
            await k.Unlock(r.Q1);
        }
        using var rig = new Rig([Free("A")], Locked, Locked);
        for (ulong seed = 1; seed <= 200; seed++)
            AssertOk(rig.Run(new RandomStrategy(seed)));
    }

    [Test]
    public void PlainAccessesUnderDifferentSpinlocks_Race()
    {
        using var rig = new Rig([Free("A")],
            async (k, r) => { await k.Lock(r.Q1); await k.Poke(r.Folio("A").MemcgData, M); await k.Unlock(r.Q1); },
            async (k, r) => { await k.Lock(r.Q2); await k.Poke(r.Folio("A").MemcgData, M); await k.Unlock(r.Q2); });
        var o = rig.Run();
        Assert.That(o.Kind, Is.EqualTo(BugKind.DataRace), o.Message);
    }

    [Test]
    public void MarkedPairs_DoNotRace_ButAMarkedReadOfAPlainWriteDoes()
    {
        using var marked = new Rig([Free("A")],
            async (k, r) => await k.PokeOnce(r.Folio("A").MemcgData, M),
            async (k, r) => await k.PeekOnce(r.Folio("A").MemcgData));
        AssertOk(marked.Run());
        using var mixed = new Rig([Free("A")],
            async (k, r) => await k.Poke(r.Folio("A").MemcgData, M),
            async (k, r) => await k.PeekOnce(r.Folio("A").MemcgData));
        AssertRace(mixed.Run(), "BUG: KCSAN: data-race in ? / ?: write to A->memcg_data of 8 bytes by cpu1 at step 1, read (marked) by cpu2 at step 2" +
            DataRaceOracle.StrictOnlyNote);
    }

    [Test]
    public void DataRaceAnnotatedRead_IsExempt()
    {
        using var rig = new Rig([Free("A")],
            async (k, r) => await k.Poke(r.Folio("A").MemcgData, M),
            async (k, r) => await k.PeekDataRace(r.Folio("A").MemcgData));
        AssertOk(rig.Run());
    }

    [Test]
    public void FullyOrderedAtomic_OrdersThePlainAccesses_AtomicReadDoesNot()
    {
        using var ordered = new Rig([Free("A")],
            async (k, r) => { await k.Poke(r.Folio("A").MemcgData, M); await k.RefAddReturn(r.Folio("A"), 1); },
            async (k, r) => { await k.RefAddReturn(r.Folio("A"), -1); await k.Peek(r.Folio("A").MemcgData); });
        AssertOk(ordered.Run());
        using var relaxed = new Rig([Free("A")],
            async (k, r) => { await k.Poke(r.Folio("A").MemcgData, M); await k.RefAddReturn(r.Folio("A"), 1); },
            async (k, r) => { await k.RefRead(r.Folio("A")); await k.Peek(r.Folio("A").MemcgData); await k.RefAddReturn(r.Folio("A"), -1); });
        var o = relaxed.Run();
        Assert.That(o.Kind, Is.EqualTo(BugKind.DataRace), o.Message);
    }

    [Test]
    public void AMoreSpecificOracleLaterInTheExecution_Wins()
    {
        // CPU 2 races on memcg_data, then writes a queue-linked list_head without the queue lock.
        using var rig = new Rig([On(Scenarios.QueueId.Memcg1, "A")],
            async (k, r) => await k.Poke(r.Folio("A").MemcgData, M),
            async (k, r) => { await k.Poke(r.Folio("A").MemcgData, default); await k.Poke(r.Folio("A").DeferredList.Prev, r["A"]); });
        var o = rig.Run();
        Assert.That(o.Kind, Is.EqualTo(BugKind.WrongLock), o.Message);
    }

    [Test]
    public void DisabledDetector_ReportsNothing()
    {
        using var rig = new Rig([Free("A")], [], Rig.NoRaces,
            async (k, r) => await k.Poke(r.Folio("A").MemcgData, M),
            async (k, r) => await k.Poke(r.Folio("A").MemcgData, default));
        AssertOk(rig.Run());
    }

    [Test]
    public void DataRace_PeekAtAnotherCpusStackList()
    {
        using var rig = new Rig([Free("A")],
            async (k, r) => await k.deferred_split_scan(r.Q1, 32),
            async (k, r) => await k.ListEmpty(r["S"]));
        AssertBug(rig.Run(new SwitchPointStrategy([(0, 0), (2, 1)])), BugKind.DataRace,
            "BUG: KCSAN: data-race in LIST_HEAD / list_empty: write to cpu1.list of 8 bytes by cpu1 at step 1, read (marked) by cpu2 at step 3" +
            DataRaceOracle.StrictOnlyNote, 2);
    }
}

