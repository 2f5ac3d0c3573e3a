using System.Text;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using MmFuzz.Schedules;

namespace MmFuzz.Tests;

/// <summary>
/// Every bad input is one line on stderr naming the option, the file and line, or the byte offset,
/// exit 2, control characters escaped, nothing on stdout, no stack trace; nothing is overwritten.
/// The cases are those a new user and a hostile one tried on the first command line, and more.
/// </summary>
[TestFixture, Category("quick")]
public class HostileInputTests
{
    static string Schedule => Path.Combine(Repo.Root(), "corpus", "regressions", "0002-mm-2024-03-seed-mail-batch.schedule");

    string dir = "";

    [SetUp]
    public void MakeDir() => dir = Directory.CreateTempSubdirectory("mmfuzz-hostile-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(dir, recursive: true);

    static void AssertUsageError((int ExitCode, string Stdout, string Stderr) r, string expected)
    {
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Stderr);
        Assert.That(r.Stdout, Is.Empty, "nothing on stdout");
        Assert.That(r.Stderr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), $"one line: {r.Stderr}");
        Assert.That(r.Stderr, Does.StartWith("mmfuzz: "));
        Assert.That(r.Stderr, Does.Contain(expected));
        Assert.That(r.Stderr, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(r.Stderr.TrimEnd('\n').Any(char.IsControl), Is.False, "control characters escaped");
    }

    // ---- arguments ----

    [TestCase("--preemptions: '4294967298' is not an integer from 0 to 10", "hunt", "--variant", "v6.9", "--preemptions", "4294967298")]
    [TestCase("--preemptions: '-1' is not an integer", "verify", "--variant", "v6.9", "--preemptions", "-1")]
    [TestCase("--preemptions: '11' is not an integer from 0 to 10", "verify", "--variant", "v6.9", "--preemptions=11")]
    [TestCase("--variant: empty variant name in ','", "hunt", "--variant", ",")]
    [TestCase("--variant: unknown variant 'v6.99'", "hunt", "--variant", "v6.9,v6.99")]
    [TestCase("--variant: needs a value", "hunt", "--variant")]
    [TestCase("hunt: --variant is required", "hunt")]
    [TestCase("variants: unexpected argument 'bogus'", "variants", "bogus")]
    [TestCase("--time-budget: 'Infinity' is not a number of seconds", "hunt", "--variant", "v6.9", "--time-budget", "Infinity")]
    [TestCase("--time-budget: '1e-9' is not a number of seconds", "hunt", "--variant", "v6.9", "--time-budget", "1e-9")]
    [TestCase("--time-budget: 'NaN' is not a number of seconds", "hunt", "--variant", "v6.9", "--time-budget", "NaN")]
    [TestCase("--time-budget: '1e400' is not a number of seconds", "hunt", "--variant", "v6.9", "--time-budget", "1e400")]
    [TestCase("--time-budget: '-5' is not a number of seconds", "verify", "--variant", "v6.9", "--time-budget", "-5")]
    [TestCase("--depth: '4294967296' is not an integer from 1 to 64", "hunt", "--variant", "v6.9", "--depth", "4294967296")]
    [TestCase("--seed: '-1' is not an integer from 0 to", "hunt", "--variant", "v6.9", "--seed", "-1")]
    [TestCase("--seed: '18446744073709551616' is not an integer", "hunt", "--variant", "v6.9", "--seed", "18446744073709551616")]
    [TestCase("--jobs: '0' is not an integer from 1 to 256", "hunt", "--variant", "v6.9", "--jobs", "0")]
    [TestCase("--jobs: '257' is not an integer from 1 to 256", "verify", "--variant", "v6.9", "--jobs", "257")]
    [TestCase("--executions: '0' is not an integer", "hunt", "--variant", "v6.9", "--executions", "0")]
    [TestCase("--strategy: unknown value 'foo'", "hunt", "--variant", "v6.9", "--strategy", "foo")]
    [TestCase("--format: unknown value 'html'", "hunt", "--variant", "v6.9", "--format", "html")]
    [TestCase("--ignore: unknown bug kind 'nosuch'", "hunt", "--variant", "v6.9", "--ignore", "wrong-lock,nosuch")]
    [TestCase("--scenario: unknown scenario 'nosuch'", "hunt", "--variant", "v6.9", "--scenario", "nosuch")]
    [TestCase("--baseline: unknown variant 'v6.9,v6.10'", "hunt", "--variant", "v6.13", "--baseline", "v6.9,v6.10")]
    [TestCase("--preemptions: given more than once", "hunt", "--variant", "v6.9", "--preemptions", "3", "--preemptions", "4")]
    [TestCase("hunt: unknown option '--bogus'", "hunt", "--variant", "v6.9", "--bogus")]
    [TestCase("hunt: unexpected argument 'false'", "hunt", "--variant", "v6.9", "--json", "false")]
    [TestCase("unknown verb 'frobnicate'", "frobnicate")]
    [TestCase("no verb given", new string[0])]
    [TestCase("replay: missing FILE", "replay")]
    [TestCase("replay: unexpected argument 'B'", "replay", "A", "B")]
    [TestCase("minimize: -o and --in-place exclude each other", "minimize", "a.schedule", "-o", "x.schedule", "--in-place")]
    [TestCase("verify: --cpus needs --small-scope", "verify", "--variant", "v6.10", "--cpus", "3")]
    [TestCase("verify: --scenario does not go with --small-scope", "verify", "--small-scope", "--variant", "v6.10", "--scenario", "seed-mail")]
    [TestCase("--cpus: '9' is not an integer from 2 to 4", "verify", "--small-scope", "--variant", "v6.10", "--cpus", "9")]
    [TestCase("--shard: '2/2': I must be from 0 to 1", "verify", "--small-scope", "--variant", "v6.10", "--shard", "2/2")]
    [TestCase("--shard: '0/0': N must be from 1 to 100000", "hunt", "--variant", "v6.10", "--shard", "0/0")]
    [TestCase("--shard: 'x/4' is not I/N", "hunt", "--variant", "v6.10", "--shard", "x/4")]
    [TestCase("--shard: '-1/4' is not I/N", "hunt", "--variant", "v6.10", "--shard", "-1/4")]
    [TestCase("--shards: '0' is not an integer from 1 to 100000", "verify", "--small-scope", "--variant", "v6.10", "--shards", "0")]
    [TestCase("hunt: --shard and --shards do not go together", "hunt", "--variant", "v6.10", "--shard", "0/2", "--shards", "2")]
    [TestCase("verify: --shard needs --small-scope", "verify", "--variant", "v6.10", "--shard", "0/2")]
    [TestCase("verify: --shard needs --out DIR", "verify", "--small-scope", "--variant", "v6.10", "--shard", "0/2")]
    [TestCase("hunt: --shard needs --out DIR", "hunt", "--variant", "v6.10", "--shard", "1/2")]
    [TestCase("--scope: unknown value 'huge' (valid: default, wide)", "verify", "--small-scope", "--variant", "v6.10", "--scope", "huge")]
    [TestCase("verify: --scope needs --small-scope", "verify", "--variant", "v6.10", "--scope", "wide")]
    [TestCase("merge: missing DIR", "merge")]
    [TestCase("--only: unknown value 'nosuch'", "bench", "--only", "nosuch")]
    [TestCase("--variant: unknown variant 'nosuch'", "afl", "--variant", "nosuch")]
    [TestCase("--beyond-history: unknown value 'maybe'", "libfuzzer", "--variant", "v6.9", "--beyond-history", "maybe")]
    [TestCase("triage: --out is required", "triage", "crashes")]
    [TestCase("seeds: --out is required", "seeds")]
    [TestCase("hunt: unexpected argument '\\x1b[31mred'", "hunt", "--variant", "v6.9", "\u001b[31mred")]
    [TestCase("--variant: unknown variant 'v6.9\\x07'", "hunt", "--variant", "v6.9\u0007")]
    [TestCase("--mutant: unknown mutant 'nosuch'", "bench", "--only", "zoo", "--mutant", "nosuch")]
    [TestCase("--strategy: unknown strategy ''", "bench", "--only", "zoo", "--strategy", ",")]
    public void BadArgumentsAreOneLine(string expected, params string[] args) => AssertUsageError(CliRun.RunAll(args), expected);

    [Test]
    public void HelpVersionAndEqualsForms()
    {
        var help = CliRun.RunAll("hunt", "--help");
        Assert.That(help.ExitCode, Is.Zero);
        Assert.That(help.Stdout, Does.Contain("--baseline").And.Contain("--time-budget"));
        var h = CliRun.RunAll("hunt", "--variant", "v6.9", "-h");
        Assert.That(h.ExitCode, Is.Zero, "-h shows the help and runs nothing");
        Assert.That(h.Stdout, Does.Contain("Usage").And.Not.Contain("observed"));
        var version = CliRun.RunAll("--version");
        Assert.That(version.ExitCode, Is.Zero);
        Assert.That(version.Stdout, Does.Match(@"^mmfuzz \d+\.\d+\.\d+"));
        var equals = CliRun.RunAll("verify", "--variant=v6.10", "--scenario=lost-race", "--preemptions=0", "--jobs=1");
        Assert.That(equals.ExitCode, Is.Zero, equals.Stderr);
        Assert.That(equals.Stdout, Does.Contain("v6.10 / lost-race: no bug up to 0 preemptions"));
    }

    // ---- input files ----

    string Write(string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    string Valid => File.ReadAllText(Schedule);

    [Test]
    public void MissingFileFolderAndDevice()
    {
        AssertUsageError(CliRun.RunAll("replay", Path.Combine(dir, "nope.schedule")), "nope.schedule: no such file");
        AssertUsageError(CliRun.RunAll("replay", dir), "is a folder, not a file");
        AssertUsageError(CliRun.RunAll("replay", "/dev/zero"), "/dev/zero: more than 16,777,216 bytes");
        AssertUsageError(CliRun.RunAll("replay", "@" + Schedule), "no such file");
    }

    [Test]
    public void TooManyCpusOrFoliosNameTheLine()
    {
        var cpus = string.Join("\n", Enumerable.Range(1, 9).Select(i => $"  cpu {i}: folio_put(A)"));
        var text = Valid.Replace("  cpu 1: deferred_split_scan(memcg1, nr_to_scan=32)\n  cpu 2: folios_put_refs(A)\n  cpu 3: folio_lock(A); folio_unlock(A); folio_put(A)", cpus);
        AssertUsageError(CliRun.RunAll("replay", Write("cpus.schedule", text)), "cpus.schedule:16: more than 8 CPUs");
        var folios = string.Join("\n", Enumerable.Range(0, 65).Select(i => $"  folio F{i} ref=1 memcg=memcg1 queue=memcg1"));
        text = Valid.Replace("  folio A ref=2 memcg=memcg1 queue=memcg1 order=2", folios);
        AssertUsageError(CliRun.RunAll("replay", Write("folios.schedule", text)), "folios.schedule:71: more than 64 folios");
    }

    [Test]
    public void ControlBytesInABadLineAreEscaped()
    {
        var text = Valid.Replace("expect wrong-lock", "expect \u001b]0;pwned\u0007");
        var r = CliRun.RunAll("replay", Write("esc.schedule", text));
        AssertUsageError(r, "esc.schedule:11: unknown bug kind '\\x1b]0;pwned\\x07'");
    }

    [Test]
    public void BinaryInputNamesTheByte()
    {
        var path = Path.Combine(dir, "crash");
        File.WriteAllBytes(path, [.. "mmfuzz-schedule 2\n"u8, 0xff, 0xfe]);
        AssertUsageError(CliRun.RunAll("replay", path), "crash: byte 18: not UTF-8 text");
    }

    [Test]
    public void RunInputRefusesASchedule() =>
        AssertUsageError(CliRun.RunAll("run-input", Schedule, "--variant", "v6.9"), "a .schedule file, not a fuzzer input");

    // ---- outputs: nothing overwritten ----

    [Test]
    public void HtmlNeverReplacesASchedule()
    {
        var b = Write("B.schedule", Valid);
        AssertUsageError(CliRun.RunAll("replay", Schedule, "--html", b), "exists and is a schedule; a regression is never overwritten");
        AssertUsageError(CliRun.RunAll("replay", Schedule, "--html", b, "--force"), "a regression is never overwritten");
        Assert.That(File.ReadAllText(b), Is.EqualTo(Valid));
    }

    [Test]
    public void HtmlNeedsForceToReplaceAPageAndAFolderThatExists()
    {
        var page = Write("page.html", "mine");
        AssertUsageError(CliRun.RunAll("replay", Schedule, "--html", page), "page.html exists; nothing is overwritten without --force");
        Assert.That(File.ReadAllText(page), Is.EqualTo("mine"));
        Assert.That(CliRun.RunAll("replay", Schedule, "--html", page, "--force").ExitCode, Is.Zero);
        Assert.That(File.ReadAllText(page), Does.StartWith("<!DOCTYPE html>"));
        AssertUsageError(CliRun.RunAll("replay", Schedule, "--html", Path.Combine(dir, "missing", "x.html")), "--html: no such folder");
        AssertUsageError(CliRun.RunAll("replay", Schedule, "--html", dir), "--html: ");
    }

    [Test]
    public void MinimizeOutputsAreChecked()
    {
        AssertUsageError(CliRun.RunAll("minimize", Schedule, "-o", "/missing/x.schedule"), "-o: no such folder /missing");
        var existing = Write("x.schedule", "mine");
        AssertUsageError(CliRun.RunAll("minimize", Schedule, "-o", existing), "a regression is never overwritten");
        Assert.That(File.ReadAllText(existing), Is.EqualTo("mine"));
    }

    [Test]
    public void OutFoldersThatAreFiles()
    {
        var file = Write("f", "mine");
        AssertUsageError(CliRun.RunAll("hunt", "--variant", "v6.9", "--executions", "1", "--out", file), "--out: ");
        AssertUsageError(CliRun.RunAll("seeds", "--out", file), "--out: ");
        Assert.That(File.ReadAllText(file), Is.EqualTo("mine"));
    }

    [Test]
    public void MinimizingAMinimalScheduleWritesNothing()
    {
        var copy = Write("0002.schedule", Valid);
        var r = CliRun.RunAll("minimize", copy);
        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        Assert.That(r.Stdout, Does.Contain("already minimal; nothing written"));
        Assert.That(Directory.GetFiles(dir), Has.Length.EqualTo(1), "no near-duplicate next to it");
    }

    // ---- properties: a parse error or success, never another exception ----

    static readonly string[] Tokens =
    [
        "hunt", "verify", "replay", "minimize", "bench", "variants", "triage", "seeds", "run-input", "afl", "libfuzzer",
        "--variant", "v6.9", "all", ",", "--scenario", "seed-mail", "--preemptions", "0", "11", "-1", "--time-budget", "1e-9", "Infinity",
        "--seed", "18446744073709551616", "--jobs", "--json", "--out", "-o", "--html", "--force", "--in-place", "--small-scope",
        "--cpus", "--ignore", "wrong-lock,", "--baseline", "--format", "mail", "--help", "-h", "--version", "=", "--seed=7", "--", "@x", "\u001b", "",
    ];

    [Test]
    public void ArgumentParserGivesAnErrorOrSuccess()
    {
        Prop.ForAll(Gen.ArrayOf(Gen.Elements(Tokens)).ToArbitrary(), args =>
        {
            var error = Cli.Cli.Check(args);
            return error is null || error.StartsWith("mmfuzz: ") && !error.Contains('\n') && !error.Any(char.IsControl);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }

    [Test]
    public void ScheduleParserGivesAFormatErrorOrAFile()
    {
        var valid = Valid;
        var gen =
            from cuts in Gen.ArrayOf(Gen.Choose(0, valid.Length - 1))
            from junk in Gen.ArrayOf(Gen.Elements("\n", " ", "cpu 9:", "folio", "=", "ref=-1", "\u0000", "steps 99999999999", "expect", "#", "\u001b", "9999999999 cpu1 load"))
            select (cuts, junk);
        Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var text = new StringBuilder(valid);
            for (int i = 0; i < c.cuts.Length; i++)
            {
                int at = Math.Min(c.cuts[i], text.Length);
                if (i < c.junk.Length)
                    text.Insert(at, c.junk[i]);
                else if (at < text.Length)
                    text.Remove(at, Math.Min(5, text.Length - at));
            }
            try
            {
                ScheduleFile.Parse(text.ToString(), "x.schedule").ResolveScenario();
                return true;
            }
            catch (FormatException e)
            {
                return e.Message.StartsWith("x.schedule", StringComparison.Ordinal);
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }
}
