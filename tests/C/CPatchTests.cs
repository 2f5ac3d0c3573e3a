using System.Diagnostics;
using MmFuzz.C;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Search;
using MmFuzz.Strategies;
using NUnit.Framework;

namespace MmFuzz.Tests.C;

/// <summary>
/// Patches nobody ported in C#, each a few lines of C diff over a state's C rendering
/// (corpus/patches): the default hunt, with the unpatched state as its baseline, finds a bug of a
/// kind history records that the baseline does not show, as <c>hunt --c corpus/kernels/STATE --patch
/// FILE --base STATE --baseline STATE</c> does; the finding replays. Also the patch format's errors.
/// </summary>
[TestFixture, Category("slow")]
[Parallelizable(ParallelScope.All)]
public class CPatchTests
{
    static IEnumerable<TestCaseData> Patches() =>
        Directory.GetFiles(Path.Combine(Repo.Root(), "corpus", "patches"), "*.patch").Order()
            .Select(p => new TestCaseData(p).SetName($"patch {Path.GetFileName(p)}: found by the default hunt against its base"));

    /// <summary>The state a patch applies to: the start of its name (v6.13-..., folio-batch-...).</summary>
    static string StateOf(string patch)
    {
        var name = Path.GetFileNameWithoutExtension(patch);
        return Variants.All.Select(v => v.Name).Where(n => name.StartsWith(n + "-", StringComparison.Ordinal)).MaxBy(n => n.Length)!;
    }

    [TestCaseSource(nameof(Patches))]
    public void IsFoundByTheDefaultHuntAgainstItsBase(string patch)
    {
        var state = StateOf(patch);
        var @base = Variants.Find(state)!;
        var files = CPatch.Apply(CRenderings.Files(state), File.ReadAllText(patch), Path.GetFileName(patch));
        var patched = CState.Load(new CLoadOptions { Files = files, Name = $"{state}+{Path.GetFileNameWithoutExtension(patch)}" }, @base).Variant;
        var sw = Stopwatch.StartNew();
        var options = new HuntOptions(new Budget(60, 2_000_000), Seed: 1, Jobs: 1, KeepGoing: false, Baseline: @base);
        var r = HuntStrategy.Default.Run(patched, null, options);
        var bug = r.NewBug;
        Assert.That(bug, Is.Not.Null, $"{Path.GetFileName(patch)}: no bug the base does not show in {r.Executions:N0} executions ({sw.Elapsed.TotalSeconds:F1} s)");
        Assert.That(History.BeyondHistoryKinds, Does.Not.Contain(bug!.Kind), bug.Outcome.Message);
        TestContext.Out.WriteLine($"{Path.GetFileName(patch)}: {BugKinds.Name(bug.Kind)} at {bug.Preemptions} preemption(s), found in {sw.Elapsed.TotalSeconds:F2} s ({r.Executions:N0} executions): {bug.Outcome.Message}");
        // The finding replays on the patched state, and not on its base.
        using var again = new Simulation(patched, bug.Scenario, bug.OraclesOff);
        Assert.That(again.Run(new ReplayStrategy(bug.Steps)).Kind, Is.EqualTo(bug.Kind));
    }

    [Test, Category("quick")]
    public void APatchThatDoesNotApplyNamesItsLine()
    {
        var files = new[] { new CSource("mm/huge_memory.c", "int a;\nint b;\nint c;\n") };
        const string patch = "--- a/mm/huge_memory.c\n+++ b/mm/huge_memory.c\n@@ -2,1 +2,1 @@\n-int x;\n+int y;\n";
        var e = Assert.Throws<CError>(() => CPatch.Apply(files, patch, "p.patch"));
        Assert.That(e!.Message, Is.EqualTo("p.patch:3: the hunk does not apply to mm/huge_memory.c near line 2: its context is not there"));
        const string ok = "--- a/mm/huge_memory.c\n+++ b/mm/huge_memory.c\n@@ -2,1 +2,2 @@\n-int b;\n+int y;\n+int z;\n";
        Assert.That(CPatch.Apply(files, ok, "p.patch")[0].Text, Is.EqualTo("int a;\nint y;\nint z;\nint c;\n"));
        Assert.That(Assert.Throws<CError>(() => CPatch.Apply(files, "--- a/mm/other.c\n+++ b/mm/other.c\n@@ -1 +1 @@\n-x\n+y\n", "p.patch"))!.Message,
            Does.StartWith("p.patch:2: the patch changes mm/other.c, which is not among the C read"));
        Assert.That(Assert.Throws<CError>(() => CPatch.Apply(files, "just text\n", "p.patch"))!.Message,
            Is.EqualTo("p.patch: not a unified diff (no '--- a/FILE' and '+++ b/FILE' lines)"));
    }
}
