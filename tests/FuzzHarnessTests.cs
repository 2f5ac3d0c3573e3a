using System.Runtime.InteropServices;
using MmFuzz.Cli.Harness;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Strategies;
using NUnit.Framework;
using MmFuzz.Search;
using MmFuzz.Schedules;

namespace MmFuzz.Tests;

/// <summary>The fuzz harness behind AFL++ and libFuzzer: total on every byte string, crashes only on kernel bugs, and triage into regressions that replay.</summary>
[TestFixture, Category("fuzzers")]
public class FuzzHarnessTests
{
    static CampaignConfig Campaign(string variant, bool beyond = false, bool interleaving = false) =>
        new(Variants.Find(variant)!, beyond, new HashSet<BugKind>(), interleaving);

    /// <summary>Byte strings the harness reports as a crash of <paramref name="variant"/>, from a fixed random search.</summary>
    static List<byte[]> CrashInputs(string variant, int count, int seed, Func<Outcome, bool>? want = null)
    {
        var target = new FuzzTarget(Campaign(variant));
        var rng = new Random(seed);
        var found = new List<byte[]>();
        for (int i = 0; i < 20_000 && found.Count < count; i++)
        {
            var data = new byte[rng.Next(1, 96)];
            rng.NextBytes(data);
            var o = target.Run(data);
            if (target.IsCrash(o) && (want?.Invoke(o) ?? true))
                found.Add(data);
        }
        Assert.That(found, Has.Count.EqualTo(count), $"the search found only {found.Count} crash inputs of {variant}");
        return found;
    }

    [Test]
    public void DecoderIsTotalOnAMillionRandomByteStrings()
    {
        var rng = new Random(5);
        var target = new FuzzTarget(Campaign("mm-2024-03"));
        int runs = 0, bugs = 0;
        for (int i = 0; i < 1_000_000; i++)
        {
            var data = new byte[rng.Next(0, 64)];
            rng.NextBytes(data);
            var s = ScenarioDecoder.Decode(data, out int used);
            Assert.That(used, Is.InRange(0, data.Length));
            Assert.That(s.Folios.Length, Is.InRange(1, ScenarioDecoder.MaxFolios));
            Assert.That(s.Cpus.Length, Is.InRange(2, ScenarioDecoder.MaxCpus));
            if (i % 500 != 0)
                continue;
            // A sample runs, and every run ends in a verdict about the kernel, never in a simulator error.
            var o = target.Run(data);
            Assert.That(o.Verdict, Is.Not.EqualTo(Verdict.HarnessError), $"{Convert.ToHexString(data)}: {o.Message}");
            runs++;
            if (o.IsBug)
                bugs++;
        }
        Assert.That(runs, Is.EqualTo(2000));
        Assert.That(bugs, Is.GreaterThan(0), "the buggy state corrupts under some sampled inputs");
    }

    [Test]
    public void ExecuteThrowsOnAKernelBugOnly()
    {
        var crash = CrashInputs("mm-2024-03", 1, 1)[0];
        var e = Assert.Throws<KernelBugException>(() => new FuzzTarget(Campaign("mm-2024-03")).Execute(crash));
        Assert.That(e!.Message, Does.StartWith("mm-2024-03: "));
        Assert.That(History.BeyondHistoryKinds, Does.Not.Contain(e.Kind));
        // The empty input (scan vs. the last folio_put, no preemption) runs clean.
        Assert.DoesNotThrow(() => new FuzzTarget(Campaign("mm-2024-03")).Execute([]));
    }

    [Test]
    public void BeyondHistoryKindsCrashOnlyWhenAsked()
    {
        // v6.13 shows only beyond-history kinds on generated runs (DecoderTests); find one.
        var plain = new FuzzTarget(Campaign("v6.13"));
        var rng = new Random(9);
        byte[]? input = null;
        for (int i = 0; i < 50_000 && input is null; i++)
        {
            var data = new byte[rng.Next(1, 96)];
            rng.NextBytes(data);
            if (plain.Run(data).IsBug)
                input = data;
        }
        Assert.That(input, Is.Not.Null, "no beyond-history finding in v6.13 within the search");
        var o = plain.Run(input!);
        Assert.That(History.BeyondHistoryKinds, Does.Contain(o.Kind));
        Assert.DoesNotThrow(() => plain.Execute(input!));
        Assert.Throws<KernelBugException>(() => new FuzzTarget(Campaign("v6.13", beyond: true)).Execute(input!));
    }

    [Test]
    public void SimulatorErrorsAreAlwaysCrashesAndNeverKernelBugs()
    {
        var target = new FuzzTarget(Campaign("v6.13"));
        Assert.That(target.IsCrash(new Outcome(Verdict.HarnessError, BugKind.None, "boom", 3, 0)));
        Assert.That(target.IsCrash(new Outcome(Verdict.Bug, BugKind.DataRace, "race", 3, 1)), Is.False);
        Assert.That(target.IsCrash(Outcome.Ok(10)), Is.False);
    }

    [Test]
    public void InterleavingCoverageFeedsTheMap()
    {
        SharpFuzzMap.EnsureAllocated();
        nint map = SharpFuzzMap.Current;
        Assert.That(map, Is.Not.EqualTo((nint)0));
        var before = new byte[1 << 16];
        Marshal.Copy(map, before, 0, before.Length);
        var on = new FuzzTarget(Campaign("v6.13", interleaving: true));
        var off = new FuzzTarget(Campaign("v6.13", interleaving: false));
        // Schedule bytes that switch CPUs often, so CPUs touch the same words in turn.
        var data = new byte[] { 0, 0, 0, 0, 0, 0, 0, 0 }.Concat(Enumerable.Repeat((byte)1, 200)).ToArray();
        var a = on.Run(data);
        var b = off.Run(data);
        Assert.That(a, Is.EqualTo(b), "the observer does not change the run");
        Assert.That(on.InterleavingFeatures, Is.GreaterThan(0));
        Assert.That(off.InterleavingFeatures, Is.EqualTo(0));
        var after = new byte[1 << 16];
        Marshal.Copy(map, after, 0, after.Length);
        Assert.That(after.Where((x, i) => x != before[i]).Count(), Is.GreaterThan(0), "features land in the map");
    }

    [Test]
    public void TriageGroupsMinimizesAndWritesRegressionsThatReplay()
    {
        var root = Path.Combine(Path.GetTempPath(), "mmfuzz-triage-" + Guid.NewGuid().ToString("N"));
        var crashDir = Path.Combine(root, "campaign-42");
        var outDir = Path.Combine(root, "regressions");
        try
        {
            Directory.CreateDirectory(crashDir);
            var inputs = CrashInputs("mm-2024-03", 4, 2);
            for (int i = 0; i < inputs.Count; i++)
                File.WriteAllBytes(Path.Combine(crashDir, $"crash-{i}"), inputs[i]);
            File.WriteAllBytes(Path.Combine(crashDir, "crash-empty"), []);   // the smallest race: clean without preemptions

            var r = Triage.Run(crashDir, Campaign("mm-2024-03"), outDir, "libFuzzer");
            Assert.That(r.HarnessErrors, Is.Empty);
            Assert.That(r.NotReproduced.Select(Path.GetFileName), Is.EqualTo(new[] { "crash-empty" }));
            Assert.That(r.Groups.Sum(g => g.Inputs.Count), Is.EqualTo(4));
            Assert.That(r.Groups.Select(g => (g.Kind, g.Location)).Distinct().Count(), Is.EqualTo(r.Groups.Count));
            foreach (var g in r.Groups)
            {
                Assert.That(g.Message, Is.Not.Empty.And.Not.Contain("#"), "the screen shows the concrete message, not the masked location");
                Assert.That(g.Finding!.Outcome.Message, Does.Contain(g.Message.Length > 30 ? g.Message[..30] : g.Message).Or.StartWith("MODEL ASSERTION"));
                var file = ScheduleFile.Parse(File.ReadAllText(g.Written!), g.Written!);
                Assert.That(file.Variant, Is.EqualTo("mm-2024-03"));
                Assert.That(file.Expect, Is.EqualTo(g.Kind));
                Assert.That(file.FoundBy, Does.StartWith("libFuzzer campaign campaign-42 (input crash-"));
                Assert.That(Triage.CampaignOf(Path.Combine(crashDir, "crashes")), Is.EqualTo("campaign-42"));
                Assert.That(g.Finding!.Preemptions, Is.LessThanOrEqualTo(2));
                using var world = new Simulation(Variants.Find(file.Variant)!, file.ResolveScenario());
                var o = world.Run(new ReplayStrategy(file.Steps));
                Assert.That(o.Kind, Is.EqualTo(g.Kind), o.Message);
                Assert.That(o.Message, Is.EqualTo(file.Message));
            }
            // Create-new: a second triage numbers on and overwrites nothing.
            var first = Directory.GetFiles(outDir).ToDictionary(f => f, File.ReadAllText);
            var again = Triage.Run(crashDir, Campaign("mm-2024-03"), outDir, "libFuzzer");
            Assert.That(Directory.GetFiles(outDir), Has.Length.EqualTo(2 * r.Groups.Count));
            foreach (var (f, text) in first)
                Assert.That(File.ReadAllText(f), Is.EqualTo(text));
            Assert.That(again.Groups.Select(g => g.Written), Has.None.AnyOf(first.Keys.Cast<object>().ToArray()));
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    [Test]
    public void CrashInputsAreTheFuzzersCrashFilesOnly()
    {
        var root = Path.Combine(Path.GetTempPath(), "mmfuzz-inputs-" + Guid.NewGuid().ToString("N"));
        try
        {
            // libfuzzer.sh's layout: logs beside crashes/; AFL++'s: instance/crashes/id:* beside queue/.
            Directory.CreateDirectory(Path.Combine(root, "lf", "crashes"));
            File.WriteAllText(Path.Combine(root, "lf", "libfuzzer.log"), "log");
            File.WriteAllBytes(Path.Combine(root, "lf", "crashes", "crash-1"), [1]);
            Directory.CreateDirectory(Path.Combine(root, "afl", "m1-main", "crashes"));
            Directory.CreateDirectory(Path.Combine(root, "afl", "m1-main", "queue"));
            File.WriteAllBytes(Path.Combine(root, "afl", "m1-main", "queue", "id:000000"), [2]);
            File.WriteAllText(Path.Combine(root, "afl", "m1-main", "crashes", "README.txt"), "afl");
            File.WriteAllBytes(Path.Combine(root, "afl", "m1-main", "crashes", "id:000000,sig:02"), [3]);
            Directory.CreateDirectory(Path.Combine(root, "plain"));
            File.WriteAllBytes(Path.Combine(root, "plain", "input"), [4]);
            string Names(string d) => string.Join(",", Triage.CrashInputs(Path.Combine(root, d)).Select(Path.GetFileName));
            Assert.That(Names("lf"), Is.EqualTo("crash-1"));
            Assert.That(Names("afl"), Is.EqualTo("id:000000,sig:02"));
            Assert.That(Names("plain"), Is.EqualTo("input"));
            Assert.That(Triage.FuzzerOf(Path.Combine(root, "lf")), Is.EqualTo("libFuzzer"));
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    [TestCase("list_del corruption. next->prev should be ffff8881000000e0, but was ffff888100000050. (next=ffff888100000050) [ffff8881000000e0=A, ffff888100000050=memcg1.queue]",
        "list_del corruption. next->prev should be #, but was #.")]
    [TestCase("MODEL ASSERTION (no kernel check guards this list): lockdep_assert_held(memcg2.split_queue_lock) would fail: CPU 2 writes B.prev (the list of memcg2.queue) in list_del_init holding node0.split_queue_lock\nmore",
        "MODEL ASSERTION (no kernel check guards this list): lockdep_assert_held(memcg#.split_queue_lock) would fail: CPU # writes F.prev (the list of memcg#.queue) in list_del_init holding node#.split_queue_lock")]
    public void LocationDropsAddressesAndInstanceNames(string message, string location) =>
        Assert.That(Triage.LocationOf(message), Is.EqualTo(location));

    /// <summary>
    /// The checked-in seed corpus and dictionary are what <c>mmfuzz seeds</c> writes with the current
    /// decoder: a decoder change that would leave the fuzzers starting from stale scenarios fails here.
    /// </summary>
    [Test]
    public void CheckedInSeedsAreTheSeedsVerbsOutput()
    {
        string root = Repo.Root();
        var seeds = MmFuzz.Cli.SeedCorpus.Generate(24);
        foreach (var (name, data) in seeds)
            Assert.That(File.ReadAllBytes(Path.Combine(root, "corpus", "seeds", name)), Is.EqualTo(data), $"corpus/seeds/{name}: run `mmfuzz seeds --out corpus/seeds --dict corpus/mmfuzz.dict`");
        Assert.That(Directory.GetFiles(Path.Combine(root, "corpus", "seeds")), Has.Length.EqualTo(seeds.Count));
        Assert.That(File.ReadAllText(Path.Combine(root, "corpus", "mmfuzz.dict")), Is.EqualTo(MmFuzz.Cli.SeedCorpus.Dictionary(seeds)));
    }

    /// <summary>The fuzzers' finding in v6.13 (docs/FINDINGS.md): the input and its minimized schedule both show it.</summary>
    [Test]
    public void V613FindingReplays()
    {
        string root = Repo.Root();
        var dir = Path.Combine(root, "corpus", "findings");
        var input = File.ReadAllBytes(Path.Combine(dir, "v6.13-wrong-lock.input"));
        var target = new FuzzTarget(Campaign("v6.13"));
        Assert.That(target.Run(input).Kind, Is.EqualTo(BugKind.WrongLock));
        Assert.Throws<KernelBugException>(() => target.Execute(input));
        var path = Path.Combine(dir, "0001-v6.13-fuzz-wrong-lock.schedule");
        var file = ScheduleFile.Parse(File.ReadAllText(path), path);
        using var world = new Simulation(Variants.Find(file.Variant)!, file.ResolveScenario());
        var o = world.Run(new ReplayStrategy(file.Steps));
        Assert.That(o.Kind, Is.EqualTo(BugKind.WrongLock), o.Message);
        Assert.That(o.Message, Is.EqualTo(file.Message));
    }

    /// <summary>
    /// The v6.13 finding's scenario under bounded exhaustive search: v6.13 shows the wrong lock at one
    /// preemption; folio-batch (Muchun Song's 2025 rework, which drops loop 2's unlocked
    /// <c>list_del_init()</c> and re-queues under the queue lock) is clean at two, exhausted.
    /// </summary>
    [Test]
    public void V613FindingIsGoneInFolioBatch()
    {
        string root = Repo.Root();
        var path = Path.Combine(root, "corpus", "findings", "0001-v6.13-fuzz-wrong-lock.schedule");
        var scenario = ScheduleFile.Parse(File.ReadAllText(path), path).ResolveScenario();
        bool HistoryKind(Outcome o) => !History.BeyondHistoryKinds.Contains(o.Kind);

        using (var v613 = new Simulation(Variants.Find("v6.13")!, scenario))
        {
            var r = ExhaustiveSearch.Explore(v613, 1, Budget.OfExecutions(5_000_000), HistoryKind, reduction: true);
            Assert.That(r.Failure, Is.Not.Null, "v6.13 should show the finding within one preemption");
            Assert.That(r.Failure!.Outcome.Kind, Is.EqualTo(BugKind.WrongLock), r.Failure.Outcome.Message);
        }
        using var batch = new Simulation(Variants.Find("folio-batch")!, scenario);
        var clean = ExhaustiveSearch.Explore(batch, 2, Budget.OfExecutions(5_000_000), HistoryKind, reduction: true);
        Assert.That(clean.Failure, Is.Null, clean.Failure?.Outcome.Message);
        Assert.That(clean.Exhausted, Is.True, $"{clean.Executions} executions, not exhausted");
        Assert.That(clean.Executions, Is.GreaterThan(100));
    }

    /// <summary>
    /// The same race as the kernel would see it (corpus/findings/0003, the model's wrong-lock assertion
    /// off, as the kernel has no such check): with one preemption the re-queue lands between loop 2's
    /// two unlocked stores, and the queue is left pointing at a folio that points at itself: list
    /// corruption, which DEBUG_LIST reports at the next walk. Gone in folio-batch, in the same
    /// scenario, exhaustively at 2 preemptions.
    /// </summary>
    [Test]
    public void V613ListCorruptionReplaysAndIsGoneInFolioBatch()
    {
        var path = Path.Combine(Repo.Root(), "corpus", "findings", "0003-v6.13-list-corruption.schedule");
        var file = ScheduleFile.Parse(File.ReadAllText(path), path);
        Assert.That(file.OraclesOff, Is.EquivalentTo(new[] { BugKind.WrongLock }));
        using (var world = new Simulation(Variants.Find(file.Variant)!, file.ResolveScenario(), file.OraclesOff))
        {
            var o = world.Run(new ReplayStrategy(file.Steps));
            Assert.That(o.Kind, Is.EqualTo(BugKind.ListCorruption), o.Message);
            Assert.That(world.Machine.Preemptions, Is.EqualTo(1));
            Assert.That(o.Message, Is.EqualTo(file.Message));
        }
        Assert.That(History.Of(Variants.V6_13)!.KnownFor(BugKind.ListCorruption, file.ResolveScenario()), Is.Not.Null,
            "v6.13's row knows the finding");
        using var batch = new Simulation(Variants.Find("folio-batch")!, file.ResolveScenario());
        var clean = ExhaustiveSearch.Explore(batch, 2, Budget.OfExecutions(5_000_000), o => !History.BeyondHistoryKinds.Contains(o.Kind), reduction: true);
        Assert.That(clean.Failure, Is.Null, clean.Failure?.Outcome.Message);
        Assert.That(clean.Exhausted, Is.True);
    }
}
