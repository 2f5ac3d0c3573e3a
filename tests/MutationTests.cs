using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using NUnit.Framework;
using MmFuzz.Search;

namespace MmFuzz.Tests;

/// <summary>
/// The mutation check: break one thing in a safe state's ports — remove one function's
/// spin_lock/spin_unlock pair, swap the unqueue and the memcg uncharge, or migrate without freezing
/// the refcount — and the suite must report a bug of a kind history records. The list, with the
/// oracle that catches each, is in the README.
/// </summary>
[TestFixture, Category("slow")]
public class MutationTests
{
    /// <summary>v6.13 without the queue lock in one function (by the port's name).</summary>
    sealed class NoLockIn(World w, Cpu c, string function) : KernelV6_13(w, c)
    {
        protected override Sim spin_lock(Field<int> lockWord, string caller = "") =>
            caller == function ? default : base.spin_lock(lockWord, caller);

        protected override Sim spin_unlock(Field<int> lockWord, string caller = "") =>
            caller == function ? default : base.spin_unlock(lockWord, caller);
    }

    /// <summary>v6.9 with the free paths uncharging before they unqueue (the order 47932e7048df fixed).</summary>
    sealed class UnqueueAfterUncharge(World w, Cpu c) : KernelV6_9(w, c)
    {
        protected override Sim mmfuzz_free_path_unqueue(FolioPtr folio) => default;

        protected override async Sim free_unref_folios(FolioBatch folios)
        {
            using var _ = Cpu.Enter(Fn.free_unref_folios, folios.nr);
            foreach (var folio in folios.folios.AsSpan(0, folios.nr).ToArray())
            {
                if (await folio_order(folio) > 0 && await folio_test_large_rmappable(folio))
                    await folio_undo_large_rmappable(folio);
                if (await free_pages_prepare(folio))
                    hook_page_free(folio);
            }
        }

        protected override async Sim __folio_put(FolioPtr folio)
        {
            await mem_cgroup_uncharge(folio);
            if (await folio_test_large(folio) && await folio_test_large_rmappable(folio))
                await folio_undo_large_rmappable(folio);
            await free_unref_page(folio);
        }
    }

    /// <summary>v6.10 with folio_migrate_mapping() unqueueing without freezing the refcount.</summary>
    sealed class MigrateWithoutFreeze(World w, Cpu c) : KernelV6_10(w, c)
    {
        protected override async Sim<int> folio_migrate_mapping(FolioPtr folio, int expected_count)
        {
            if (await folio_ref_count(folio) != expected_count)
                return -EAGAIN;
            if (await folio_test_large(folio) && await folio_test_large_rmappable(folio))
                await folio_undo_large_rmappable(folio);
            return 0;
        }
    }

    // Typed as the base Kernel, so these mutants keep the base port's traits, as they always had: a
    // v6.13 mutant here runs without the lost-deferred-split oracle (the zoo's mutants have their base's).
    static Variant Mutant(string name, Func<World, Cpu, Kernel.Kernel> factory) =>
        Variant.Of(name, "mutant", factory);

    static readonly BugKind[] HistoryKinds =
        [BugKind.WrongLock, BugKind.ListCorruption, BugKind.Accounting, BugKind.UseAfterFree, BugKind.Refcount, BugKind.BadPageState, BugKind.GeneralProtection, BugKind.Livelock];

    static void AssertCaught(Variant mutant, string family)
    {
        var r = Hunter.Pct(mutant, Family.Find(family)!.Scenarios, new HuntOptions(new Budget(600, 300_000), Seed: 1));
        Assert.That(r.Bug, Is.Not.Null, $"mutant {mutant.Name} survived {r.Executions} executions of {family}");
        Assert.That(HistoryKinds, Does.Contain(r.Bug!.Outcome.Kind), r.Bug.Outcome.Message);
        TestContext.Out.WriteLine($"{mutant.Name}: {BugKinds.Name(r.Bug.Outcome.Kind)} in {r.Bug.Scenario.Name}: {r.Bug.Outcome.Message}");
    }

    [TestCase("deferred_split_folio", "scan-vs-free")]
    [TestCase("mmfuzz_deferred_split_scan_pin", "scan-vs-free")]
    [TestCase("mmfuzz_deferred_split_scan_split", "scan-vs-free")]
    [TestCase("split_folio", "scan-vs-split")]
    [TestCase("__folio_undo_large_rmappable", "scan-vs-free")]
    public void RemovingOneLockPairIsCaught(string function, string family) =>
        AssertCaught(Mutant($"v6.13 without the lock in {function}", (w, c) => new NoLockIn(w, c, function)), family);

    [Test]
    public void SwappingTheUnqueueAndTheUnchargeIsCaught() =>
        AssertCaught(Mutant("v6.9 uncharging before unqueueing", (w, c) => new UnqueueAfterUncharge(w, c)), "scan-vs-free");

    [Test]
    public void MigratingWithoutFreezingTheRefcountIsCaught() =>
        AssertCaught(Mutant("v6.10 migrating without the refcount freeze", (w, c) => new MigrateWithoutFreeze(w, c)), "scan-vs-migrate");

    [Test]
    public void TheUnmutatedStateIsSilentUnderTheSameSearch()
    {
        foreach (var family in new[] { "scan-vs-free", "scan-vs-migrate", "scan-vs-split" })
        {
            var r = Hunter.Pct(Variants.V6_13, Family.Find(family)!.Scenarios, new HuntOptions(new Budget(600, 100_000), Seed: 1));
            Assert.That(r.Bug, Is.Null, () => r.Bug!.Outcome.Message);
        }
    }
}
