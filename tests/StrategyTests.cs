using System.Text;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using NUnit.Framework;
using MmFuzz.Search;
using MmFuzz.Schedules;

namespace MmFuzz.Tests;

/// <summary>PCT and bounded exhaustive search: what they enumerate, what the reduction keeps, what they find.</summary>
[TestFixture, Category("slow")]
[Parallelizable(ParallelScope.All)]
public class ExhaustiveExplorerTests
{
    static readonly HashSet<BugKind> None = new();
    static readonly BugKind[] Mm2024_03Kinds = [BugKind.WrongLock, BugKind.ListCorruption, BugKind.Accounting];

    static bool HistoryBug(Outcome o) => o.IsBug && !History.BeyondHistoryKinds.Contains(o.Kind);

    static string Schedule(Machine m) => string.Concat(m.Choices.ToArray().Select(c => (char)('1' + c)));

    // ---- exhaustive search: the bounded space, exactly ----

    /// <summary>
    /// Follows a prefix of CPU choices, then continues the running CPU (else the lowest runnable one),
    /// recording at every step the runnable CPUs, the running CPU and the preemptions spent.
    /// </summary>
    sealed class PrefixStrategy(IReadOnlyList<int> prefix) : ISchedulingStrategy
    {
        public readonly List<(int Runnable, int Current, int Preemptions)> Nodes = new();

        public string Name => "prefix";

        public void StartRun(Machine machine) => Nodes.Clear();

        public int NextCpu(Machine machine, ReadOnlySpan<int> runnable, int current, int step)
        {
            int mask = 0;
            foreach (var c in runnable)
                mask |= 1 << c;
            Nodes.Add((mask, current, machine.Preemptions));
            if (step < prefix.Count)
                return prefix[step];
            return runnable.Contains(current) ? current : runnable[0];
        }
    }

    /// <summary>
    /// Brute force, independent of the explorer: every choice sequence with at most k preemptions,
    /// found by running each prefix to its end and branching at every later step to every other
    /// runnable CPU the bound allows.
    /// </summary>
    static void BruteForce(Simulation world, int k, List<int> prefix, List<string> into)
    {
        var s = new PrefixStrategy(prefix);
        var o = world.Run(s);
        Assert.That(o.Verdict, Is.Not.EqualTo(Verdict.HarnessError), o.Message);
        var choices = world.Machine.Choices.ToArray();
        into.Add(string.Concat(choices.Select(c => (char)('1' + c))));
        var nodes = s.Nodes.ToArray();
        for (int j = prefix.Count; j < choices.Length; j++)
        {
            var (runnable, current, spent) = nodes[j];
            bool currentCanRun = current >= 0 && (runnable & (1 << current)) != 0;
            for (int cpu = 0; cpu < 8; cpu++)
            {
                if ((runnable & (1 << cpu)) == 0 || cpu == choices[j])
                    continue;
                int cost = currentCanRun && cpu != current ? 1 : 0;
                if (spent + cost > k)
                    continue;
                var next = choices.Take(j).Select(c => (int)c).Append(cpu).ToList();
                BruteForce(world, k, next, into);
            }
        }
    }

    static IEnumerable<TestCaseData> SmallSpaces()
    {
        yield return new TestCaseData(Catalog.LostRace, 0);
        yield return new TestCaseData(Catalog.LostRace, 1);
        yield return new TestCaseData(Catalog.LostRace, 2);
        yield return new TestCaseData(Catalog.NodeQueue, 2);
        yield return new TestCaseData(Catalog.SeedMail, 1);
    }

    [TestCaseSource(nameof(SmallSpaces))]
    public void ExhaustiveWithoutReduction_RunsEveryScheduleWithinTheBoundExactlyOnce(Scenario scenario, int k)
    {
        using var world = new Simulation(Variants.V6_9, scenario);
        var expected = new List<string>();
        BruteForce(world, k, [], expected);
        Assert.That(expected.Distinct().Count(), Is.EqualTo(expected.Count), "the brute force itself must not repeat a schedule");

        var explorer = new ExhaustiveExplorer(k, reduction: false);
        var seen = new List<string>();
        while (!explorer.Exhausted)
        {
            var o = world.Run(explorer);
            Assert.That(o.Verdict, Is.Not.EqualTo(Verdict.Abandoned), "nothing is abandoned without reduction");
            Assert.That(world.Machine.Preemptions, Is.LessThanOrEqualTo(k));
            seen.Add(Schedule(world.Machine));
        }
        Assert.That(seen, Is.Unique);
        Assert.That(seen, Is.EquivalentTo(expected));
        Assert.That(explorer.Executions, Is.EqualTo(expected.Count));
        Assert.That(explorer.MaxDepth, Is.EqualTo(expected.Max(x => x.Length)));
    }

    [Test]
    public void ExhaustiveExplorerRefusesToRunPastTheEnd()
    {
        using var world = new Simulation(Variants.V6_9, Catalog.LostRace);
        var explorer = new ExhaustiveExplorer(0);
        while (!explorer.Exhausted)
            world.Run(explorer);
        var o = world.Run(explorer);
        Assert.That(o.Verdict, Is.EqualTo(Verdict.HarnessError));
        Assert.That(o.Message, Does.Contain("exhausted"));
    }

    // ---- the reduction keeps every outcome ----

    /// <summary>An execution's terminal result: the oracle's kind and message, or the whole final memory and shadow.</summary>
    static string Terminal(Simulation world, Outcome o)
    {
        // A data race's report names the steps of its two accesses, which differ between equivalent schedules.
        if (o.Verdict != Verdict.Ok)
            return $"{o.Verdict} {BugKinds.Name(o.Kind)}: {System.Text.RegularExpressions.Regex.Replace(o.Message, @" at step \d+", "")}";
        var a = world.World.Arena;
        var owners = world.Machine.Oracles.OfType<WrongLockOracle>().Single();
        var sb = new StringBuilder("ok");
        for (int i = 0; i < a.Objects.Count; i++)
        {
            var obj = a.Objects[i];
            sb.Append($" {obj.Name}[{a.LivenessOf(i)},{owners.OwnerOf(i)}]");
            for (int off = 0; off + 8 <= obj.Size; off += 8)
                sb.Append(':').Append(a.Read(a.Base + obj.Offset + off, 8).ToString("x"));
        }
        return sb.ToString();
    }

    static (HashSet<string> Terminals, ExhaustiveExplorer Explorer) ExploreAll(Simulation world, int k, bool reduction)
    {
        var explorer = new ExhaustiveExplorer(k, reduction);
        var terminals = new HashSet<string>();
        while (!explorer.Exhausted)
        {
            var o = world.Run(explorer);
            Assert.That(o.Verdict, Is.Not.EqualTo(Verdict.HarnessError), o.Message);
            Assert.That(world.Machine.Preemptions, Is.LessThanOrEqualTo(k));
            if (o.Verdict != Verdict.Abandoned)
                terminals.Add(Terminal(world, o));
        }
        return (terminals, explorer);
    }

    static IEnumerable<TestCaseData> ReductionCases()
    {
        foreach (var v in Variants.All)
            foreach (var s in Catalog.All)
                yield return new TestCaseData(v, s, 2).SetArgDisplayNames(v.Name, s.Name, "2");
        yield return new TestCaseData(Variants.V6_9, Catalog.LostRace, 3).SetArgDisplayNames("v6.9", "lost-race", "3");
        yield return new TestCaseData(Variants.Mm2024_03, Catalog.NodeQueue, 3).SetArgDisplayNames("mm-2024-03", "node-queue-batch", "3");
        // Every cell history records at more than 2 preemptions, which VerdictTests search with sleep sets at its bound.
        foreach (var row in History.Rows)
            foreach (var cell in row.Cells.Where(c => c.Cell.IsBug && c.Cell.Preemptions > 2))
                foreach (var s in cell.Family.Scenarios)
                    yield return new TestCaseData(row.Variant, s, cell.Cell.Preemptions).SetArgDisplayNames(row.Variant.Name, s.Name, $"{cell.Cell.Preemptions}");
    }

    [TestCaseSource(nameof(ReductionCases))]
    public void SleepSetsReachEveryOutcomeOfPlainBoundedSearchInFewerExecutions(Variant variant, Scenario scenario, int k)
    {
        using var world = new Simulation(variant, scenario);
        var (plain, plainExplorer) = ExploreAll(world, k, reduction: false);
        var (reduced, reducedExplorer) = ExploreAll(world, k, reduction: true);
        Assert.That(plain.Except(reduced), Is.Empty, "outcomes of plain search the reduced search missed");
        Assert.That(reduced.Except(plain), Is.Empty, "the reduced search reached an outcome plain search did not");
        // A run that ends at a bug within its first few steps leaves sleep sets nothing to prune.
        Assert.That(reducedExplorer.Executions, plainExplorer.Executions > 100 ? Is.LessThan(plainExplorer.Executions) : Is.LessThanOrEqualTo(plainExplorer.Executions));
        TestContext.Out.WriteLine($"{variant.Name} {scenario.Name} k={k}: {plain.Count} outcomes; {plainExplorer.Executions} executions plain, " +
                                  $"{reducedExplorer.Executions} with sleep sets ({reducedExplorer.SleepBlocked} abandoned)");
    }

    /// <summary>A kernel whose CPUs run hand-written accesses (litmus tests of the explorer).</summary>
    sealed class LitmusKernel(World world, Cpu cpu) : Kernel.Kernel(world, cpu)
    {
        public async Sim StoreFlags(params (int Folio, ulong Value)[] stores)
        {
            foreach (var (f, v) in stores)
                await Store(World.Folio(f).Flags, v);
        }
    }

    static readonly Variant Litmus = Variant.Of("litmus", "hand-written accesses",
        (w, c) => new LitmusKernel(w, c));

    /// <summary>
    /// CPU 1 stores to A then B; CPU 2 stores to B. With no preemption at all, B ends as CPU 2 wrote
    /// it (CPU 1 first) or as CPU 1 wrote it (CPU 2 first). A naive sleep set would put CPU 1 to sleep
    /// after exploring it first at the root, and CPU 2's store to B is independent of CPU 1's store
    /// to A: the second order would be pruned, and its representative (CPU 1, CPU 2, CPU 1) needs a
    /// preemption the bound does not allow.
    /// </summary>
    [TestCase(true)]
    [TestCase(false)]
    public void SleepSetsStaySoundUnderThePreemptionBound(bool reduction)
    {
        var scenario = new Scenario("litmus-ab-b", "CPU 1: A=1, B=1; CPU 2: B=2",
            [new FolioSpec("A", 1, QueueId.None, QueueId.None), new FolioSpec("B", 1, QueueId.None, QueueId.None)], [[], []]);
        // No data-race detector: the two plain stores to B race by design; this test is about the orders explored.
        using var world = new HandMadeSystem(Litmus, scenario, Rig.NoRaces,
            [k => ((LitmusKernel)k).StoreFlags((0, 1), (1, 1)), k => ((LitmusKernel)k).StoreFlags((1, 2))]);
        var explorer = new ExhaustiveExplorer(0, reduction);
        var finalB = new HashSet<ulong>();
        while (!explorer.Exhausted)
        {
            var o = world.Run(explorer);
            if (o.Verdict == Verdict.Ok)
                finalB.Add(world.World.Arena.Read(world.World.Folio(1).Flags.Addr, 8));
        }
        Assert.That(finalB, Is.EquivalentTo(new ulong[] { 1, 2 }));
    }

    // ---- exhaustive search finds, and verifies ----

    [Test]
    public void ExhaustiveFindsTheLostRaceInV6_9AtTwoPreemptionsAndNotBelow()
    {
        using var world = new Simulation(Variants.V6_9, Catalog.LostRace);
        bool IsLostRace(Outcome o) => o.Kind == BugKind.LostRaceWriteAfterFree;
        var below = ExhaustiveSearch.Explore(world, 1, Budget.OfExecutions(1_000_000), IsLostRace, reduction: true);
        Assert.That(below.Failure, Is.Null);
        Assert.That(below.Exhausted, Is.True);
        var r = ExhaustiveSearch.Explore(world, 2, Budget.OfExecutions(1_000_000), IsLostRace, reduction: true);
        Assert.That(r.Failure, Is.Not.Null);
        Assert.That(r.Exhausted, Is.False, "a search stopped by a failure is not exhausted");
        var steps = ReplaySteps(world, r.Failure!.Choices);
        Assert.That(world.Run(new ReplayStrategy(steps)).Kind, Is.EqualTo(BugKind.LostRaceWriteAfterFree));
        Assert.That(world.Machine.Preemptions, Is.LessThanOrEqualTo(2));
    }

    static List<ScheduleStep> ReplaySteps(Simulation world, byte[] choices)
    {
        // Re-run the choices once to learn each step's point kind, then replay strictly.
        world.Run(new PrefixStrategy(choices.Select(c => (int)c).ToList()));
        var m = world.Machine;
        return Enumerable.Range(0, m.Steps).Select(i => new ScheduleStep(m.Choices[i], m.Ops[i])).ToList();
    }

    [Test]
    public void ExhaustiveFindsMm2024_03OnSeedMailBatch()
    {
        using var world = new Simulation(Variants.Mm2024_03, Catalog.SeedMailBatch);
        var r = ExhaustiveSearch.Explore(world, 2, Budget.OfExecutions(1_000_000), HistoryBug, reduction: true);
        Assert.That(r.Failure, Is.Not.Null);
        Assert.That(Mm2024_03Kinds, Does.Contain(r.Failure!.Outcome.Kind));
        var replayed = world.Run(new ReplayStrategy(ReplaySteps(world, r.Failure.Choices)));
        Assert.That(replayed.Kind, Is.EqualTo(r.Failure.Outcome.Kind));
        Assert.That(replayed.Message, Is.EqualTo(r.Failure.Outcome.Message));
    }

    [Test]
    public void ExhaustiveVerifiesV6_9NodeQueueUpToTwoPreemptions()
    {
        using var world = new Simulation(Variants.V6_9, Catalog.NodeQueue);
        var r = ExhaustiveSearch.Explore(world, 2, Budget.OfExecutions(10_000_000), HistoryBug, reduction: true);
        Assert.That(r.Failure, Is.Null, () => $"{r.Failure!.Outcome.Kind}: {r.Failure.Outcome.Message}");
        Assert.That(r.Exhausted, Is.True);
        Assert.That(r.SetAside.Select(b => b.Outcome.Kind), Is.SubsetOf(History.BeyondHistoryKinds));
    }

    [Test]
    public void ExhaustiveVerifiesV6_9OverTheWholeFamilyUpToTwoPreemptions()
    {
        foreach (var s in Family.ScanVsFree.Scenarios)
        {
            using var world = new Simulation(Variants.V6_9, s);
            var r = ExhaustiveSearch.Explore(world, 2, Budget.OfExecutions(10_000_000), HistoryBug, reduction: true);
            Assert.That(r.Failure, Is.Null, () => $"{s.Name}: {r.Failure!.Outcome.Kind}: {r.Failure.Outcome.Message}");
            Assert.That(r.Exhausted, Is.True, s.Name);
        }
    }
}
