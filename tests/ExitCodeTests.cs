using System.Diagnostics;
using System.Text.Json;
using NUnit.Framework;

namespace MmFuzz.Tests;

/// <summary>
/// The exit codes CI gates on (0 every verdict history's, 1 one differs, 2 usage, 130 interrupted),
/// the JSON rows' files and replay commands, and the fuzz scripts' argument checks.
/// </summary>
[TestFixture, Category("quick"), NonParallelizable]
public class ExitCodeTests
{
    [Test]
    public void HistorysVerdictIsZeroAndAMissedBugIsOne()
    {
        // v6.10-rc1's migration race needs 3 preemptions: at 1 the expected bug is not found.
        var missed = CliRun.RunAll("hunt", "--variant", "v6.10-rc1", "--scenario", "migrate-requeue-neighbour", "--strategy", "exhaustive",
            "--preemptions", "1", "--jobs", "1");
        Assert.That(missed.ExitCode, Is.EqualTo(1), missed.Stdout);
        Assert.That(missed.Stdout, Does.Contain("NOT history's verdict (bug expected)"));
        var found = CliRun.RunAll("hunt", "--variant", "mm-2024-03", "--scenario", "seed-mail-batch", "--strategy", "exhaustive",
            "--preemptions", "0", "--jobs", "1", "--first");
        Assert.That(found.ExitCode, Is.Zero, found.Stdout);
        var safe = CliRun.RunAll("verify", "--variant", "v6.13", "--scenario", "split-beside-scan", "--preemptions", "1", "--jobs", "1");
        Assert.That(safe.ExitCode, Is.Zero, safe.Stdout);
    }

    [Test]
    public void AReplayThatDoesNotReproduceIsOne()
    {
        var dir = Directory.CreateTempSubdirectory("mmfuzz-exit-").FullName;
        try
        {
            var source = Path.Combine(Repo.Root(), "corpus", "regressions", "0002-mm-2024-03-seed-mail-batch.schedule");
            var moved = Path.Combine(dir, "v6.13.schedule");
            File.WriteAllText(moved, File.ReadAllText(source).Replace("variant mm-2024-03", "variant v6.13"));
            var r = CliRun.RunAll("replay", moved);
            Assert.That(r.ExitCode, Is.EqualTo(1), r.Stderr);
            Assert.That(r.Stderr, Does.Contain("v6.13.schedule"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void CancellingAHuntIs130AndKeepsWhatItFound()
    {
        var dir = Directory.CreateTempSubdirectory("mmfuzz-cancel-").FullName;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var (o, e) = (Console.Out, Console.Error);
            int rc;
            Console.SetOut(stdout);
            Console.SetError(stderr);
            try
            {
                rc = Cli.Cli.RunAsync(["hunt", "--variant", "v6.13", "--time-budget", "60", "--out", dir], handleSignals: false, cts.Token).GetAwaiter().GetResult();
            }
            finally
            {
                Console.SetOut(o);
                Console.SetError(e);
            }
            Assert.That(rc, Is.EqualTo(130), stderr.ToString());
            Assert.That(stdout.ToString(), Does.Contain("interrupted after"));
            Assert.That(stderr.ToString(), Does.Contain("interrupted"));
            Assert.That(Directory.GetFiles(dir, "*.schedule"), Is.Not.Empty, "the findings so far are written");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void JsonRowsCarryEachFindingsFileAndReplayCommand()
    {
        var dir = Directory.CreateTempSubdirectory("mmfuzz-json-").FullName;
        try
        {
            var (rc, stdout, _) = CliRun.RunAll("hunt", "--variant", "mm-2024-03", "--scenario", "seed-mail-batch", "--strategy", "exhaustive",
                "--preemptions", "0", "--jobs", "1", "--first", "--json", "--out", dir);
            Assert.That(rc, Is.Zero);
            var finding = JsonDocument.Parse(stdout.Split('\n')[0]).RootElement.GetProperty("findings")[0];
            var file = finding.GetProperty("file").GetString()!;
            Assert.That(File.Exists(file), Is.True, file);
            Assert.That(finding.GetProperty("replay").GetString(), Does.EndWith($"replay {file}"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void CompletionSuggestsTheStrategies()
    {
        var (rc, stdout, _) = CliRun.RunAll("[suggest:16]", "hunt --strategy ");
        Assert.That(rc, Is.Zero);
        Assert.That(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.SupersetOf(new[] { "default", "generate", "pct", "random", "exhaustive" }));
    }

    static (int ExitCode, string Stdout, string Stderr) Script(params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr);
    }

    [TestCase("afl.sh")]
    [TestCase("libfuzzer.sh")]
    public void FuzzScriptsHaveHelpAndCheckTheirArguments(string script)
    {
        var path = Path.Combine(Repo.Root(), "fuzz", script);
        var help = Script(path, "--help");
        Assert.That(help.ExitCode, Is.Zero);
        Assert.That(help.Stdout, Does.Contain("--variant NAME --seconds S"));
        var bad = Script(path, "--variant", "v6.9", "--seconds", "abc");
        Assert.That(bad.ExitCode, Is.EqualTo(2));
        Assert.That(bad.Stderr.Trim(), Is.EqualTo($"{script}: --seconds: 'abc' is not a positive integer"));
        var missing = Script(path, "--variant");
        Assert.That(missing.ExitCode, Is.EqualTo(2));
        Assert.That(missing.Stderr.Trim(), Is.EqualTo($"{script}: --variant needs a value"));
    }
}
