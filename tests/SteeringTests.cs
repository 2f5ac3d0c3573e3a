using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;
using MmFuzz.Schedules;
using MmFuzz.Search;
using NUnit.Framework;

namespace MmFuzz.Tests;

/// <summary>
/// The generating hunt's steering (docs/SEARCH.md, "Steering"): interleaving coverage counts an
/// order of conflicting accesses once, the pool keeps the cases that reach a new one, every kept case
/// and every mutant is choice bytes that replay through the one decoder, and a seeded steered hunt is
/// the same every time. Nothing here is timed.
/// </summary>
[TestFixture, Category("quick")]
public class SteeringTests
{
    static readonly HashSet<BugKind> None = [];

    /// <summary>The lost race's schedule with one preemption inside the scan: CPU 2's put runs while CPU 1 holds the queue.</summary>
    static readonly byte[] Preempted = Switches.Write([new Switches.Switch(0, 0), new Switches.Switch(12, 0)]);

    [Test]
    public void ANewOrderOfConflictingAccessesCountsOnce()
    {
        var coverage = new AliasCoverage(new FeatureSet());
        using var sim = new Simulation(Variants.V6_13, Catalog.LostRace, None, coverage);
        var c = new ChoiceCase(Catalog.LostRace, Preempted);
        ChoiceRun.Run(sim, c, out _);
        int first = coverage.NewFeatures, pairs = coverage.Pairs;
        Assert.That(first, Is.GreaterThan(0), "two CPUs touch the folio and the queue: their first conflicting pairs are new");
        ChoiceRun.Run(sim, c, out _);
        Assert.That(coverage.NewFeatures, Is.Zero, "the same run again reaches nothing new");
        Assert.That(coverage.Pairs, Is.EqualTo(pairs), "and makes the same conflicting pairs");
    }

    [Test]
    public void CoverageDoesNotDependOnTheSystem()
    {
        // Two systems of one hunt share the features (one FeatureSet): the same case on a second
        // system built for the same scenario reaches nothing new.
        var seen = new FeatureSet();
        var c = new ChoiceCase(Catalog.LostRace, Preempted);
        var one = new AliasCoverage(seen);
        using (var sim = new Simulation(Variants.V6_13, Catalog.LostRace, None, one))
            ChoiceRun.Run(sim, c, out _);
        Assert.That(seen.Count, Is.GreaterThan(0));
        var two = new AliasCoverage(seen);
        using (var sim = new Simulation(Variants.V6_13, Catalog.LostRace, None, two))
            ChoiceRun.Run(sim, c, out _);
        Assert.That(two.NewFeatures, Is.Zero);
    }

    /// <summary>
    /// The pool keeps cases that reached new coverage; each kept case and each of its mutants is a
    /// choice buffer (its scenario's bytes, then its schedule's) that decodes to the same scenario
    /// through the one decoder and runs to the same outcome: what a fuzzer, the shrinker or a
    /// corpus file would replay.
    /// </summary>
    [Test]
    public void KeptCasesAndTheirMutantsReplayFromTheirBytes()
    {
        var coverage = new AliasCoverage(new FeatureSet());
        using var systems = new SimulationCache(Variants.V6_13, None, coverage);
        var cases = new GeneratedCases(systems, null, 3, new HashSet<Family>(), coverage);
        for (int i = 0; i < 3000; i++)
            cases.Next();
        Assert.That(cases.Pool.Count, Is.GreaterThan(10), "cases reach new interleavings early in a hunt");
        Assert.That(cases.Pool.Added, Is.LessThan(3000), "and not every case does");
        var rng = new Random(5);
        int replayed = 0;
        foreach (var kept in cases.Pool.Entries.Take(40))
            foreach (var e in new[] { kept, CasePool.Mutate(kept, rng) })
            {
                int length = ScenarioDecoder.Length(e.Prefix!);
                if (length >= e.Prefix!.Length)
                    continue;       // the decoder read the whole prefix (it may read past it): not a whole buffer's prefix
                var bytes = (byte[])[.. e.Prefix.AsSpan(0, length), .. e.Schedule];
                var decoded = ChoiceCase.Decode(bytes);
                Assert.That(decoded.Scenario.Description, Is.EqualTo(e.Scenario.Description));
                Assert.That(decoded.Schedule, Is.EqualTo(e.Schedule));
                var direct = ChoiceRun.Run(Variants.V6_13, new ChoiceCase(e.Scenario, e.Schedule));
                var fromBytes = ChoiceRun.Run(Variants.V6_13, decoded);
                Assert.That((fromBytes.Verdict, fromBytes.Kind, fromBytes.Step, fromBytes.Message), Is.EqualTo((direct.Verdict, direct.Kind, direct.Step, direct.Message)));
                replayed++;
            }
        Assert.That(replayed, Is.GreaterThan(40));
    }

    [Test]
    public void TheSmallerOfTwoCasesIsPickedMoreOften()
    {
        var pool = new CasePool();
        var rng = new Random(1);
        var small = new CasePool.Entry(null, Catalog.LostRace, [5, 0], -1);
        var large = new CasePool.Entry(null, Catalog.SeedMailBatch, Switches.Write([.. Enumerable.Range(0, 30).Select(i => new Switches.Switch(i, 0))]), -1);
        Assert.That(CasePool.Cost(small), Is.LessThan(CasePool.Cost(large)));
        pool.Add(large, rng);
        pool.Add(small, rng);
        int smallPicks = Enumerable.Range(0, 4000).Count(_ => ReferenceEquals(pool.Pick(rng), small));
        Assert.That(smallPicks, Is.GreaterThan(2300), "a tournament of two: about 3 draws in 4");
        Assert.That(smallPicks, Is.LessThan(4000), "every entry keeps a share");
    }

    [Test]
    public void ScheduleMutationsKeepTheEncoding()
    {
        var rng = new Random(7);
        for (int i = 0; i < 500; i++)
        {
            var s = ChoiceBytes.Schedule(rng);
            Assert.That(Switches.Write(Switches.Read(s)), Is.EqualTo(s), "a drawn schedule reads back as its switches");
            var m = ScheduleMutator.Mutate(s, new Random(i));
            Assert.That(ScheduleMutator.Mutate(s, new Random(i)), Is.EqualTo(m), "the same random source, the same mutant");
            Assert.That(Switches.Write(Switches.Read(m)), Is.EqualTo(m), "a mutant is whole switches");
        }
    }

    /// <summary>A steered hunt with an execution budget finds the same, in the same executions, every time.</summary>
    [Test]
    public void ASeededSteeredHuntIsDeterministic()
    {
        string Once()
        {
            var r = GenerationHunter.Hunt(Variants.Mm2024_03, null, new HuntOptions(Budget.OfExecutions(20_000), Seed: 11, KeepGoing: true));
            return $"{r.Executions}: " + string.Join(" | ", r.All.Select(f => $"{f.Kind} {f.Seed} {f.Scenario.Description} {string.Join(",", f.Steps)}"));
        }
        var first = Once();
        Assert.That(first, Does.Contain("20000: "));
        Assert.That(Once(), Is.EqualTo(first));
    }

    [Test]
    public void WithoutSteeringTheHuntDrawsAsBefore()
    {
        // The unsteered source draws every case as ChoiceBytes.DrawCase does, from the same random source.
        using var systems = new SimulationCache(Variants.V6_13, None);
        var cases = new GeneratedCases(systems, null, 9, new HashSet<Family>(), null);
        var rng = new Random(unchecked((int)(9UL ^ (9UL >> 32))));
        for (int i = 0; i < 200; i++)
        {
            var expected = ChoiceBytes.DrawCase(rng);
            var e = cases.Next();
            Assert.That(e.Case!.Scenario.Description, Is.EqualTo(expected.Scenario.Description));
            Assert.That(e.Case.Schedule, Is.EqualTo(expected.Schedule));
        }
        Assert.That(cases.Pool.Count, Is.Zero);
    }
}
