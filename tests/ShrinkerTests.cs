using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using NUnit.Framework;
using MmFuzz.Search;
using MmFuzz.Schedules;
using MmFuzz.Reports;

namespace MmFuzz.Tests;

/// <summary>The shrinker shared by FsCheck and <c>hunt</c>: well-formed, strictly smaller candidates; the bug kind kept.</summary>
[TestFixture, Category("quick")]
public class ShrinkerTests
{
    static readonly HashSet<BugKind> None = [];

    static IEnumerable<ChoiceCase> Generated(int seed, int count)
    {
        var rng = new Random(seed);
        for (int i = 0; i < count; i++)
            yield return ChoiceCase.Decode(ChoiceBytes.Draw(rng));
    }

    /// <summary>
    /// The CPUs that hold a reference to folio <paramref name="f"/>: those whose operations name it, but
    /// not as a migration's destination or the target of a partial unmap, which share the migration's one
    /// reference (<see cref="ScenarioDecoder"/>).
    /// </summary>
    static int Holders(Scenario s, int f) => s.Cpus.Count(p => p.Any(op => op.Folios.Contains(f)
        && op.Kind != OpKind.Unmap && !(op.Kind == OpKind.MigrateFolio && op.Folios is [_, var dst] && dst == f)));

    /// <summary>
    /// Every structural candidate is well-formed: each folio keeps a reference per CPU that uses it
    /// (plus the lock holder's), lock/unlock pairs stay adjacent, and the safe variants show nothing
    /// but beyond-history kinds under the case's schedule.
    /// </summary>
    [Test]
    public void StructuralCandidatesAreWellFormed()
    {
        int checkedCandidates = 0;
        foreach (var c in Generated(5, 1000))
            foreach (var s in Shrinker.ScenarioCandidates(c.Scenario))
            {
                checkedCandidates++;
                Assert.That(s.Cpus, Is.Not.Empty);
                // The decoder may leave a program empty (it drops deferred_split_folio() of a split
                // or migrated folio); the shrinker never empties one.
                Assert.That(s.Cpus.Count(p => p.Length == 0), Is.LessThanOrEqualTo(c.Scenario.Cpus.Count(p => p.Length == 0)), s.Description);
                for (int f = 0; f < s.Folios.Length; f++)
                {
                    Assert.That(s.Folios[f].Name, Is.EqualTo(((char)('A' + f)).ToString()));
                    Assert.That(s.Folios[f].Refcount, Is.GreaterThanOrEqualTo(Math.Max(1, Holders(s, f) + (s.Folios[f].Locked ? 1 : 0))), s.Description);
                }
                foreach (var p in s.Cpus)
                    for (int i = 0; i < p.Length; i++)
                    {
                        Assert.That(p[i].Folios.All(f => f >= 0 && f < s.Folios.Length), s.Description);
                        if (p[i].Kind == OpKind.FolioLock)
                            Assert.That(p[i + 1], Is.EqualTo(p[i] with { Kind = OpKind.FolioUnlock }).Using<Op>((a, b) => a.Kind == b.Kind && a.Folios.SequenceEqual(b.Folios)), s.Description);
                    }
                foreach (var v in new[] { Variants.V6_10, Variants.FolioBatch })
                {
                    if (Family.Touched(s).Any(f => History.Of(v)![f].IsBug))
                        continue;       // v6.10's swapout race (f8f931bba0f9): history's bug, not the shrinker's
                    var o = ChoiceRun.Run(v, c with { Scenario = s }, None);
                    Assert.That(o.Verdict == Verdict.Ok || o.IsBug && History.BeyondHistoryKinds.Contains(o.Kind),
                        $"{v.Name}: {s.Description}; schedule {c.ScheduleHex}: {o.Verdict} {o.Kind}: {o.Message}");
                }
            }
        Assert.That(checkedCandidates, Is.GreaterThan(3000));
    }

    /// <summary>Each candidate is strictly smaller: fewer CPUs, folios or operations, a simpler initial state, or a shortlex-smaller schedule.</summary>
    [Test]
    public void CandidatesAreStrictlySmaller()
    {
        static (int, int, int, int, int) Structure(Scenario s) => (s.Cpus.Length, s.Folios.Length, s.Cpus.Sum(p => p.Length),
            s.Folios.Sum(f => f.Refcount + (f.Locked ? 1 : 0) + (f.PartiallyMapped ? 1 : 0) + (f.Underused ? 1 : 0) + (f.Queue != QueueId.None ? 1 : 0) + (f.Memcg == QueueId.Memcg2 ? 1 : 0)),
            s.Cpus.Sum(p => p.Sum(op => op.Folios.Length + (op.Kind == OpKind.FoliosPutRefs ? 1 : 0))));
        static bool ShortlexLess(byte[] a, byte[] b) =>
            a.Length != b.Length ? a.Length < b.Length : a.AsSpan().SequenceCompareTo(b) < 0;
        foreach (var c in Generated(9, 200))
            foreach (var d in Shrinker.Candidates(c))
            {
                var (before, after) = (Structure(c.Scenario), Structure(d.Scenario));
                bool smaller = !ReferenceEquals(c.Scenario, d.Scenario)
                    ? after.Item1 < before.Item1 || after.Item2 < before.Item2 || after.Item3 < before.Item3 || after.Item4 < before.Item4 || after.Item5 < before.Item5
                    : ShortlexLess(d.Schedule, c.Schedule);
                Assert.That(smaller, $"{c} -> {d}");
                if (!ReferenceEquals(c.Scenario, d.Scenario))
                    Assert.That(after.Item1 <= before.Item1 && after.Item2 <= before.Item2 && after.Item3 <= before.Item3, $"{c} -> {d}");
            }
    }

    /// <summary>
    /// A case without reclaim's swapout or memcg v1's charge move, whose races (f8f931bba0f9) show
    /// without any other CPU: the tests below are about the free and migration races.
    /// </summary>
    static bool OnlyFreeMigrateOrSplit(ChoiceCase c) =>
        !c.Scenario.Cpus.Any(p => p.Any(op => op.Kind is OpKind.Swapout or OpKind.MoveCharge));

    /// <summary>mm-2024-03's batch free of a charged, queued folio shrinks to its essence: one CPU, one call, no schedule.</summary>
    [Test]
    public void SeedMailStateShrinksToOneBatchFree()
    {
        var failing = Generated(21, 5000).Where(OnlyFreeMigrateOrSplit).First(c => ChoiceRun.Run(Variants.Mm2024_03, c, None) is { IsBug: true, Kind: BugKind.WrongLock } && c.Size.Cpus == 3);
        var r = Shrinker.Shrink(Variants.Mm2024_03, failing, BugKind.WrongLock, None);
        Assert.That(r.Outcome.Kind, Is.EqualTo(BugKind.WrongLock));
        Assert.That(r.Steps, Is.GreaterThan(0));
        Assert.That(r.Replays, Is.GreaterThan(r.Steps));
        Assert.That(r.Case.Scenario.Cpus.Select(p => p.Select(op => op.Kind)), Is.EqualTo(new[] { new[] { OpKind.FoliosPutRefs } }), r.Case.ToString());
        Assert.That(r.Case.Scenario.Folios, Has.Length.EqualTo(1));
        Assert.That(r.Case.Schedule, Is.Empty);
    }

    /// <summary>
    /// A shrink never changes the bug kind, and the case it returns reproduces it: the 2024 migration
    /// race's KASAN report (history's kind for scan-vs-migrate in v6.8 and v6.9), from the first
    /// generated case that shows it, shrinks to the scan and the migration at its 2 preemptions.
    /// </summary>
    [TestCase("v6.9")]
    [TestCase("v6.8")]
    public void MigrationRaceShrinksKeepingItsKind(string name)
    {
        var v = Variants.Find(name)!;
        var (failing, kind) = Generated(4, 50_000).Where(OnlyFreeMigrateOrSplit)
            .Select(c => (c, o: ChoiceRun.Run(v, c, None)))
            .Where(x => x.o.IsBug && x.o.Kind == BugKind.UseAfterFree).Select(x => (x.c, x.o.Kind)).First();
        var r = Shrinker.Shrink(v, failing, kind, None);
        Assert.That(ChoiceRun.Run(v, r.Case, None).Kind, Is.EqualTo(kind));
        Assert.That(r.Case.Size.Cpus, Is.EqualTo(2), r.Case.ToString());
        Assert.That(r.Case.Scenario.Cpus.SelectMany(p => p).Select(op => op.Kind), Is.EquivalentTo(new[] { OpKind.Scan, OpKind.MigrateFolio }), r.Case.ToString());
        var finding = Minimizer.MinimizeCase(v, r.Case, kind, None, 0);
        Assert.That(finding.Outcome.Kind, Is.EqualTo(kind));
        Assert.That(finding.Preemptions, Is.EqualTo(2), $"{kind}: {r.Case}");
        Assert.That(finding.ProvenMinimal, Is.True);
    }

    /// <summary>A recorded schedule converts to choice-stream bytes that run it again step for step (how a minimized schedule is shrunk again).</summary>
    [Test]
    public void RecordedSchedulesConvertToChoicesThatReplayThem()
    {
        var rng = new Random(17);
        foreach (var scenario in Catalog.All)
        {
            using var world = new Simulation(Variants.V6_9, scenario);
            for (int i = 0; i < 20; i++)
            {
                world.Run(new Strategies.RandomStrategy((ulong)rng.Next()));
                var steps = world.Machine.Choices.ToArray();
                var ops = world.Machine.Ops.ToArray();
                var recorded = Enumerable.Range(0, steps.Length).Select(k => new ScheduleStep(steps[k], ops[k])).ToList();
                var bytes = Shrinker.ToChoices(world, new Strategies.ReplayStrategy(recorded));
                ChoiceRun.Run(world, new ChoiceCase(scenario, bytes), out int used);
                Assert.That(world.Machine.Choices.ToArray(), Is.EqualTo(steps), scenario.Name);
                Assert.That(used, Is.EqualTo(bytes.Length));
            }
        }
    }

    /// <summary>The default hunt: a safe variant reports no bug (beyond-history kinds aside), a buggy one a kind history records.</summary>
    [Test]
    public void GenerationHuntSeparatesSafeFromBuggy()
    {
        var safe = GenerationHunter.Hunt(Variants.FolioBatch, null, new HuntOptions(new Budget(600, 30_000), Seed: 3, Ignore: None));
        Assert.That(safe.Bug, Is.Null, () => safe.Bug!.Trace());
        Assert.That(safe.Executions, Is.EqualTo(30_000));
        Assert.That(safe.BeyondHistory.Select(f => f.Outcome.Kind), Is.SubsetOf(History.BeyondHistoryKinds));
        var buggy = GenerationHunter.Hunt(Variants.V6_9, null, new HuntOptions(new Budget(600, 200_000), Seed: 3, Ignore: None));
        Assert.That(buggy.Bug, Is.Not.Null);
        Assert.That(buggy.Shrink, Is.Not.Null);
        Assert.That(buggy.Bug!.Preemptions, Is.LessThanOrEqualTo(2), buggy.Bug.Trace());
        // The shrunk case runs a family where history records v6.9's race (migration, or swapout), of a kind that race shows.
        var row = History.Of(Variants.V6_9)!;
        Assert.That(Family.Touched(buggy.Shrink!.Shrunk.Case.Scenario).Any(f => row[f].IsBug && row[f].Kinds.Contains(buggy.Bug.Kind)), buggy.Shrink.Shrunk.Case.ToString());
    }
}
