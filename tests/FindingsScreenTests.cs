using System.Text.Json;
using System.Text.RegularExpressions;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Reports;
using MmFuzz.Scenarios;
using MmFuzz.Schedules;
using MmFuzz.Search;
using NUnit.Framework;

namespace MmFuzz.Tests;

/// <summary>
/// One screen per hunt (issue 23): the verdict table and one entry per distinct bug in at most 60 lines
/// of at most 100 columns, concrete messages (no masked '#'), kinds beyond history with why they
/// matter, traces and pages beside each file, every finding linked from index.html; --json keeps every
/// field and adds each finding's group and one object per distinct bug.
/// </summary>
[TestFixture]
public class FindingsScreenTests
{
    static IReadOnlyList<FoundBug> CorpusBugs() =>
    [
        .. new[] { "regressions", "findings" }.SelectMany(d => Directory.GetFiles(Path.Combine(Repo.Root(), "corpus", d), "*.schedule").Order()).Select(path =>
        {
            var file = ScheduleFile.Parse(File.ReadAllText(path), path);
            var variant = Variants.Find(file.Variant)!;
            var report = Report.Record(variant, file.ResolveScenario(), file.Steps, file.OraclesOff);
            return new FoundBug
            {
                Finding = new Finding(variant, report.Scenario, file.OraclesOff, report.Outcome, new Schedule(file.Steps), report.Preemptions, 0),
                Family = "corpus", Report = report, Replay = $"replay {path}", File = path,
            };
        }),
    ];

    [Test, Category("quick")]
    public void TheBugsFitTheLinesGivenAndNameEveryBugWhenThereIsRoom()
    {
        var found = CorpusBugs();
        var bugs = DistinctBug.Of(found, Variants.All);
        Assert.That(bugs.Count, Is.LessThan(found.Count), "the corpus merges: one history race in six states is one bug");
        foreach (var max in new[] { 200, 40, 30, 20, 8, 3 })
        {
            var lines = FindingsScreen.Lines(bugs, Variants.All, found.Count, "corpus/", max);
            Assert.That(lines.Count, Is.LessThanOrEqualTo(max), $"{max} lines:\n{string.Join('\n', lines)}");
            Assert.That(lines.Where(l => l.Length > FindingsScreen.Width), Is.Empty);
            Assert.That(lines.Where(l => l.Contains('#')), Is.Empty, "no masked number or name");
        }
        var all = FindingsScreen.Lines(bugs, Variants.All, found.Count, "corpus/", 200);
        foreach (var b in bugs)
            Assert.That(all.Count(l => Regex.IsMatch(l, $@"^ *{b.Number} .{{22}} +\d+ +\d+ +\d+ (\d{{4}}|-) ")), Is.EqualTo(1), $"bug {b.Number} named once:\n{string.Join('\n', all)}");
        var text = string.Join('\n', all);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("wrong-lock (model)").And.Contain("the kernel shows list-corruption"), "v6.13's model assertion names the kernel's kind");
            Assert.That(text, Does.Contain("shrink_folio_list, holding the node's lock"));
            Assert.That(text, Does.Contain("v6.8 to v6.12-rc1"), "the swapout race is one bug of six states");
            Assert.That(text, Does.Contain("v6.13, known"), "a known finding says so in words");
            Assert.That(text, Does.Contain("lost-deferred-split, beyond history (1): silent"), "a kind beyond history says why it matters");
            Assert.That(text, Does.Match(@"\n +\d+ lost-deferred-split .*\n +v6\.13, v6\.19, mm-2026-03: .* is underused but on no deferred split queue"),
                "the underused folio the scan could not lock is history's (3bac01168982 names it), in v6.13 too");
            Assert.That(text, Does.Contain("is on no deferred split queue: its unmapped pages stay allocated"));
            Assert.That(text, Does.Contain("v6.13, known: at quiescence: memcg1's deferred_split_queue: A->prev should be memcg1.queue"), "the concrete message");
        });
    }

    [Test, Category("quick")]
    public void TitlesAreConcrete()
    {
        Assert.Multiple(() =>
        {
            Assert.That(BugText.Title("list_del corruption. prev->next should be ffff8881000000e0, but was ffff888100000050. (prev=ffff888100000050) " +
                                      "[ffff8881000000e0=A, ffff888100000050=memcg1.queue]"),
                Is.EqualTo("list_del corruption. prev->next should be A, but was memcg1.queue. (prev=memcg1.queue)"));
            Assert.That(BugText.Title("MODEL ASSERTION (no kernel check guards this list): lockdep_assert_held(memcg1.split_queue_lock) would fail: CPU 2 writes B.prev"),
                Is.EqualTo("lockdep_assert_held(memcg1.split_queue_lock) would fail: CPU 2 writes B.prev"));
            Assert.That(BugText.States([Variants.V6_8, Variants.Mm2024_03, Variants.V6_9, Variants.V6_10], Variants.All), Is.EqualTo("v6.8 to v6.9, v6.10"));
        });
    }

    [Test]
    public void HuntAllPrintsOneScreenAndIndexesEveryFinding()
    {
        var dir = Directory.CreateTempSubdirectory("mmfuzz-screen-").FullName;
        try
        {
            var (rc, stdout, stderr) = CliRun.RunAll("hunt", "--variant", "all", "--executions", "20000", "--jobs", "1", "--out", dir);
            Assert.That(rc, Is.Zero, stdout + stderr);
            var lines = stdout.TrimEnd('\n').Split('\n');
            Assert.That(lines, Has.Length.LessThanOrEqualTo(60), stdout);
            Assert.That(lines.Where(l => l.Length > 100), Is.Empty, stdout);
            Assert.That(lines.Where(l => l.Contains('#')), Is.Empty, "no masked number or name");
            foreach (var v in Variants.All)
                Assert.That(lines.Count(l => Regex.IsMatch(l, $@"^{Regex.Escape(v.Name)}\s+generated\s+(bug|none)\s+(bug|none|known)\s")), Is.EqualTo(1), $"{v.Name}'s verdict\n{stdout}");
            Assert.That(stdout, Does.Match(@"(?m)^v6\.13\s+generated\s+none\s+known\s"), "v6.13's only bugs are known ones");
            // Each bug of history's kinds: its message line, concrete, the message of the file it names.
            var kinds = BugKinds.All.Select(BugKinds.Name).ToHashSet();
            int checkedMessages = 0;
            for (int i = 0; i + 1 < lines.Length; i++)
            {
                var m = Regex.Match(lines[i], @"^ {0,2}\d+ (\S+)(?: \(model\))?\s+\d+\s+\d+\s+\d+ (\d{4}) ");
                if (!m.Success || !kinds.Contains(m.Groups[1].Value) || !lines[i + 1].StartsWith("    ", StringComparison.Ordinal))
                    continue;
                var trace = Regex.Replace(File.ReadAllText(Directory.GetFiles(dir, $"{m.Groups[2].Value}-*.txt").Single()), @"\s+", " ");
                var shown = lines[i + 1][(lines[i + 1].IndexOf(": ", StringComparison.Ordinal) + 2)..];
                shown = shown.EndsWith("...", StringComparison.Ordinal) ? shown[..^3] : shown;
                Assert.That(trace, Does.Contain(shown.Length > 40 ? shown[..40] : shown), $"{lines[i]}\n{lines[i + 1]}");
                checkedMessages++;
            }
            Assert.That(checkedMessages, Is.GreaterThan(3), stdout);
            var schedules = Directory.GetFiles(dir, "*.schedule").Select(Path.GetFileName).ToList();
            var index = File.ReadAllText(Path.Combine(dir, "index.html"));
            Assert.That(schedules, Is.Not.Empty);
            foreach (var s in schedules)
            {
                Assert.That(index, Does.Contain($"href=\"{s}\""), $"index.html links {s}");
                Assert.That(File.Exists(Path.Combine(dir, Path.ChangeExtension(s!, ".txt"))) && File.Exists(Path.Combine(dir, Path.ChangeExtension(s!, ".html"))),
                    $"{s}: its trace and page beside it");
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Test]
    public void HuntJsonKeepsEveryFieldAndAddsTheGroup()
    {
        var (rc, text) = CliRun.Run("hunt", "--variant", "v6.13", "--strategy", "generate", "--seed", "1", "--executions", "20000", "--jobs", "1", "--json");
        Assert.That(rc, Is.Zero, text);
        var lines = text.Trim().Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var row = lines[0];
        foreach (var field in new[] { "variant", "family", "expected", "verdict", "as_history", "kind", "message", "scenario", "executions", "steps", "preemptions", "beyond_history", "findings" })
            Assert.That(row.TryGetProperty(field, out _), Is.True, $"the row keeps {field}");
        var findings = row.GetProperty("findings").EnumerateArray().ToList();
        Assert.That(findings, Is.Not.Empty);
        var bugs = lines.Skip(1).ToList();
        Assert.That(bugs.Select(b => b.GetProperty("bug").GetInt32()), Is.EqualTo(Enumerable.Range(1, bugs.Count)), "then one object per distinct bug, numbered");
        foreach (var f in findings)
        {
            Assert.That(f.GetProperty("signature").GetString(), Is.Not.Empty, "the raw signature stays in the JSON");
            var group = f.GetProperty("group").GetString();
            Assert.That(f.GetProperty("race").GetArrayLength(), Is.InRange(1, 2));
            var bug = bugs.Single(b => b.GetProperty("group").GetString() == group);
            Assert.That(bug.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("signatures").EnumerateArray()).Select(s => s.GetString()),
                Does.Contain(f.GetProperty("signature").GetString()), "the distinct bug lists the signatures it merges");
        }
        Assert.That(bugs.Select(b => b.GetProperty("title").GetString()), Has.None.Contain("#"));
        Assert.That(bugs.Where(b => b.GetProperty("beyond_history").GetBoolean()).Select(b => b.GetProperty("why").GetString()), Has.All.Not.Null.And.Not.Empty);
    }
}
