using System.Collections.Concurrent;
using System.Diagnostics;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using NUnit.Framework;
using MmFuzz.Search;
using MmFuzz.Schedules;
using MmFuzz.Reports;

namespace MmFuzz.Tests;

/// <summary>
/// Every checked-in regression in corpus/regressions replays: the recorded variant reproduces the
/// recorded bug kind at the recorded last step, and the same scenario passes bounded exhaustive search
/// under every variant history calls safe for its family. Also the format's error paths and the minimizer.
/// </summary>
[TestFixture, Category("slow")]
[Parallelizable(ParallelScope.All)]
public class CorpusTests
{
    /// <summary>Preemption bound of the safe variants' search.</summary>
    const int SafeBound = 2;

    /// <summary>Execution budget per safe variant (far above what bound 2 with sleep sets needs for any file checked in).</summary>
    const long SafeBudget = 2_000_000;

    static string CorpusDir => Path.Combine(Repo.Root(), "corpus", "regressions");

    static IEnumerable<TestCaseData> Regressions()
    {
        foreach (var f in Directory.GetFiles(CorpusDir, "*.schedule").Order())
            yield return new TestCaseData(f).SetName(Path.GetFileName(f));
    }

    static ScheduleFile Load(string path) => ScheduleFile.Parse(File.ReadAllText(path), path);

    [TestCaseSource(nameof(Regressions))]
    public void ReplaysTheRecordedBug(string path)
    {
        var file = Load(path);
        Assert.That(file.Expect, Is.Not.EqualTo(BugKind.None), "a regression records a bug");
        using var world = new Simulation(Variants.Find(file.Variant)!, file.ResolveScenario(), file.OraclesOff);
        var o = world.Run(new ReplayStrategy(file.Steps));
        Assert.That(o.Kind, Is.EqualTo(file.Expect), o.Message);
        Assert.That(o.Step, Is.EqualTo(file.Steps.Count), "the bug fires at the recorded last step");
        Assert.That(file.Message, Is.Not.Null, "a regression records the oracle's message");
        Assert.That(o.Message, Is.EqualTo(file.Message), "the oracle's message is the recorded one");
    }

    /// <summary>
    /// The header says what the file shows, how it was found and minimized, and which upstream commit
    /// fixed it (or that it is beyond history); every step carries a note.
    /// </summary>
    [TestCaseSource(nameof(Regressions))]
    public void TheHeaderAndStepNotesAreFilled(string path)
    {
        var file = Load(path);
        var variant = Variants.Find(file.Variant)!;
        var family = Family.Of(file.ResolveScenario());
        Assert.That(file.Spec, Is.Not.Null, "the scenario is written inline");
        Assert.That(file.Shows, Does.StartWith($"{BugKinds.Name(file.Expect)} in {variant.Name} ({family}"));
        Assert.That(file.FoundBy, Does.Contain("minimized from"));
        if (History.IsBeyondHistory(variant, file.Expect))
            Assert.That(file.Upstream, Does.StartWith("none: a finding beyond history"));
        else
            Assert.That(file.Upstream, Is.EqualTo(History.Of(variant)![family].Fix), "a history kind names the upstream fix of its family");
        Assert.That(file.StepNotes, Is.Not.Null);
        Assert.That(file.StepNotes!.Count, Is.EqualTo(file.Steps.Count));
        Assert.That(file.StepNotes, Has.None.Empty);
    }

    /// <summary>
    /// The regression's scenario under every variant history calls safe for the scenario's family:
    /// bounded exhaustive search (2 preemptions, sleep sets) exhausts without a bug kind history
    /// records. Variants history calls buggy for the family are skipped (they may well fail).
    /// </summary>
    [TestCaseSource(nameof(Regressions))]
    public void SafeVariantsPassBoundedSearch(string path)
    {
        var file = Load(path);
        var scenario = file.ResolveScenario();
        var family = Family.Of(scenario);
        var safe = Variants.All.Where(v => History.ExpectedFor(v, family) == Expected.Safe).ToList();
        Assert.That(safe, Is.Not.Empty, $"history calls some variant safe for {family}");
        var sw = Stopwatch.StartNew();
        long executions = 0;
        var results = SafeSearches(safe, scenario);
        foreach (var v in safe)
        {
            var r = results[v];
            executions += r.Executions;
            Assert.That(r.Failure, Is.Null, () => $"{v.Name} / {scenario.Name}: {BugKinds.Name(r.Failure!.Outcome.Kind)}: {r.Failure.Outcome.Message}");
            Assert.That(r.Exhausted, Is.True, $"{v.Name} / {scenario.Name}: bound {SafeBound} not exhausted within {SafeBudget} executions");
        }
        TestContext.Out.WriteLine($"{Path.GetFileName(path)} ({family}): {string.Join(", ", safe.Select(v => v.Name))} clean at {SafeBound} preemptions, {executions} executions, {sw.Elapsed.TotalSeconds:F2} s");
    }

    /// <summary>
    /// Regressions of one race in several states share their scenario (six files hold swapout-neighbour,
    /// 0003 and 0009 the same migrate-requeue-neighbour): each search of a scenario in a safe state runs
    /// once per test run, and every file's test asserts on it.
    /// </summary>
    static readonly ConcurrentDictionary<string, Lazy<ExhaustiveResult>> Searches = new();

    /// <summary>
    /// The searches of <paramref name="scenario"/> in each of <paramref name="states"/>: first those no
    /// other test has started, then the ones another test runs, so that two tests of one scenario share
    /// its states out instead of one waiting for the other.
    /// </summary>
    static Dictionary<Variant, ExhaustiveResult> SafeSearches(IReadOnlyList<Variant> states, Scenario scenario)
    {
        string Key(Variant v) => $"{v.Name} | {string.Join(" ", scenario.Folios)} | {ScenarioText.Describe(scenario.Folios, scenario.Cpus)}";
        var results = new Dictionary<Variant, ExhaustiveResult>();
        foreach (var v in states)
        {
            var mine = new Lazy<ExhaustiveResult>(() =>
            {
                using var world = new Simulation(v, scenario);
                return ExhaustiveSearch.Explore(world, SafeBound, Budget.OfExecutions(SafeBudget), o => !History.IsBeyondHistory(v, o.Kind), reduction: true);
            });
            if (Searches.TryAdd(Key(v), mine))
                results[v] = mine.Value;
        }
        foreach (var v in states.Where(v => !results.ContainsKey(v)))
            results[v] = Searches[Key(v)].Value;
        return results;
    }

    /// <summary>Every checked-in schedule is already minimal for today's minimizer: minimizing it again changes nothing.</summary>
    [TestCaseSource(nameof(Regressions))]
    public void TheRecordedScheduleIsAFixedPointOfTheMinimizer(string path)
    {
        var file = Load(path);
        using var world = new Simulation(Variants.Find(file.Variant)!, file.ResolveScenario(), file.OraclesOff);
        var f = Minimizer.Minimize(world, file.Steps.Select(s => (byte)s.Cpu).ToArray(), file.Expect, 0);
        Assert.That(f.ProvenMinimal, Is.True, "the fewest preemptions are proven");
        Assert.That(f.Stats!.ShrinkSteps, Is.Zero, "nothing left to shrink");
        Assert.That(f.Steps, Is.EqualTo(file.Steps));
        // The checked-in text is what minimize --in-place renders: the corpus is never stale.
        var copy = Path.Combine(Temp(), Path.GetFileName(path));
        try
        {
            File.Copy(path, copy);
            var (rc, stdout, stderr) = CliRun.RunAll("minimize", copy, "--in-place");
            Assert.That(rc, Is.Zero, stderr);
            Assert.That(File.ReadAllText(copy), Is.EqualTo(File.ReadAllText(path)),
                $"minimize --in-place would change {Path.GetFileName(path)}: re-render it (dotnet run --project fuzz -c Release -- minimize {path} --in-place)");
            Assert.That(stdout, Does.Contain("is unchanged; nothing written"));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(copy)!, recursive: true);
        }
    }

    [Test]
    public void FamilyOfAgreesWithTheCatalog()
    {
        foreach (var family in Family.All)
            foreach (var s in family.Scenarios)
                Assert.That(Family.Of(s), Is.EqualTo(family), s.Name);
    }

    [Test]
    public void FamilyOfAGeneratedScenarioFollowsItsOperations()
    {
        var folios = new[] { new FolioSpec("A", 1, QueueId.Memcg1, QueueId.Memcg1) };
        Op scan = new(OpKind.Scan, [], QueueId.Memcg1, 32), migrate = new(OpKind.MigrateFolio, [0]), split = new(OpKind.SplitFolio, [0]);
        Assert.That(Family.Of(new Scenario("g1", "", folios, [[scan], [new Op(OpKind.FolioPut, [0])]])), Is.EqualTo(Family.ScanVsFree));
        Assert.That(Family.Of(new Scenario("g2", "", folios, [[scan], [split]])), Is.EqualTo(Family.ScanVsSplit));
        Assert.That(Family.Of(new Scenario("g3", "", folios, [[scan, split], [migrate]])), Is.EqualTo(Family.ScanVsMigrate));
        Op move = new(OpKind.MoveCharge, [0], QueueId.Memcg2), put = new(OpKind.FolioPut, [0]);
        Assert.That(Family.Of(new Scenario("g4", "", folios, [[scan], [move, put]])), Is.EqualTo(Family.ScanVsMoveCharge));
        Assert.That(Family.Touched(new Scenario("g5", "", folios, [[scan], [move, put]])), Is.EquivalentTo(new[] { Family.ScanVsFree, Family.ScanVsMoveCharge }));
    }

    [Test]
    public void ARecordingLongerThanTheRunIsADivergence()
    {
        var path = Directory.GetFiles(CorpusDir, "*.schedule").Order().First();
        var file = Load(path);
        var longer = file.Steps.Append(file.Steps[^1]).ToList();
        using var world = new Simulation(Variants.Find(file.Variant)!, file.ResolveScenario(), file.OraclesOff);
        var e = Assert.Throws<ReplayDivergedException>(() => world.Run(new ReplayStrategy(longer)));
        Assert.That(e!.Message, Does.StartWith($"step {file.Steps.Count + 1}: the run ended"));
    }

    [TestCaseSource(nameof(Regressions))]
    public void AReplayThatDivergesNamesTheStep(string path)
    {
        var file = Load(path);
        int k = file.Steps.Count / 2;      // 0-based: the recording's step k + 1 announces another point
        var steps = file.Steps.ToArray();
        steps[k] = steps[k] with { Op = steps[k].Op == AccessOp.Load ? AccessOp.Store : AccessOp.Load };
        using var world = new Simulation(Variants.Find(file.Variant)!, file.ResolveScenario(), file.OraclesOff);
        var e = Assert.Throws<ReplayDivergedException>(() => world.Run(new ReplayStrategy(steps)));
        Assert.That(e!.Message, Does.StartWith($"step {k + 1}: expected scheduling point '{Access.Name(steps[k].Op)}' on CPU {steps[k].Cpu + 1}"));
    }

    [Test]
    public void ABadLineIsReportedWithFileAndLine()
    {
        var path = Directory.GetFiles(CorpusDir, "*.schedule").Order().First();
        var lines = File.ReadAllText(path).Split('\n');
        int stepLine = Array.FindIndex(lines, l => l.StartsWith("3 cpu"));
        Assert.That(stepLine, Is.GreaterThan(0));

        var badPoint = (string[])lines.Clone();
        badPoint[stepLine] = "3 cpu1 teleport";
        var e = Assert.Throws<FormatException>(() => ScheduleFile.Parse(string.Join('\n', badPoint), "x.schedule"));
        Assert.That(e!.Message, Does.StartWith($"x.schedule:{stepLine + 1}: unknown scheduling point 'teleport'"));

        var garbage = (string[])lines.Clone();
        garbage[stepLine] = "three cpu1 load";
        e = Assert.Throws<FormatException>(() => ScheduleFile.Parse(string.Join('\n', garbage), "x.schedule"));
        Assert.That(e!.Message, Does.StartWith($"x.schedule:{stepLine + 1}: cannot read 'three cpu1 load'"));

        var badVariant = lines.Select(l => l.StartsWith("variant ") ? "variant v5.0" : l).ToArray();
        int variantLine = Array.FindIndex(badVariant, l => l == "variant v5.0");
        e = Assert.Throws<FormatException>(() => ScheduleFile.Parse(string.Join('\n', badVariant), "x.schedule"));
        Assert.That(e!.Message, Does.StartWith($"x.schedule:{variantLine + 1}: unknown variant 'v5.0'"));
    }

    [Test]
    public void EveryVariantHistoryCallsBuggyHasARegression()
    {
        var files = Directory.GetFiles(CorpusDir, "*.schedule").Select(Load).ToList();
        foreach (var v in History.Rows.Where(r => r.Overall == Expected.Bug).Select(r => r.Variant))
            Assert.That(files.Where(f => f.Variant == v.Name && !History.IsBeyondHistory(v, f.Expect)), Is.Not.Empty,
                $"{v.Name} has a regression of a kind history records");
    }

    /// <summary>
    /// The minimizer, given the failing schedule of a random walk (PCT for v6.10-rc1), keeps the kind, never adds preemptions or
    /// steps, counts its work, and is deterministic; its result replays at its last step.
    /// </summary>
    [TestCase("v6.9", "migrate-neighbour", "use-after-free", 2)]
    [TestCase("mm-2024-03", "neighbours-batch", "accounting", 1)]   // with every oracle on, wrong-lock fires first at 0
    [TestCase("v6.12-rc1", "seed-mail-batch", "wrong-lock", 0)]
    [TestCase("v6.10-rc1", "migrate-requeue-neighbour", "accounting", 3)]   // PCT (depth 3): the random walk rarely needs 3
    public void MinimizeShrinksARandomWalksFailure(string variantName, string scenarioName, string kind, int minimal)
    {
        var variant = Variants.Find(variantName)!;
        var scenario = Catalog.All.Single(s => s.Name == scenarioName);
        using var world = new Simulation(variant, scenario);
        ISchedulingStrategy walk = variantName == "v6.10-rc1" ? new PctStrategy(7, 3) : new RandomStrategy(7);
        Outcome o;
        int runs = 0;
        do
        {
            o = world.Run(walk);
            Assert.That(++runs, Is.LessThan(200_000), "the walk finds a history kind");
        } while (!o.IsBug || History.BeyondHistoryKinds.Contains(o.Kind));
        Assert.That(BugKinds.Name(o.Kind), Is.EqualTo(kind), "the walk's first failure (seed 7)");
        var choices = world.Machine.Choices.ToArray();
        int stepsBefore = world.Machine.Steps, preemptionsBefore = world.Machine.Preemptions;

        var sw = Stopwatch.StartNew();
        var f = Minimizer.Minimize(world, choices, o.Kind, 0);
        var st = f.Stats!;
        TestContext.Out.WriteLine($"{variantName} / {scenarioName}: {kind}: {st.StepsBefore} steps / {st.PreemptionsBefore} preemptions -> {st.StepsAfter} / {st.PreemptionsAfter}, " +
                                  $"{st.ShrinkSteps} shrink steps, {st.Replays} replays, {sw.Elapsed.TotalSeconds:F2} s");
        Assert.That(f.Outcome.Kind, Is.EqualTo(o.Kind));
        Assert.That((st.StepsBefore, st.PreemptionsBefore), Is.EqualTo((stepsBefore, preemptionsBefore)));
        Assert.That(f.Preemptions, Is.EqualTo(minimal), "the proven minimal preemption count");
        Assert.That(f.ProvenMinimal, Is.True);
        Assert.That(st.PreemptionsAfter, Is.LessThanOrEqualTo(st.PreemptionsBefore));
        if (st.PreemptionsAfter == st.PreemptionsBefore)
            Assert.That(st.StepsAfter, Is.LessThanOrEqualTo(st.StepsBefore), "as many preemptions, never more steps");
        Assert.That((st.StepsAfter, st.PreemptionsAfter), Is.EqualTo((f.Steps.Count, f.Preemptions)));
        Assert.That(st.Replays, Is.GreaterThan(st.ShrinkSteps));
        Assert.That(Report.Record(f).StepNotes, Has.Count.EqualTo(f.Steps.Count));

        var again = Minimizer.Minimize(world, choices, o.Kind, 0);
        Assert.That(again.Steps, Is.EqualTo(f.Steps), "deterministic");
        Assert.That(again.Stats, Is.EqualTo(f.Stats));

        var replayed = world.Run(new ReplayStrategy(f.Steps));
        Assert.That((replayed.Kind, replayed.Step, replayed.Message), Is.EqualTo((o.Kind, f.Steps.Count, f.Outcome.Message)));
    }

    /// <summary>
    /// A generated scenario's failure (the shared choice-stream decoder, as the fuzzers and FsCheck
    /// produce them) minimizes, round-trips through a regression file with its scenario inline, and
    /// replays at the recorded last step with the recorded message.
    /// </summary>
    [TestCase("mm-2024-03")]
    [TestCase("v6.9")]
    [TestCase("v6.12-rc1")]
    public void AGeneratedFailureMinimizesAndRoundTripsThroughARegressionFile(string variantName)
    {
        var variant = Variants.Find(variantName)!;
        var rng = new Random(11);
        for (int i = 0; i < 20_000; i++)
        {
            var data = new byte[rng.Next(0, 160)];
            rng.NextBytes(data);
            var scenario = ScenarioDecoder.Decode(data, out int used);
            using var world = new Simulation(variant, scenario);
            var o = world.Run(new ChoiceStreamStrategy(new ChoiceStream(data, used)));
            if (!o.IsBug || History.BeyondHistoryKinds.Contains(o.Kind))
                continue;
            var sw = Stopwatch.StartNew();
            var f = Minimizer.Minimize(world, world.Machine.Choices.ToArray(), o.Kind, 0);
            var st = f.Stats!;
            TestContext.Out.WriteLine($"{variantName} input {i} ({Family.Of(scenario)}, {scenario.Cpus.Length} CPUs): {BugKinds.Name(o.Kind)}: " +
                                      $"{st.StepsBefore} steps / {st.PreemptionsBefore} preemptions -> {st.StepsAfter} / {st.PreemptionsAfter}, {st.ShrinkSteps} shrink steps, {st.Replays} replays, {sw.Elapsed.TotalSeconds:F2} s");
            Assert.That(f.Outcome.Kind, Is.EqualTo(o.Kind));
            Assert.That(st.PreemptionsAfter, Is.LessThanOrEqualTo(st.PreemptionsBefore));

            var text = Regression.Of(f, "CorpusTests (generated)").Render();
            var file = ScheduleFile.Parse(text, "generated.schedule");
            Assert.That(file.Spec, Is.EqualTo(scenario).Using<Scenario>((a, b) => ScenarioText.Render(a).SequenceEqual(ScenarioText.Render(b))), "the scenario is inline");
            using var again = new Simulation(variant, file.ResolveScenario());
            var replayed = again.Run(new ReplayStrategy(file.Steps));
            Assert.That((replayed.Kind, replayed.Step, replayed.Message), Is.EqualTo((file.Expect, file.Steps.Count, file.Message)), text);
            return;
        }
        Assert.Fail($"no generated input made {variantName} fail with a kind history records");
    }

    /// <summary>Fewest steps at the fewest preemptions: a bug that fires with no preemption is shown from the CPU that reaches it first.</summary>
    [Test]
    public void MinimizeTakesTheShorterRunAtTheSamePreemptions()
    {
        using var world = new Simulation(Variants.Mm2024_03, Catalog.Neighbours);
        // CPU 1 first, no preemption: the scan runs to its end, then CPU 2's batch free takes the wrong lock.
        var scanFirst = world.Run(new SwitchPointStrategy([(0, 0)]));
        Assert.That(scanFirst.Kind, Is.EqualTo(BugKind.WrongLock));
        var longRun = world.Machine.Choices.ToArray();
        var f = Minimizer.Minimize(world, longRun, BugKind.WrongLock, 0);
        Assert.That(f.Preemptions, Is.Zero);
        Assert.That(f.Steps.Count, Is.LessThan(longRun.Length), "a shorter zero-preemption run shows the same kind");
        Assert.That(f.Stats!.ShrinkSteps, Is.GreaterThan(0));
    }

    static string Temp()
    {
        var dir = Path.Combine(Path.GetTempPath(), "mmfuzz-corpus-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    static readonly System.Text.RegularExpressions.Regex FindingPrefix =
        new(@"[a-z-]+ in [A-Za-z0-9.\-]+ \((scan-vs-[a-z-]+)(, beyond history)?\): ");

    [TestCaseSource(nameof(Regressions))]
    public void TheShowsLineNamesTheFindingOnce(string path)
    {
        var shows = Load(path).Shows;
        Assert.That(shows, Is.Not.Null);
        Assert.That(FindingPrefix.Matches(shows!), Has.Count.EqualTo(1), shows);
    }

    /// <summary>
    /// Re-rendering a file keeps its shows line: the inline scenario's description is what follows
    /// the "KIND in VARIANT (FAMILY): " prefix (each re-render used to put another one in front).
    /// </summary>
    [Test]
    public void MinimizeInPlace_TwiceKeepsTheShowsLine()
    {
        var dir = Temp();
        try
        {
            var source = Directory.GetFiles(CorpusDir, "*-v6.9-seed-mail-batch.schedule").Order().First();
            var input = Path.Combine(dir, "0001-in.schedule");
            File.Copy(source, input);
            for (int i = 0; i < 2; i++)
                Assert.That(Cli.Cli.Run(["minimize", input, "--in-place"]), Is.Zero);
            Assert.That(Load(input).Shows, Is.EqualTo(Load(source).Shows));
            Assert.That(Load(input).Steps, Is.EqualTo(Load(source).Steps));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void TheMinimizeVerbWritesANewFileAndRefusesToOverwrite()
    {
        var dir = Temp();
        try
        {
            // A recorded prefix is not minimal (a minimal file is left alone: MinimizingAMinimalScheduleWritesNothing).
            var source = Directory.GetFiles(CorpusDir, "*-v6.9-migrate-neighbour.schedule").Order().First();
            var input = Path.Combine(dir, "0001-in.schedule");
            File.WriteAllText(input, PrefixOf(Load(source)).Render());
            var output = Path.Combine(dir, "out.schedule");
            Assert.That(Cli.Cli.Run(["minimize", input, "-o", output]), Is.Zero);
            var written = Load(output);
            var original = Load(source);
            Assert.That((written.Variant, written.Expect), Is.EqualTo((original.Variant, original.Expect)));
            Assert.That(written.Steps.Count, Is.LessThanOrEqualTo(original.Steps.Count));

            var before = File.ReadAllText(output);
            Assert.That(Cli.Cli.Run(["minimize", input, "-o", output]), Is.EqualTo(2), "-o names an existing file");
            Assert.That(File.ReadAllText(output), Is.EqualTo(before), "never overwritten");

            Assert.That(Cli.Cli.Run(["minimize", input]), Is.Zero, "default: a new numbered regression next to the input");
            Assert.That(Directory.GetFiles(dir, "0002-*.schedule"), Has.Length.EqualTo(1));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The schedule up to its last context switch: the run continues from there without preemptions.</summary>
    internal static ScheduleFile PrefixOf(ScheduleFile file)
    {
        int lastSwitch = Enumerable.Range(1, file.Steps.Count - 1).Last(i => file.Steps[i].Cpu != file.Steps[i - 1].Cpu);
        return file with { Steps = file.Steps.Take(lastSwitch + 1).ToList(), StepNotes = null };
    }

    /// <summary>A recorded prefix (as a converted crash may be) is minimized: after it the run continues without preemptions.</summary>
    [Test]
    public void TheMinimizeVerbTakesARecordedPrefix()
    {
        var dir = Temp();
        try
        {
            var source = Directory.GetFiles(CorpusDir, "*-v6.9-migrate-neighbour.schedule").Order().First();
            var file = Load(source);
            var prefix = PrefixOf(file);
            Assert.That(prefix.Steps, Has.Count.LessThan(file.Steps.Count));
            var input = Path.Combine(dir, "prefix.schedule");
            File.WriteAllText(input, prefix.Render());
            var output = Path.Combine(dir, "out.schedule");
            Assert.That(Cli.Cli.Run(["minimize", input, "-o", output]), Is.Zero);
            var written = Load(output);
            Assert.That((written.Expect, written.Steps.Count), Is.EqualTo((file.Expect, file.Steps.Count)), "the minimal schedule again");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void TheMinimizeVerbRefusesAScheduleThatDoesNotFail()
    {
        var dir = Temp();
        try
        {
            // v6.13 is safe: the same schedule recorded against it runs clean (or diverges): nothing to minimize.
            var source = Directory.GetFiles(CorpusDir, "*.schedule").Order().First();
            var file = Load(source);
            using (var world = new Simulation(Variants.V6_13, file.ResolveScenario()))
            {
                var clean = world.Run(new SwitchPointStrategy([(0, 0)]));
                Assert.That(clean.IsBug, Is.False);
                var steps = Enumerable.Range(0, world.Machine.Steps).Select(i => new ScheduleStep(world.Machine.Choices[i], world.Machine.Ops[i])).ToList();
                var input = Path.Combine(dir, "clean.schedule");
                File.WriteAllText(input, (file with { Variant = "v6.13", Steps = steps, StepNotes = null }).Render());
                Assert.That(Cli.Cli.Run(["minimize", input]), Is.EqualTo(1));
            }
            Assert.That(Directory.GetFiles(dir), Has.Length.EqualTo(1), "nothing written");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
