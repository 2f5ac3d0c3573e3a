using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Schedules;
using MmFuzz.Search;
using MmFuzz.Strategies;
using NUnit.Framework;

namespace MmFuzz.Tests;

/// <summary>
/// Small-scope proofs (<c>verify --small-scope</c>): the enumeration holds each scenario once up to
/// symmetry and the shapes history's races need; a safe state exhausts a scope clean, a buggy one
/// shows its bug; the result does not depend on the number of workers.
/// </summary>
[TestFixture, Category("slow")]
[Parallelizable(ParallelScope.All)]
public class SmallScopeTests
{
    /// <summary>3 CPUs, 2 folios, one operation per other CPU, 2 in all, 2 preemptions.</summary>
    static readonly SmallScope.Scope Small = new(Cpus: 3, Folios: 2, OpsPerCpu: 1, Ops: 2, Preemptions: 2);

    /// <summary>2 CPUs, 2 folios, one operation besides the scan, 1 preemption.</summary>
    static readonly SmallScope.Scope Tiny = new(Cpus: 2, Folios: 2, OpsPerCpu: 1, Ops: 1, Preemptions: 1);

    static string Describe(Scenario s) => ScenarioText.Describe(s.Folios, s.Cpus);

    [Test]
    public void EachScenarioIsEnumeratedOnceUpToSymmetry()
    {
        var all = SmallScope.Scenarios(Small).ToList();
        var texts = all.Select(Describe).ToHashSet();
        Assert.That(texts, Has.Count.EqualTo(all.Count), "no scenario twice");
        foreach (var s in all.Where(s => s.Cpus.Length == 3))
        {
            // The two other CPUs are interchangeable: the swapped scenario is the same one.
            var swapped = Describe(s with { Cpus = [s.Cpus[0], s.Cpus[2], s.Cpus[1]] });
            if (swapped != Describe(s))
                Assert.That(texts, Does.Not.Contain(swapped), Describe(s));
        }
    }

    [Test]
    public void TheScopeHoldsTheShapesOfHistorysRaces()
    {
        var texts = SmallScope.Scenarios(Small).Select(Describe).ToHashSet();
        // The seed mail's lost race: the scan against the last folio_put() of a queued folio.
        Assert.That(texts, Does.Contain(Describe(Catalog.LostRace).Replace("nr_to_scan=32", "nr_to_scan=2")), "the scope's scans visit every folio: nr_to_scan is one more than the folios");
        Assert.That(texts, Does.Contain("A(ref 1, memcg1, on memcg1) B(ref 1, memcg1, on memcg1); CPU 1: deferred_split_scan(memcg1, nr_to_scan=3); CPU 2: folio_put(A); CPU 3: folio_put(B)"));
        Assert.That(texts, Does.Contain("A(ref 1, memcg1, on memcg1, partially mapped); CPU 1: deferred_split_scan(memcg1, nr_to_scan=2); CPU 2: migrate_folio(A)"));
        Assert.That(texts, Does.Contain("A(ref 1, memcg1, on memcg1) B(ref 1, memcg1, unqueued); CPU 1: deferred_split_scan(memcg1, nr_to_scan=3); CPU 2: split_folio(A); CPU 3: deferred_split_folio(B, true)"));
        Assert.That(SmallScope.Scenarios(Small).All(s => s.Cpus[0] is [{ Kind: OpKind.Scan }]), "CPU 1 scans");
    }

    [Test]
    public void ASafeStateExhaustsTheScopeWithoutABug()
    {
        var r = ScopeVerifier.Verify(Variants.FolioBatch, Small, new HuntOptions(new Budget(600, long.MaxValue), Jobs: 2));
        Assert.That(r.Exhausted, Is.True);
        Assert.That(r.ScenariosExplored, Is.EqualTo(r.ScenariosTotal));
        Assert.That(r.Bugs, Is.Empty, () => string.Join("\n", r.Bugs.Select(f => $"{f.Kind}: {f.Outcome.Message} :: {f.Scenario.Description}")));
        Assert.That(r.Executions, Is.GreaterThan(r.ScenariosTotal), "every scenario explored, most with more than one schedule");
    }

    [Test]
    public void ABuggyStateShowsItsBugAndTheFindingReplays()
    {
        var r = ScopeVerifier.Verify(Variants.Mm2024_03, Tiny, new HuntOptions(new Budget(600, long.MaxValue), Jobs: 2));
        Assert.That(r.Bugs, Is.Not.Empty);
        Assert.That(r.Bugs.Select(f => f.Kind), Has.Some.AnyOf(BugKind.WrongLock, BugKind.ListCorruption, BugKind.Accounting));
        foreach (var f in r.Findings)
        {
            using var sim = new Simulation(Variants.Mm2024_03, f.Scenario, f.OraclesOff);
            var o = sim.Run(new ReplayStrategy(f.Steps));
            Assert.That(o.Kind, Is.EqualTo(f.Kind));
            Assert.That(o.Message, Is.EqualTo(f.Outcome.Message));
            Assert.That(f.Preemptions, Is.LessThanOrEqualTo(Tiny.Preemptions));
        }
    }

    [Test]
    public void TheResultDoesNotDependOnTheNumberOfWorkers()
    {
        string Summary(HuntResult r) =>
            $"{r.ScenariosExplored} {r.Executions} {r.Exhausted}\n" + string.Join("\n", r.Findings.Select(f => $"{BugSignature.Of(f.Outcome)} :: {f.Scenario.Description} :: {f.Steps.Count}/{f.Preemptions}"));
        var one = ScopeVerifier.Verify(Variants.V6_13, Tiny, new HuntOptions(new Budget(600, long.MaxValue), Jobs: 1));
        var two = ScopeVerifier.Verify(Variants.V6_13, Tiny, new HuntOptions(new Budget(600, long.MaxValue), Jobs: 2));
        Assert.That(Summary(two), Is.EqualTo(Summary(one)));
        Assert.That(one.Findings, Is.Not.Empty, "v6.13 shows its wrong-lock in the tiny scope");
    }

    [Test]
    public void VerifySmallScopePrintsScenariosTimesExecutionsAndWhetherItExhausted()
    {
        var (rc, json) = CliRun.Run("verify", "--small-scope", "--variant", "folio-batch", "--cpus", "2", "--folios", "2", "--ops", "1", "--ops-per-cpu", "1",
            "--preemptions", "1", "--jobs", "2", "--json");
        Assert.That(rc, Is.Zero, json);
        // The row is the first line; a distinct bug (beyond history here) follows it as a line of its own.
        var row = System.Text.Json.JsonDocument.Parse(json.Trim().Split('\n')[0]).RootElement;
        Assert.That(row.GetProperty("exhausted").GetBoolean(), Is.True);
        Assert.That(row.GetProperty("verdict").GetString(), Is.EqualTo("none"));
        Assert.That(row.GetProperty("scenarios").GetInt32(), Is.EqualTo(row.GetProperty("scenarios_in_scope").GetInt32()));
        Assert.That(row.GetProperty("scenarios").GetInt32(), Is.EqualTo(SmallScope.Scenarios(Tiny).Count()));
        var (rc2, text) = CliRun.Run("verify", "--small-scope", "--variant", "folio-batch", "--cpus", "2", "--folios", "2", "--ops", "1", "--ops-per-cpu", "1",
            "--preemptions", "1", "--jobs", "1");
        Assert.That(rc2, Is.Zero, text);
        Assert.That(text, Does.Match(@"^folio-batch / small scope \(2 CPUs, 2 folios, .*\): (\d+)/\1 scenarios x [\d,]+ executions in [\d.]+ s on 1 worker\(s\): no bug of a kind history records: exhausted"));
    }

    [Test]
    public void BadScopeOptionsAreOneLineErrors()
    {
        Assert.That(CliRun.Run("verify", "--small-scope", "--variant", "v6.10", "--cpus", "9").ExitCode, Is.EqualTo(2));
        Assert.That(CliRun.Run("verify", "--small-scope", "--variant", "v6.10", "--scenario", "seed-mail").ExitCode, Is.EqualTo(2));
    }
}
