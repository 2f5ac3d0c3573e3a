using MmFuzz.Kernel;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using MmFuzz.Trace;
using NUnit.Framework;

namespace MmFuzz.Tests;

/// <summary>Every checked-in regression in corpus/regressions replays: the recorded variant reproduces the recorded bug kind at the recorded last step.</summary>
[TestFixture]
public class CorpusTests
{
    static string RepoRoot()
    {
        for (var d = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Fuzz.sln")))
                return d.FullName;
        throw new DirectoryNotFoundException("no Fuzz.sln above the test directory");
    }

    static IEnumerable<TestCaseData> Regressions()
    {
        var dir = Path.Combine(RepoRoot(), "corpus", "regressions");
        foreach (var f in Directory.GetFiles(dir, "*.schedule").Order())
            yield return new TestCaseData(f).SetName(Path.GetFileName(f));
    }

    [TestCaseSource(nameof(Regressions))]
    public void ReplaysTheRecordedBug(string path)
    {
        var file = ScheduleFile.Parse(File.ReadAllText(path), path);
        Assert.That(file.Expect, Is.Not.EqualTo(BugKind.None), "a regression records a bug");
        using var world = new World(Variants.Find(file.Variant)!, file.ResolveScenario());
        world.Machine.Suppressed = file.OraclesOff;
        var o = world.Run(new ReplayStrategy(file.Steps));
        Assert.That(o.Kind, Is.EqualTo(file.Expect), o.Message);
        Assert.That(o.Step, Is.EqualTo(file.Steps.Count), "the bug fires at the recorded last step");
        Assert.That(file.Message, Is.Not.Null, "a regression records the oracle's message");
        Assert.That(o.Message, Is.EqualTo(file.Message), "the oracle's message is the recorded one");
    }

    [Test]
    public void ARecordingLongerThanTheRunIsADivergence()
    {
        var dir = Path.Combine(RepoRoot(), "corpus", "regressions");
        var path = Directory.GetFiles(dir, "*.schedule").Order().First();
        var file = ScheduleFile.Parse(File.ReadAllText(path), path);
        var longer = file.Steps.Append(file.Steps[^1]).ToList();
        using var world = new World(Variants.Find(file.Variant)!, file.ResolveScenario());
        world.Machine.Suppressed = file.OraclesOff;
        var e = Assert.Throws<Engine.ReplayDivergedException>(() => world.Run(new ReplayStrategy(longer)));
        Assert.That(e!.Message, Does.StartWith($"step {file.Steps.Count + 1}: the run ended"));
    }

    [Test]
    public void EveryVariantHistoryCallsBuggyHasARegression()
    {
        var dir = Path.Combine(RepoRoot(), "corpus", "regressions");
        var variants = Directory.GetFiles(dir, "*.schedule").Select(f => ScheduleFile.Parse(File.ReadAllText(f), f).Variant).ToHashSet();
        foreach (var v in Variants.All.Where(v => v.ExpectedFor("all") == Expected.Bug))
            Assert.That(variants, Does.Contain(v.Name));
    }
}
