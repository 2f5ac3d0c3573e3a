using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using NUnit.Framework;
using MmFuzz.Search;
using MmFuzz.Schedules;
using MmFuzz.Strategies;

namespace MmFuzz.Tests;

/// <summary>The choice-stream decoder shared by FsCheck and the fuzzers: total and well-formed.</summary>
[TestFixture, Category("quick")]
public class DecoderTests
{
    [Test]
    public void DrawCaseIsTheDecodedDraw()
    {
        for (int seed = 1; seed <= 500; seed++)
        {
            var once = ChoiceBytes.DrawCase(new Random(seed));
            var twice = ChoiceCase.Decode(ChoiceBytes.Draw(new Random(seed)));
            Assert.That(once.Scenario.Description, Is.EqualTo(twice.Scenario.Description), $"seed {seed}");
            Assert.That(once.Schedule, Is.EqualTo(twice.Schedule), $"seed {seed}");
        }
    }

    [Test]
    public void EmptyStreamIsTheSmallestRace()
    {
        var s = ScenarioDecoder.Decode([], out int used);
        Assert.That(used, Is.EqualTo(0));
        Assert.That(s.Folios, Has.Length.EqualTo(1));
        Assert.That(s.Folios[0], Is.EqualTo(new FolioSpec("A", 1, QueueId.Memcg1, QueueId.Memcg1)));
        Assert.That(s.Cpus.Select(p => p.Select(op => op.Kind).ToArray()), Is.EqualTo(new[] { new[] { OpKind.Scan }, new[] { OpKind.FolioPut } }));
    }

    /// <summary>
    /// A generated scenario is well-formed (no CPU drops a reference it does not hold, locks are
    /// released, nothing deadlocks) exactly when the safe variants show nothing beyond history
    /// under its schedule: every other verdict would be the generator's fault.
    /// </summary>
    [TestCase("v6.10")]
    [TestCase("v6.13")]
    [TestCase("folio-batch")]
    [TestCase("v7.1")]
    public void SafeVariantsShowNothingBeyondHistoryOnGeneratedRuns(string name)
    {
        var variant = Variants.All.Single(v => v.Name == name);
        var row = History.Of(variant)!;
        var rng = new Random(7);
        int ok = 0, skipped = 0;
        for (int i = 0; i < 3000; i++)
        {
            var data = new byte[rng.Next(0, 160)];
            rng.NextBytes(data);
            var scenario = ScenarioDecoder.Decode(data, out int used);
            if (row.Known.Any(k => k.Matches(scenario)) || Family.Touched(scenario).Any(f => row[f].IsBug))
            {
                skipped++;      // a known finding outside history's families (docs/FINDINGS.md), or a family history calls buggy here
                continue;
            }
            using var world = new Simulation(variant, scenario);
            var o = world.Run(new ChoiceStreamStrategy(new ChoiceStream(data, used)));
            if (o.Verdict == Verdict.Ok)
                ok++;
            else
                Assert.That(o.Verdict == Verdict.Bug && History.IsBeyondHistory(variant, o.Kind),
                    $"input {Convert.ToHexString(data)}: {scenario.Description}: {o.Verdict} {o.Kind}: {o.Message}");
        }
        Assert.That(ok, Is.GreaterThan(2 * (3000 - skipped) / 3));
        Assert.That(skipped, Is.LessThan(1500), "most generated scenarios are checked");
    }

    [Test]
    public void MmSeriesCorruptsUnderGeneratedRuns()
    {
        var rng = new Random(3);
        var kinds = new HashSet<BugKind>();
        for (int i = 0; i < 3000; i++)
        {
            var data = new byte[rng.Next(0, 160)];
            rng.NextBytes(data);
            var scenario = ScenarioDecoder.Decode(data, out int used);
            using var world = new Simulation(Variants.Mm2024_03, scenario);
            var o = world.Run(new ChoiceStreamStrategy(new ChoiceStream(data, used)));
            Assert.That(o.Verdict, Is.Not.EqualTo(Verdict.HarnessError), o.Message);
            if (o.Verdict == Verdict.Bug)
                kinds.Add(o.Kind);
        }
        Assert.That(kinds, Does.Contain(BugKind.WrongLock));
    }

    [Test]
    public void ScenarioTextRoundTripsCatalogAndGeneratedScenarios()
    {
        var rng = new Random(11);
        var generated = Enumerable.Range(0, 500).Select(_ =>
        {
            var data = new byte[rng.Next(0, 64)];
            rng.NextBytes(data);
            return ScenarioDecoder.Decode(data, out _);
        });
        foreach (var s in Catalog.All.Concat(generated))
        {
            var lines = ScenarioText.Render(s).Select((t, i) => (i + 1, t)).ToList();
            var back = ScenarioText.Parse(s.Name, s.Description, lines, "x");
            Assert.That(ScenarioText.SameRun(s, back), string.Join("\n", lines.Select(l => l.Item2)));
        }
    }

    [TestCase("folio A ref=1 memcg=memcg1 queue=memcg1\ncpu 1: folio_put(B)", "x:2: unknown folio 'B' in 'folio_put(B)' (declared: A)")]
    [TestCase("folio A ref=1 memcg=node0 queue=memcg1\ncpu 1: folio_put(A)", "x:1: cannot read 'memcg=node0'")]
    [TestCase("folio A ref=1 memcg=memcg1 queue=memcg1\ncpu 2: folio_put(A)", "x:2: expected 'cpu 1: CALL; CALL; ...'")]
    [TestCase("folio A ref=1 memcg=memcg1 queue=memcg1\ncpu 1: folio_putt(A)", "x:2: unknown call 'folio_putt'")]
    public void ScenarioTextErrorsNameTheLine(string text, string error)
    {
        var lines = text.Split('\n').Select((t, i) => (i + 1, t)).ToList();
        var e = Assert.Throws<FormatException>(() => ScenarioText.Parse("s", "", lines, "x"));
        Assert.That(e!.Message, Does.StartWith(error));
    }
}
