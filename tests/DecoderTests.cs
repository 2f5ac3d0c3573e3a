using MmFuzz.Engine;
using MmFuzz.Generation;
using MmFuzz.Hunting;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using NUnit.Framework;

namespace MmFuzz.Tests;

/// <summary>The choice-stream decoder shared by FsCheck and the fuzzers: total and well-formed.</summary>
[TestFixture]
public class DecoderTests
{
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
    public void SafeVariantsShowNothingBeyondHistoryOnGeneratedRuns(string name)
    {
        var variant = Variants.All.Single(v => v.Name == name);
        var rng = new Random(7);
        int ok = 0;
        for (int i = 0; i < 3000; i++)
        {
            var data = new byte[rng.Next(0, 160)];
            rng.NextBytes(data);
            var scenario = ScenarioDecoder.Decode(data, out int used);
            using var world = new World(variant, scenario);
            var o = world.Run(new ChoiceStreamStrategy(new ChoiceStream(data, used)));
            if (o.Verdict == Verdict.Ok)
                ok++;
            else
                Assert.That(o.Verdict == Verdict.Bug && Hunter.BeyondHistoryKinds.Contains(o.Kind),
                    $"input {Convert.ToHexString(data)}: {scenario.Description}: {o.Verdict} {o.Kind}: {o.Message}");
        }
        Assert.That(ok, Is.GreaterThan(2000));
    }

    [Test]
    public void MmSeriesCorruptsUnderGeneratedRuns()
    {
        var rng = new Random(3);
        var kinds = new HashSet<Oracles.BugKind>();
        for (int i = 0; i < 3000; i++)
        {
            var data = new byte[rng.Next(0, 160)];
            rng.NextBytes(data);
            var scenario = ScenarioDecoder.Decode(data, out int used);
            using var world = new World(Variants.Mm2024_03, scenario);
            var o = world.Run(new ChoiceStreamStrategy(new ChoiceStream(data, used)));
            Assert.That(o.Verdict, Is.Not.EqualTo(Verdict.HarnessError), o.Message);
            if (o.Verdict == Verdict.Bug)
                kinds.Add(o.Kind);
        }
        Assert.That(kinds, Does.Contain(Oracles.BugKind.WrongLock));
    }
}
