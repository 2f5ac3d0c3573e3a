using System.Text.RegularExpressions;
using MmFuzz.Schedules;
using MmFuzz.Search;
using MmFuzz.Strategies;
using NUnit.Framework;

namespace MmFuzz.Tests.C;

/// <summary>
/// Every checked-in regression and finding replays from its state's C rendering (corpus/kernels) as
/// it replays from the hand port: the same kind, message, step and preemptions. The rendering makes
/// the port's shared accesses in the port's order, so the recorded schedule fits it step for step.
/// </summary>
[TestFixture, Category("slow")]
[Parallelizable(ParallelScope.All)]
public class CCorpusTests
{
    static IEnumerable<TestCaseData> Files()
    {
        foreach (var dir in new[] { "regressions", "findings" })
            foreach (var f in Directory.GetFiles(Path.Combine(Repo.Root(), "corpus", dir), "*.schedule").Order())
                yield return new TestCaseData(f).SetName($"{dir}/{Path.GetFileName(f)} from C");
    }

    [TestCaseSource(nameof(Files))]
    public void ReplaysFromCAsFromThePort(string path)
    {
        var file = ScheduleFile.Parse(File.ReadAllText(path), path);
        var scenario = file.ResolveScenario();
        using var port = new Simulation(CRenderings.Variant(file.Variant, "port"), scenario, file.OraclesOff);
        using var c = new Simulation(CRenderings.Variant(file.Variant, "C"), scenario, file.OraclesOff);
        var expected = Minimizer.Replay(port, new ReplayStrategy(file.Steps), 0);
        var actual = Minimizer.Replay(c, new ReplayStrategy(file.Steps), 0);
        Assert.That(actual.Outcome.Kind, Is.EqualTo(file.Expect), actual.Outcome.Message);
        Assert.That(actual.Outcome.Kind, Is.EqualTo(expected.Outcome.Kind));
        Assert.That(actual.Preemptions, Is.EqualTo(expected.Preemptions), "preemptions");
        Assert.That(actual.Steps.Count, Is.EqualTo(expected.Steps.Count), "steps");
        // The function a message names is the innermost one: a port's own piece (split_queue_len--) where
        // the C is one function (deferred_split_scan); the rest of the message is the same.
        Assert.That(Unnamed(actual.Outcome.Message), Is.EqualTo(Unnamed(expected.Outcome.Message)), "the kernel's message");
    }

    /// <summary>
    /// A message without what only one form can know: the function a wrong-lock names, and the line of a
    /// WARN or BUG (the rendering's line in C; the port names the file and function without one).
    /// </summary>
    static string Unnamed(string message) =>
        Regex.Replace(Regex.Replace(message, @"\bin \S+ holding\b", "in _ holding"), @"(\.[ch]):\d+([ !])", "$1$2");
}
