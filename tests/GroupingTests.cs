using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Reports;
using MmFuzz.Scenarios;
using MmFuzz.Schedules;
using MmFuzz.Search;
using NUnit.Framework;

namespace MmFuzz.Tests;

/// <summary>
/// A bug is its race (<see cref="Race"/>, <see cref="BugGroup"/>, <see cref="DistinctBug"/>): checked on
/// the corpus, whose files name the history race each one shows. The regressions of one race fall in
/// one group per state and show the same race in every state; different races fall in different
/// groups; raw findings with different masked signatures merge when their race is the same.
/// </summary>
[TestFixture, Category("quick")]
public class GroupingTests
{
    /// <summary>Every corpus file (regressions, then findings beyond history) with the history race it shows, as the corpus README tells it.</summary>
    static readonly (string File, string Race)[] Corpus =
    [
        ("regressions/0001-mm-2024-03-neighbours-batch", "batch free unqueues under the node's lock"),
        ("regressions/0002-mm-2024-03-seed-mail-batch", "batch free unqueues under the node's lock"),
        ("regressions/0003-v6.10-rc1-migrate-requeue-neighbour", "migration vs the scan's pin (accounting)"),
        ("regressions/0004-v6.12-rc1-queue-during-scan", "loop 2's unlocked count loses a queueing's"),
        ("regressions/0005-v6.12-rc1-seed-mail-batch", "loop 2's unlocked split_queue_len--"),
        ("regressions/0006-v6.8-migrate-neighbour", "migration vs the scan's pin (accounting)"),
        ("regressions/0007-v6.9-migrate-neighbour", "migration vs the scan's pin (accounting)"),
        ("regressions/0008-mm-2024-03-neighbours-batch", "batch free's count on the node's queue"),
        ("regressions/0009-v6.10-rc1-migrate-requeue-neighbour", "migration's list_empty() peek vs the re-queue (data race)"),
        ("regressions/0010-mm-2024-03-migrate-neighbour", "migration vs the scan's pin (accounting)"),
        ("regressions/0011-v6.12-rc1-migrate-neighbour", "loop 2's unlocked split_queue_len--"),
        ("regressions/0012-v6.12-rc1-split-neighbour", "loop 2's unlocked split_queue_len--"),
        ("regressions/0013-v6.9-seed-mail-batch", "the lost race's store after the free"),
        ("regressions/0014-v6.12-rc1-split-beside-scan", "loop 2's unlocked count loses a split's"),
        ("regressions/0015-v6.8-swapout-neighbour", "swapout unqueues under the node's lock"),
        ("regressions/0016-mm-2024-03-swapout-neighbour", "swapout unqueues under the node's lock"),
        ("regressions/0017-v6.9-swapout-neighbour", "swapout unqueues under the node's lock"),
        ("regressions/0018-v6.10-rc1-swapout-neighbour", "swapout unqueues under the node's lock"),
        ("regressions/0019-v6.10-swapout-neighbour", "swapout unqueues under the node's lock"),
        ("regressions/0020-v6.12-rc1-swapout-neighbour", "swapout unqueues under the node's lock"),
        ("regressions/0021-v6.8-move-charge-vs-scan", "the free after a moved charge unqueues under the new memcg's lock"),
        ("regressions/0022-mm-2024-03-move-charge-vs-scan", "the free after a moved charge unqueues under the new memcg's lock"),
        ("regressions/0023-v6.9-move-charge-vs-scan", "the free after a moved charge unqueues under the new memcg's lock"),
        ("regressions/0024-v6.10-rc1-move-charge-vs-scan", "the free after a moved charge unqueues under the new memcg's lock"),
        ("regressions/0025-v6.10-move-charge-vs-scan", "the free after a moved charge unqueues under the new memcg's lock"),
        ("regressions/0026-v6.12-rc1-move-charge-vs-scan", "the free after a moved charge unqueues under the new memcg's lock"),
        ("findings/0001-v6.13-fuzz-wrong-lock", "the rmap's re-queue inside loop 2's unlocked list_del_init() (wrong-lock)"),
        ("findings/0002-v6.13-lost-deferred-split", "the rmap's flag set while loop 2 unlinks"),
        ("findings/0003-v6.13-list-corruption", "the rmap's re-queue inside loop 2's unlocked list_del_init() (list corruption)"),
        ("findings/0004-v6.13-underused-locked", "the scan's failed trylock drops an underused folio"),
    ];

    static FoundBug Found(string name)
    {
        var path = Path.Combine(Repo.Root(), "corpus", name + ".schedule");
        var file = ScheduleFile.Parse(File.ReadAllText(path), path);
        var variant = Variants.Find(file.Variant)!;
        var report = Report.Record(variant, file.ResolveScenario(), file.Steps, file.OraclesOff);
        var finding = new Finding(variant, report.Scenario, file.OraclesOff, report.Outcome, new Schedule(file.Steps), report.Preemptions, 0);
        return new FoundBug { Finding = finding, Family = Family.Of(report.Scenario).Name, Report = report, Replay = $"replay {path}", File = path };
    }

    static readonly Lazy<Dictionary<string, FoundBug>> All = new(() => Corpus.ToDictionary(c => c.File, c => Found(c.File)));

    [Test]
    public void OneHistoryRaceIsOneGroupPerStateAndDifferentRacesAreDifferentGroups()
    {
        var groups = BugGroup.Of(All.Value.Values);
        var groupOf = Corpus.ToDictionary(c => c.File, c => groups.Single(g => g.Members.Contains(All.Value[c.File])));
        Assert.Multiple(() =>
        {
            foreach (var a in Corpus)
                foreach (var b in Corpus)
                {
                    var (fa, fb) = (All.Value[a.File], All.Value[b.File]);
                    if (string.CompareOrdinal(a.File, b.File) >= 0 || fa.Finding.Variant != fb.Finding.Variant)
                        continue;
                    bool together = groupOf[a.File] == groupOf[b.File];
                    Assert.That(together, Is.EqualTo(a.Race == b.Race),
                        $"{a.File} ({a.Race}: {fa.Race.Key}) and {b.File} ({b.Race}: {fb.Race.Key}) in {fa.Finding.Variant.Name}");
                }
        });
        // Every group is one state's: the swapout race of six states is six groups, one per state.
        Assert.That(groups.Where(g => g.Members.Any(m => m.File!.Contains("swapout", StringComparison.Ordinal))).Select(g => g.State.Name),
            Is.EquivalentTo(new[] { "v6.8", "mm-2024-03", "v6.9", "v6.10-rc1", "v6.10", "v6.12-rc1" }));
    }

    [Test]
    public void OneHistoryRaceIsTheSameRaceInEveryStateThatShowsIt()
    {
        var byRace = Corpus.GroupBy(c => c.Race).ToList();
        var keys = byRace.ToDictionary(r => r.Key, r => r.Select(c => All.Value[c.File].Race.Key).Distinct().ToList());
        Assert.Multiple(() =>
        {
            foreach (var (race, k) in keys)
                Assert.That(k, Has.Count.EqualTo(1), $"{race}: {string.Join(" | ", k)}");
            Assert.That(keys.Values.Select(k => k[0]).Distinct().Count(), Is.EqualTo(keys.Count), "different races, different keys");
        });
        Assert.Multiple(() =>
        {
            Assert.That(keys["swapout unqueues under the node's lock"][0], Is.EqualTo("wrong-lock: shrink_folio_list > list_del_init holding the node's lock"));
            Assert.That(keys["the free after a moved charge unqueues under the new memcg's lock"][0], Is.EqualTo("wrong-lock: folio_put > list_del_init holding a memcg's lock"));
            Assert.That(keys["loop 2's unlocked split_queue_len--"][0], Is.EqualTo("wrong-lock: deferred_split_scan > split_queue_len-- holding no lock"),
                "the same race in the free, migrate and split families");
            Assert.That(All.Value["findings/0001-v6.13-fuzz-wrong-lock"].Race.Accesses, Is.EqualTo("deferred_split_folio > list_add_tail / deferred_split_scan > list_del_init"));
        });
    }

    [Test]
    public void AModelAssertionShowsTheKindTheKernelReportsForTheSameRace()
    {
        // v6.13's wrong-lock (a model assertion) and its list corruption (DEBUG_LIST's report) are one race, two kinds.
        var wrongLock = All.Value["findings/0001-v6.13-fuzz-wrong-lock"];
        var corruption = All.Value["findings/0003-v6.13-list-corruption"];
        Assert.That(wrongLock.Race.Accesses, Is.EqualTo(corruption.Race.Accesses));
        var bugs = DistinctBug.Of([wrongLock, corruption], Variants.All);
        Assert.That(bugs.Select(b => b.Kind), Is.EqualTo(new[] { BugKind.ListCorruption, BugKind.WrongLock }), "the kernel's kind first");
        Assert.That(bugs[1].IsModelAssertion, Is.True);
        Assert.That(bugs[1].KernelShows, Is.EqualTo("list-corruption"));
        Assert.That(BugText.Kind(bugs[1]), Is.EqualTo("wrong-lock, a model assertion (the kernel shows list-corruption), known"));
        // Alone, the wrong-lock's scenario is searched again with the assertion off: 0003's kind, at one
        // preemption in 0001's scenario, as in 0003's own (which keeps the assertion off).
        var alone = DistinctBug.Of([wrongLock], Variants.All, KernelView.Search);
        Assert.That(alone[0].KernelShows, Is.EqualTo("list-corruption at 1 preemption"));
    }

    [Test]
    public void AGroupMergesRawFindingsWhoseMaskedSignaturesDiffer()
    {
        // The charge of A or of B moved, then both freed in one batch: the unqueue under memcg2's lock
        // writes memcg1's queue head in one, B's prev in the other: two signatures, one race.
        FoundBug Hunted(string moved)
        {
            var scenario = ScenarioText.Parse($"move-{moved}", "test", [
                (1, "folio A ref=1 memcg=memcg1 queue=memcg1 order=2"), (2, "folio B ref=1 memcg=memcg1 queue=memcg1 order=2"),
                (3, "cpu 1: deferred_split_scan(memcg1, nr_to_scan=3)"), (4, $"cpu 2: move_charge({moved}, memcg2); folios_put_refs(A,B)")], "test");
            var r = Verifier.Verify(Variants.V6_9, scenario, new HuntOptions(Budget.OfExecutions(100_000), Preemptions: 0, Jobs: 1));
            Assert.That(r.Bug, Is.Not.Null, $"move_charge({moved}) then the batch free shows a bug at 0 preemptions");
            return new FoundBug { Finding = r.Bug!, Family = "test", Report = Report.Record(r.Bug!), Replay = "-" };
        }
        var (a, b) = (Hunted("A"), Hunted("B"));
        Assert.That(BugSignature.Of(a.Finding.Outcome), Is.Not.EqualTo(BugSignature.Of(b.Finding.Outcome)), $"{a.Finding.Outcome.Message}\n{b.Finding.Outcome.Message}");
        var groups = BugGroup.Of([a, b]);
        Assert.That(groups, Has.Count.EqualTo(1), $"{a.Race.Key} | {b.Race.Key}");
        Assert.That(groups[0].Signatures, Has.Count.EqualTo(2), "the raw signatures it merges are kept");
        Assert.That(groups[0].Race.Key, Is.EqualTo("wrong-lock: folios_put_refs > list_del_init holding a memcg's lock"));
        Assert.That(groups[0].Race.Key, Is.Not.EqualTo(All.Value["regressions/0001-mm-2024-03-neighbours-batch"].Race.Key),
            "the batch free's own race (mm-2024-03, under the node's lock) is another bug");
    }
}
