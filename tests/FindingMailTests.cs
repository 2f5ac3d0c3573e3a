using MmFuzz.Kernel;
using MmFuzz.Reports;
using NUnit.Framework;

namespace MmFuzz.Tests;

/// <summary>
/// <c>report --mail</c>: the findings written up for the list. The mails in docs/reports/ are what
/// the tool writes from their corpus files today (so a port or a finding that changes shows there),
/// a fix that does not hold writes no mail, and a notes file that cannot be read is one line naming
/// the file and line.
/// </summary>
[TestFixture]
public class FindingMailTests
{
    static readonly string Root = Repo.Root();

    static IEnumerable<TestCaseData> Mails() =>
        Directory.GetFiles(Path.Combine(Repo.Root(), "docs", "reports"), "*.mail").Order()
            .Select(f => new TestCaseData(Path.GetFileNameWithoutExtension(f)).SetName($"Mail_{Path.GetFileNameWithoutExtension(f)}"));

    [TestCaseSource(nameof(Mails))]
    public void TheCheckedInMailIsWhatReportWritesFromItsCorpusFile(string finding)
    {
        var schedule = Path.Combine(Root, "corpus", "findings", finding + ".schedule");
        var (rc, stdout, stderr) = CliRun.RunAll("report", "--mail", schedule);
        Assert.That(rc, Is.EqualTo(0), stderr);
        var mail = stdout.Replace(Root + "/", "");
        var checkedIn = File.ReadAllText(Path.Combine(Root, "docs", "reports", finding + ".mail"));
        Assert.That(mail, Is.EqualTo(checkedIn),
            $"docs/reports/{finding}.mail is stale: dotnet run --project fuzz -c Release -- report --mail corpus/findings/{finding}.schedule -o docs/reports/{finding}.mail --force");
        Assert.Multiple(() =>
        {
            Assert.That(mail, Does.StartWith("Subject: [BUG] "));
            Assert.That(mail, Does.Contain("\nFixes: "));
            Assert.That(mail, Does.Contain("Reachability (a judgement, not proven by the tool): "));
            Assert.That(mail, Does.Match(@"\n  v6\.13 +v6\.12 to v6\.18 +shows it at 1 preemption"), "v6.13's code shipped in v6.12 to v6.18 and shows it");
            Assert.That(mail, Does.Match(@"\n  v6\.19 +v6\.19 to v7\.0 +clean up to 2 preemptions \(exhausted"), "gone with the folio_batch rework");
            Assert.That(mail, Does.Match(@"\n  v7\.1 +v7\.1 onwards +clean up to 2 preemptions \(exhausted"), "and not back with the 2026 migration requeue");
            Assert.That(System.Text.RegularExpressions.Regex.Replace(mail, @"\s+", " "), Does.Contain("Longterm stable branches still maintained with this code: 6.12.y, 6.18.y"));
            Assert.That(mail, Does.Contain("  - the finding's scenario: clean up to 2 preemptions (exhausted"), "the fix holds in the finding's scenario");
            Assert.That(mail.Split("\n").Where(l => !l.StartsWith("    dotnet ")).Select(l => l.Length).Max(), Is.LessThanOrEqualTo(MailFormatter.Width), "at most 100 columns but the commands");
            Assert.That(mail.All(c => c == '\n' || c is >= ' ' and <= '~'), Is.True, "plain ASCII");
        });
    }

    [Test]
    public void AFixThatDoesNotHoldWritesNoMail()
    {
        var dir = Temp();
        var finding = Path.Combine(dir, "0002-v6.13-lost-deferred-split.schedule");
        File.Copy(Path.Combine(Root, "corpus", "findings", "0002-v6.13-lost-deferred-split.schedule"), finding);
        var notes = File.ReadAllText(Path.Combine(Root, "corpus", "findings", "0002-v6.13-lost-deferred-split.notes"))
            .Replace("fix-base ../kernels/v6.13", $"fix-base {Path.Combine(Root, "corpus", "kernels", "v6.13")}")
            .Replace("fix-patch v6.13-scan-unlink-under-lock.fix.patch", "fix-patch comment.patch");
        File.WriteAllText(FindingNotes.PathFor(finding), notes);
        // A "fix" that changes a comment only: the race is still there.
        File.WriteAllText(Path.Combine(dir, "comment.patch"),
            "--- a/mm/huge_memory.c\n+++ b/mm/huge_memory.c\n@@ -198,3 +198,3 @@\n" +
            " \t\t} else if (!folio_test_partially_mapped(folio)) {\n-\t\t\t/* fully mapped after all: not queued again */\n+\t\t\t/* fully mapped after all: not queued again (a fix, said nobody) */\n \t\t\tlist_del_init(&folio->_deferred_list);\n");
        var output = Path.Combine(dir, "out.mail");
        var (rc, _, stderr) = CliRun.RunAll("report", "--mail", finding, "-o", output, "--seconds", "20");
        Assert.That(rc, Is.EqualTo(1), stderr);
        Assert.That(stderr, Does.Contain("comment.patch: the suggested fix does not hold: shows it at 1 preemption"));
        Assert.That(output, Does.Not.Exist, "no mail for a fix that does not hold");
    }

    [Test]
    public void AFindingWithoutNotesIsOneLineNamingTheNotesFile()
    {
        var dir = Temp();
        var finding = Path.Combine(dir, "x.schedule");
        File.Copy(Path.Combine(Root, "corpus", "findings", "0002-v6.13-lost-deferred-split.schedule"), finding);
        var (rc, stdout, stderr) = CliRun.RunAll("report", "--mail", finding);
        Assert.That(rc, Is.EqualTo(2));
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(stderr, Does.Contain(Path.Combine(dir, "x.notes") + ": no notes beside the finding"));
    }

    static readonly string Good = File.ReadAllText(Path.Combine(Repo.Root(), "corpus", "findings", "0003-v6.13-list-corruption.notes"));

    static IEnumerable<TestCaseData> BadNotes()
    {
        yield return new TestCaseData("mmfuzz-notes 2\n", "n.notes:1: expected 'mmfuzz-notes 1' as the first line").SetName("Notes_WrongMagic");
        yield return new TestCaseData(Good.Replace("\nsubject ", "\nsubjekt "), "n.notes:4: unknown field 'subjekt'").SetName("Notes_UnknownField");
        yield return new TestCaseData(Good.Replace("\nfixes dafff3f4c850", "\nfixes\nfixes dafff3f4c850"), "n.notes:9: 'fixes' needs a value").SetName("Notes_EmptyValue");
        yield return new TestCaseData(Good + "fixes 1234\n", "'fixes' given twice").SetName("Notes_Twice");
        yield return new TestCaseData(Good.Replace("\nsummary\n", "\n\n"), "n.notes:14: an indented line outside summary, kernel-prints or fix").SetName("Notes_IndentOutsideABlock");
        yield return new TestCaseData(Good.Replace("\nreachability ", "\n# reachability "), "n.notes: no 'reachability' line").SetName("Notes_Missing");
        yield return new TestCaseData(Good.Replace("\nfix\n", "\nfix now\n"), "'fix' takes its text on the indented lines after it").SetName("Notes_BlockWithValue");
    }

    [TestCaseSource(nameof(BadNotes))]
    public void NotesThatCannotBeReadAreOneLineNamingFileAndLine(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => FindingNotes.Parse(text, "n.notes"))!;
        Assert.That(e.Message, Does.Contain(expected));
        Assert.That(e.Message, Does.Not.Contain("\n"));
    }

    [Test]
    public void NotesParagraphsJoinTheirLines()
    {
        var n = FindingNotes.Parse(Good, "n.notes");
        Assert.That(n.Summary, Has.Count.EqualTo(3));
        Assert.That(n.Summary[0], Does.StartWith("Since dafff3f4c850 (v6.12-rc1) the second loop of deferred_split_scan() takes"));
        Assert.That(n.Cc, Has.Count.EqualTo(3));
        Assert.That(n.Fixes, Is.EqualTo("dafff3f4c850 (\"mm: split underused THPs\")"));
    }

    [Test]
    public void EveryHistoryRowSaysWhichReleasesRunItsCode() =>
        Assert.That(Releases.Missing, Is.Empty, "core/Kernel/History/Releases.cs");

    static string Temp()
    {
        var dir = Path.Combine(Path.GetTempPath(), "mmfuzz-mail-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
