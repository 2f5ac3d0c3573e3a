using MmFuzz.C;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Search;
using MmFuzz.Strategies;
using NUnit.Framework;

namespace MmFuzz.Tests.C;

/// <summary>
/// A stable backport as a reviewer would bring it, in C: a2e0c0668a34 "mm: migrate: requeue destination
/// folio on deferred split queue" went to 6.12-stable review (2026-05-04) and to queue/6.18 (2026-04-28)
/// on its own, onto kernels whose deferred-split code is v6.13's (docs/SOURCES.md §1.4). It is modelled
/// as v6.13's C rendering with mm-2026-03's mm/migrate.c (the destination re-queued after
/// <c>remove_migration_ptes()</c>), as <c>verify --c corpus/kernels/v6.13/mm/huge_memory.c --c
/// corpus/kernels/mm-2026-03/mm/migrate.c --base v6.13</c> loads it: syzbot's WARN of mainline's 2026
/// race is there at one preemption, with v6.13's scan; with v7.1's migrate.c (3bac01168982's half that
/// moves the re-queue before <c>remove_migration_ptes()</c>) every migration scenario is clean at bound 2.
/// </summary>
[TestFixture, Category("slow")]
[Parallelizable(ParallelScope.All)]
public class CBackportTests
{
    /// <summary>v6.13's rendering with <paramref name="migrateFrom"/>'s mm/migrate.c, over v6.13's ports.</summary>
    static Variant V6_13With(string migrateFrom, string name)
    {
        var migrate = CRenderings.Files(migrateFrom).Single(f => f.Path == "mm/migrate.c");
        var files = CRenderings.Files("v6.13").Append(migrate).ToList();
        return CState.Load(new CLoadOptions { Files = files, Name = name }, Variants.V6_13).Variant;
    }

    [Test]
    public void A2e0c0668a34AloneOnV6_13HasSyzbotsWarn()
    {
        var backport = V6_13With("mm-2026-03", "v6.13+a2e0c0668a34");
        var r = Verifier.Verify(backport, Catalog.MigrateUnmapDst, new HuntOptions(new Budget(600, 2_000_000), Preemptions: 2) { Reduction = true });
        var bug = r.Bug;
        Assert.That(bug, Is.Not.Null, $"no bug in {r.Executions} executions");
        Assert.That(History.Of(Variants.Mm2026_03)![Family.ScanVsMigrate].Kinds, Does.Contain(bug!.Kind), "the kind history records for mainline's race");
        Assert.That(bug.Outcome.Message, Does.StartWith("WARNING: CPU: ").And.Contain("deferred_split_folio"), "the VM_WARN_ON_FOLIO syzbot reported");
        Assert.That(bug.Preemptions, Is.EqualTo(1));
        Assert.That(bug.ProvenMinimal, Is.True);
        using var again = new Simulation(backport, bug.Scenario, bug.OraclesOff);
        Assert.That(again.Run(new ReplayStrategy(bug.Steps)).Message, Is.EqualTo(bug.Outcome.Message));
        // The base has no re-queue at all: the same scenario is clean in v6.13's own rendering.
        var @base = CRenderings.Variant("v6.13", "C");
        var clean = Verifier.Verify(@base, Catalog.MigrateUnmapDst, new HuntOptions(new Budget(600, 2_000_000), Preemptions: 2) { Reduction = true });
        Assert.That(clean.Bug, Is.Null, () => clean.Bug!.Outcome.Message);
        Assert.That(clean.Exhausted, Is.True);
    }

    [Test]
    public void WithTheFixsMigrationHalfEveryMigrationScenarioIsClean()
    {
        var fixedBackport = V6_13With("v7.1", "v6.13+a2e0c0668a34+3bac01168982");
        foreach (var scenario in Family.ScanVsMigrate.Scenarios)
        {
            var r = Verifier.Verify(fixedBackport, scenario, new HuntOptions(new Budget(600, 2_000_000), Preemptions: 2) { Reduction = true });
            Assert.That(r.Bug, Is.Null, () => $"{scenario.Name}: {r.Bug!.Outcome.Kind}: {r.Bug.Outcome.Message}");
            Assert.That(r.Exhausted, Is.True, scenario.Name);
        }
    }
}
