using NUnit.Framework;

namespace MmFuzz.Tests.C;

/// <summary>
/// "Bring your patch" on the command line, as a reviewer types it: a state read from C is hunted,
/// its finding written, replayed and minimized with the same options; every bad input is one line
/// on stderr and exit 2.
/// </summary>
[TestFixture, Category("slow")]
public class CCommandLineTests
{
    static string Kernels(string state) => Path.Combine(Repo.Root(), "corpus", "kernels", state);

    static string Patch(string name) => Path.Combine(Repo.Root(), "corpus", "patches", name);

    [Test]
    public void APatchIsHuntedAgainstItsBaseAndItsFindingReplaysAndMinimizes()
    {
        var dir = Directory.CreateTempSubdirectory("mmfuzz-c-cli-").FullName;
        try
        {
            string[] c = ["--c", Kernels("v6.13"), "--base", "v6.13", "--patch", Patch("v6.13-unqueue-without-recheck.patch")];
            var (rc, stdout, stderr) = CliRun.RunAll(["hunt", .. c, "--baseline", "v6.13", "--executions", "200000", "--jobs", "1", "--first", "--out", dir]);
            Assert.That(rc, Is.EqualTo(1), "a bug where the state from C has no history: the verdict is not history's\n" + stderr);
            Assert.That(stderr, Does.Contain("v6.13+c: v6.13's ports with C in place of:"));
            Assert.That(stderr, Does.Match(@"__folio_unqueue_deferred_split\(\)\s+mm/huge_memory.c:\d+"), "where each function comes from");
            Assert.That(stdout, Does.Contain("v6.13+c").And.Contain("[only in v6.13+c]"));
            var file = Directory.GetFiles(dir, "*.schedule").Order().First();
            Assert.That(File.ReadAllText(file), Does.Contain("variant v6.13+c"));

            // The replay command of the trace written beside the file carries the C options; without them the file names an unknown state.
            Assert.That(File.ReadAllText(Path.ChangeExtension(file, ".txt")),
                Does.Contain($"replay {file} --c {Kernels("v6.13")} --base v6.13 --patch {Patch("v6.13-unqueue-without-recheck.patch")}"));
            // (This process has the state registered now; a file naming a state nobody loaded shows the error.)
            var stranger = Path.Combine(dir, "stranger.schedule");
            File.WriteAllText(stranger, File.ReadAllText(file).Replace("variant v6.13+c", "variant v6.13+stranger"));
            var unknown = CliRun.RunAll("replay", stranger);
            Assert.That(unknown.ExitCode, Is.EqualTo(2));
            Assert.That(unknown.Stderr.Trim(), Does.Contain("unknown variant 'v6.13+stranger'").And.Contain("--kernel-tree or --c and --base"));
            Assert.That(CliRun.RunAll(["replay", file, .. c]).ExitCode, Is.EqualTo(0), "the finding replays from C");
            var min = CliRun.RunAll(["minimize", file, .. c, "-o", Path.Combine(dir, "min.schedule")]);
            Assert.That(min.ExitCode, Is.EqualTo(0), min.Stderr);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Test]
    public void BenchMeasuresTheStateFromCBesideItsPort()
    {
        var (rc, stdout, stderr) = CliRun.RunAll("bench", "--c", Kernels("mm-2024-03"), "--base", "mm-2024-03", "--scenario", "seed-mail", "--seconds", "0.5", "--only", "throughput", "--json");
        Assert.That(rc, Is.EqualTo(0), stderr);
        var variants = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("variant").GetString()).Distinct().ToList();
        Assert.That(variants, Is.EqualTo(new[] { "mm-2024-03", "mm-2024-03+c" }));
    }

    static IEnumerable<TestCaseData> BadInputs()
    {
        TestCaseData Case(string name, string expected, params string[] args) => new TestCaseData(args, expected).SetName($"bad C input: {name}");
        yield return Case("a missing tree", "/no/such/tree: no such directory", "hunt", "--kernel-tree", "/no/such/tree", "--base", "v6.13");
        yield return Case("no base", "--kernel-tree needs --base", "hunt", "--kernel-tree", Kernels("v6.13"));
        yield return Case("both a tree and files", "--kernel-tree and --c: give one of them", "hunt", "--kernel-tree", Kernels("v6.13"), "--c", "x.c", "--base", "v6.13");
        yield return Case("a variant besides the C", "--variant and --kernel-tree/--c: give one of them", "hunt", "--variant", "v6.9", "--c", Kernels("v6.13"), "--base", "v6.13");
        yield return Case("a base without C", "--base, --patch, --functions, --tree-files, --stub-header, --name and --emit-cs go with --kernel-tree or --c", "hunt", "--variant", "v6.9", "--base", "v6.13");
        yield return Case("an unknown base", "--base: unknown variant 'v9.9'", "hunt", "--c", Kernels("v6.13"), "--base", "v9.9");
        yield return Case("a missing file", "none.c: no such file", "hunt", "--c", "none.c", "--base", "v6.13");
        yield return Case("a history row's name", "--name: 'v6.9' is a kernel state of history", "hunt", "--c", Kernels("v6.13"), "--base", "v6.13", "--name", "v6.9");
        yield return Case("a function the files lack", "--functions names no_such_fn()", "hunt", "--c", Kernels("v6.13"), "--base", "v6.13", "--functions", "no_such_fn");
        yield return Case("a tree file the front end does not read", "--tree-files: 'mm/vmscan.c' is not a file the front end reads", "hunt", "--kernel-tree", Kernels("v6.13"), "--base", "v6.13", "--tree-files", "mm/vmscan.c");
        yield return Case("a patch for another file", "the patch changes mm/swap.c, which is not among the C read", "hunt", "--kernel-tree", Kernels("v6.13"), "--base", "v6.13", "--patch", Patch("v6.10-unqueue-after-uncharge.patch"));
    }

    [TestCaseSource(nameof(BadInputs))]
    public void IsOneLineAndExitTwo(string[] args, string expected)
    {
        var (rc, stdout, stderr) = CliRun.RunAll(args);
        Assert.That(rc, Is.EqualTo(2), stderr);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), "one line on stderr");
        Assert.That(lines[0], Does.StartWith("mmfuzz: ").And.Contain(expected));
        Assert.That(stdout, Is.Empty);
    }

    [Test]
    public void AnUnknownCallInATreeIsOneLineNamingTheCallAndThePlace()
    {
        var tree = Directory.CreateTempSubdirectory("mmfuzz-c-tree-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(tree, "mm"));
            var text = File.ReadAllText(Path.Combine(Kernels("v6.13"), "mm", "huge_memory.c"))
                .Replace("\tif (!split && list_empty(&ds_queue->split_queue))", "\tfoo(ds_queue);\n\tif (!split && list_empty(&ds_queue->split_queue))");
            File.WriteAllText(Path.Combine(tree, "mm", "huge_memory.c"), text);
            var (rc, _, stderr) = CliRun.RunAll("hunt", "--kernel-tree", tree, "--base", "v6.13");
            Assert.That(rc, Is.EqualTo(2));
            Assert.That(stderr.Trim(), Does.Match(@"^mmfuzz: mm/huge_memory.c:\d+:\d+: deferred_split_scan\(\) calls foo\(\), which the model does not provide \(port it, or declare it in a header given with --stub-header\)$"));
        }
        finally
        {
            Directory.Delete(tree, true);
        }
    }
}
