using System.Text.Json;
using System.Text.Json.Nodes;
using MmFuzz.Cli;
using MmFuzz.Search;
using NUnit.Framework;

namespace MmFuzz.Tests;

/// <summary>
/// Sharded proofs and hunts (<c>--shard I/N</c>, <c>--shards N</c>) and <c>merge</c>: a small scope's
/// shards merged give exactly what one process gives over the whole scope, for every state; each
/// shard's part is fixed; a hunt's shards draw their own seeds and merge into one verdict; every bad
/// index, given or found in the environment, and every bad set of summaries is one line, exit 2.
/// </summary>
[TestFixture, Category("slow")]
public class ShardTests
{
    /// <summary>A reduced scope: 2 CPUs, 1 folio, one operation besides the scan, bound 2 (29 scenarios).</summary>
    static readonly string[] Reduced = ["--cpus", "2", "--folios", "1", "--ops-per-cpu", "1", "--ops", "1"];

    string dir = "";

    [SetUp]
    public void MakeDir() => dir = Directory.CreateTempSubdirectory("mmfuzz-shards-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(dir, recursive: true);

    static (int ExitCode, string Stdout, string Stderr) Run(params string[] args) => CliRun.RunAll(args);

    /// <summary>The small-scope rows of a <c>--json</c> run, by state, without what may differ (time, files, the shard).</summary>
    static Dictionary<string, string> Rows(string json) => json.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(l => JsonNode.Parse(l)!.AsObject())
        .Where(o => o["mode"]?.GetValue<string>() == "small-scope")
        .ToDictionary(o => o["variant"]!.GetValue<string>(), o =>
        {
            o.Remove("seconds");
            o.Remove("shard");
            foreach (var f in o["findings"]!.AsArray())
                f!.AsObject().Remove("file");
            return o.ToJsonString();
        });

    [TestCase(2)]
    [TestCase(4)]
    public void MergedShardsGiveTheSingleRunsVerdictScenariosAndFindingsForEveryState(int n)
    {
        var single = Run(["verify", "--small-scope", "--variant", "all", .. Reduced, "--jobs", "2", "--json", "--out", Path.Combine(dir, "single")]);
        // 1 where the reduced scope is too small for a state's race (v6.19's and mm-2026-03's): the merge must say the same.
        Assert.That(single.ExitCode, Is.AnyOf(0, 1), single.Stderr);
        var expected = Rows(single.Stdout);
        int scope = JsonNode.Parse(expected.Values.First())!["scenarios_in_scope"]!.GetValue<int>();
        Assert.That(expected.Keys, Is.EquivalentTo(Kernel.Variants.All.Select(v => v.Name)));
        var folders = new List<string>();
        for (int i = 0; i < n; i++)
        {
            var folder = Path.Combine(dir, $"shard-{i}");
            folders.Add(folder);
            // Shards differ in their workers: the part each explores is fixed by its index alone.
            var shard = Run(["verify", "--small-scope", "--variant", "all", .. Reduced, "--jobs", (1 + i % 2).ToString(), "--json", "--shard", $"{i}/{n}", "--out", folder]);
            Assert.That(shard.ExitCode, Is.Zero, "a shard exits 0 when it ran: the verdict is the merge's\n" + shard.Stderr);
            Assert.That(File.Exists(Path.Combine(folder, $"mmfuzz-shard-{i}-of-{n}.json")));
            foreach (var row in Rows(shard.Stdout).Values.Select(r => JsonNode.Parse(r)!))
                Assert.That(row["scenarios_in_shard"]!.GetValue<int>(), Is.EqualTo(scope / n + (i < scope % n ? 1 : 0)), "every N-th scenario");
        }
        var merged = Run(["merge", .. folders.AsEnumerable().Reverse(), "--json", "--out", Path.Combine(dir, "merged")]);
        Assert.That(merged.ExitCode, Is.EqualTo(single.ExitCode), merged.Stderr);
        var got = Rows(merged.Stdout);
        foreach (var (state, row) in expected)
            Assert.That(got[state], Is.EqualTo(row), state);
        Assert.That(File.Exists(Path.Combine(dir, "merged", "index.html")), "one findings page");
        Assert.That(Directory.GetFiles(Path.Combine(dir, "merged"), "*.schedule"), Has.Length.EqualTo(Directory.GetFiles(Path.Combine(dir, "single"), "*.schedule").Length));
    }

    [Test]
    public void MergeRefusesMissingTwiceForeignAndBrokenSummariesInOneLine()
    {
        string Shard(string name, string shard, params string[] more)
        {
            var folder = Path.Combine(dir, name);
            var r = Run(["verify", "--small-scope", "--variant", "folio-batch", .. Reduced, "--preemptions", "1", "--jobs", "1", "--shard", shard, "--out", folder, .. more]);
            Assert.That(r.ExitCode, Is.Zero, r.Stderr);
            return folder;
        }
        var (a, b, c) = (Shard("a", "0/3"), Shard("b", "1/3"), Shard("c", "2/3"));
        var again = Run(["verify", "--small-scope", "--variant", "folio-batch", .. Reduced, "--preemptions", "1", "--shard", "0/3", "--out", a]);
        HostileInput(again, "mmfuzz-shard-0-of-3.json exists");
        HostileInput(Run("merge", a, c, "--out", Path.Combine(dir, "m")), "merge: 1 of 3 shards missing: 1");
        HostileInput(Run("merge", a, b, c, b, "--out", Path.Combine(dir, "m")), "merge: shard 1/3 given twice");
        var foreign = Shard("d", "1/3", "--ignore", "data-race");
        HostileInput(Run("merge", a, foreign, c, "--out", Path.Combine(dir, "m")), "is not of the run of");
        HostileInput(Run("merge", dir, "--out", Path.Combine(dir, "m")), "no shard summary");
        var broken = Path.Combine(dir, "broken.json");
        File.WriteAllText(broken, "{\"format\":\"mmfuzz-shard 1\"}");
        HostileInput(Run("merge", broken), "not a shard summary");
        File.WriteAllText(broken, "[1, 2");
        HostileInput(Run("merge", broken), "not a shard summary");
        var ok = Run("merge", a, b, c, "--out", Path.Combine(dir, "m"));
        Assert.That(ok.ExitCode, Is.Zero, ok.Stderr);
        Assert.That(ok.Stdout, Does.Match(@"folio-batch / small scope \(.*\): 29/29 scenarios x [\d,]+ executions in [\d.]+ s on 3 shard\(s\): no bug of a kind history records: exhausted"));
    }

    static void HostileInput((int ExitCode, string Stdout, string Stderr) r, string expected)
    {
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Stderr);
        Assert.That(r.Stderr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), r.Stderr);
        Assert.That(r.Stderr, Does.StartWith("mmfuzz: ").And.Contain(expected).And.Not.Contain("   at "));
    }

    [Test, Category("quick")]
    public void TheShardIndexComesFromKubernetesOrSlurm()
    {
        Shard From(int n, string? k, string? s) => ShardOptions.FromEnvironment(n, v => v == ShardOptions.KubernetesIndex ? k : v == ShardOptions.SlurmIndex ? s : null);
        Assert.That(From(4, "3", null), Is.EqualTo(new Shard(3, 4)));
        Assert.That(From(4, null, "0"), Is.EqualTo(new Shard(0, 4)));
        Assert.That(From(4, "2", "2"), Is.EqualTo(new Shard(2, 4)));
        Assert.That(() => From(4, null, null), Throws.TypeOf<UsageException>().With.Message.Contains("neither JOB_COMPLETION_INDEX"));
        Assert.That(() => From(4, "4", null), Throws.TypeOf<UsageException>().With.Message.Contains("JOB_COMPLETION_INDEX is '4', not a shard index from 0 to 3"));
        Assert.That(() => From(4, null, "x"), Throws.TypeOf<UsageException>().With.Message.Contains("SLURM_ARRAY_TASK_ID is 'x'"));
        Assert.That(() => From(4, null, "-1"), Throws.TypeOf<UsageException>().With.Message.Contains("not a shard index"));
        Assert.That(() => From(4, "1", "2"), Throws.TypeOf<UsageException>().With.Message.Contains("JOB_COMPLETION_INDEX is 1 but SLURM_ARRAY_TASK_ID is 2"));
        Assert.That(ShardOptions.Parse("3/8"), Is.EqualTo(new Shard(3, 8)));
    }

    [Test, Category("quick")]
    public void EveryShardsWorkersSplitAListOnceAndDrawTheirOwnSeeds()
    {
        const int n = 3;
        var jobs = new[] { 1, 2, 3 };       // each shard on a machine of its own size
        var slots = Enumerable.Range(0, n).SelectMany(i => Enumerable.Range(0, jobs[i]).Select(w => new WorkerSlot(w, jobs[i]) { Shard = new Shard(i, n) })).ToList();
        for (int item = 0; item < 100; item++)
            Assert.That(slots.Count(s => s.Owns(item)), Is.EqualTo(1), $"item {item}");
        Assert.That(slots.Select(s => s.Seed(1)).Distinct().Count(), Is.EqualTo(slots.Count), "no two workers of any shards share a seed");
        Assert.That(new WorkerSlot(1, 2).Seed(7), Is.EqualTo(new WorkerSlot(1, 2) { Shard = Shard.Whole }.Seed(7)), "unsharded hunts keep their seeds");
    }

    [Test]
    public void AHuntsShardsAreDeterministicAndMergeIntoOneVerdict()
    {
        string[] Hunt(int i, string folder) => ["hunt", "--variant", "mm-2024-03", "--executions", "4000", "--jobs", "1", "--json", "--shard", $"{i}/2", "--out", folder];
        var runs = new[] { "h0", "h1", "again" }.Select((name, k) => Run(Hunt(k % 2 == 0 ? 0 : 1, Path.Combine(dir, name)))).ToList();
        Assert.That(runs.Select(r => r.ExitCode), Is.All.Zero, runs[0].Stderr);
        string Signatures(string folder) => string.Join("\n", JsonDocument.Parse(File.ReadAllText(Directory.GetFiles(folder, ShardFile.Pattern).Single())).RootElement
            .GetProperty("rows")[0].GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("kind").GetString() + " " + f.GetProperty("location").GetString()));
        Assert.That(Signatures(Path.Combine(dir, "again")), Is.EqualTo(Signatures(Path.Combine(dir, "h0"))), "a shard with an execution budget finds the same every run");
        var merged = Run("merge", Path.Combine(dir, "h0"), Path.Combine(dir, "h1"), "--out", Path.Combine(dir, "m"));
        Assert.That(merged.ExitCode, Is.Zero, merged.Stderr);
        Assert.That(merged.Stdout, Does.Match(@"mm-2024-03 +generated +bug +bug "));
        Assert.That(File.Exists(Path.Combine(dir, "m", "index.html")));
    }
}
