using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Reports;
using MmFuzz.Scenarios;
using MmFuzz.Search;
using MmFuzz.Strategies;
using MmFuzz.Zoo;
using NUnit.Framework;

namespace MmFuzz.Tests;

/// <summary>
/// The mutant zoo (zoo/): each real mutant's witness shows a bug of a kind history records at its
/// preemption bound, and not below it, while the unmutated state stays clean at that bound; each
/// equivalent mutant stays clean wherever its base is. Every search is bounded exhaustive search with
/// sleep sets (<c>reduction: true</c>, which explores every trace within the bound): without them the
/// 3-preemption witness takes about 520,000 executions per variant, with them about 35,000.
/// The mutation check (<see cref="MutationCheck"/>) hunts some mutants over a catalog family too.
/// </summary>
[TestFixture, Category("slow")]
[Parallelizable(ParallelScope.All)]
public class ZooTests
{
    static readonly Budget Budget = new(600, 2_000_000);

    static Mutant Find(string name) => Zoo.Zoo.All.Single(m => m.Name == name);

    static IEnumerable<TestCaseData> Real() =>
        Zoo.Zoo.All.Where(m => !m.Equivalent).Select(m => new TestCaseData(m.Name).SetName($"{m.Name}: bug at {m.WitnessPreemptions} preemption(s), base clean"));

    static IEnumerable<TestCaseData> Equivalent() =>
        Zoo.Zoo.All.Where(m => m.Equivalent).Select(m => new TestCaseData(m.Name).SetName($"{m.Name}: equivalent, clean at 2 preemptions"));

    static string Describe(HuntResult r, Scenario s, int bound) => r.Bug is { } f
        ? $"{r.Variant.Name} on {s.Name} at {bound}: {BugKinds.Name(f.Kind)}: {f.Outcome.Message}\n{Report.Record(f).Trace}"
        : $"{r.Variant.Name} on {s.Name} at {bound}: no bug over {r.Executions} executions (exhausted: {r.Exhausted})";

    [Test]
    public void EveryMutantHasAUniqueNameADescriptionAndAWitness()
    {
        var all = Zoo.Zoo.All;
        Assert.That(all.Select(m => m.Name), Is.Unique);
        Assert.That(all.Select(m => m.Witness.Name), Is.Unique);
        Assert.That(all.Count(m => !m.Equivalent), Is.GreaterThanOrEqualTo(14));
        Assert.That(all.Count(m => m.Equivalent), Is.InRange(1, 3));
        Assert.That(all.Where(m => !m.Equivalent).Select(m => m.Base).Distinct().Count(), Is.GreaterThanOrEqualTo(3), "mutants spread over several kernel states");
        foreach (var m in all)
        {
            Assert.That(m.Name, Does.Match("^[a-z0-9.-]+$"), m.Name);
            Assert.That(m.Description, Is.Not.Empty.And.Not.Contain("\n"), m.Name);
            Assert.That(m.Function, Does.Contain("()"), m.Name);
            Assert.That(m.Equivalent, Is.EqualTo(m.Description.StartsWith("EQUIVALENT")), $"{m.Name}: an equivalent mutant says so in its description, a real one does not");
            Assert.That(m.Variant.Name, Is.EqualTo(m.Name));
            Assert.That(History.Of(m.Base), Is.Not.Null, $"{m.Name}: the base is a kernel state of the history table");
            Assert.That(History.Of(m.Variant), Is.Null, $"{m.Name}: a mutant is not a row of the history table");
            Assert.That(Variants.Find(m.Name), Is.Null, $"{m.Name} shadows a variant name");
            Assert.That(m.Variant.Traits, Is.EqualTo(m.Base.Traits), $"{m.Name}: a mutant has its base's traits");
            Assert.That(m.WitnessPreemptions, Is.InRange(0, 3), m.Name);
            Assert.That(m.Witness.Cpus.Length, Is.InRange(1, 3), m.Name);
            Assert.That(m.Witness.Folios.Select(f => f.Name), Is.Unique, m.Name);
        }
    }

    [TestCaseSource(nameof(Real))]
    public void WitnessShowsTheBugInTheMutantAndNotInItsBase(string name)
    {
        var m = Find(name);
        int bound = m.WitnessPreemptions;

        var mutant = Verifier.Verify(m.Variant, m.Witness, new HuntOptions(Budget, Preemptions: bound) { Reduction = true });
        Assert.That(mutant.Bug, Is.Not.Null, () => Describe(mutant, m.Witness, bound));
        Assert.That(History.BeyondHistoryKinds, Does.Not.Contain(mutant.Bug!.Kind), () => Describe(mutant, m.Witness, bound));
        Assert.That(mutant.Bug.Preemptions, Is.LessThanOrEqualTo(bound), () => Describe(mutant, m.Witness, bound));

        var @base = Verifier.Verify(m.Base, m.Witness, new HuntOptions(Budget, Preemptions: bound) { Reduction = true });
        Assert.That(@base.Bug, Is.Null, () => Describe(@base, m.Witness, bound));
        Assert.That(@base.Exhausted, Is.True, () => Describe(@base, m.Witness, bound));

        if (bound > 0)
        {
            // The witness needs that many preemptions: one fewer shows no bug of a kind history records.
            var below = Verifier.Verify(m.Variant, m.Witness, new HuntOptions(Budget, Preemptions: bound - 1) { Reduction = true });
            Assert.That(below.Bug, Is.Null, () => Describe(below, m.Witness, bound - 1));
            Assert.That(below.Exhausted, Is.True, () => Describe(below, m.Witness, bound - 1));
        }
        TestContext.Out.WriteLine($"{m.Name}: {BugKinds.Name(mutant.Bug.Kind)} at {mutant.Bug.Preemptions} preemption(s) " +
            $"({mutant.Executions} executions; base clean over {@base.Executions}): {mutant.Bug.Outcome.Message}");
    }

    [TestCaseSource(nameof(Equivalent))]
    public void EquivalentMutantStaysCleanWhereverItsBaseIs(string name)
    {
        var m = Find(name);
        foreach (var s in Catalog.All.Prepend(m.Witness))
        {
            var @base = Verifier.Verify(m.Base, s, new HuntOptions(Budget, Preemptions: 2) { Reduction = true });
            var mutant = Verifier.Verify(m.Variant, s, new HuntOptions(Budget, Preemptions: 2) { Reduction = true });
            // A search that stops at a bug (the base's too, e.g. v6.10's swapout race) has nothing left to exhaust.
            if (mutant.Bug is null)
                Assert.That(mutant.Exhausted, Is.True, () => Describe(mutant, s, 2));
            if (@base.Bug is null)
                Assert.That(mutant.Bug, Is.Null, () => Describe(mutant, s, 2));
            else
                Assert.That(mutant.Bug?.Kind, Is.EqualTo(@base.Bug.Kind), () => Describe(mutant, s, 2));
            if (s == m.Witness)
                Assert.That(@base.Bug, Is.Null, () => Describe(@base, s, 2));
        }
    }

    // ---- the C form: the same patch as a unified diff over the base state's rendering ----

    static IEnumerable<TestCaseData> All() =>
        Zoo.Zoo.All.Select(m => new TestCaseData(m.Name).SetName($"{m.Name}: its C form loads"));

    static IEnumerable<TestCaseData> RealC() =>
        Zoo.Zoo.All.Where(m => !m.Equivalent).Select(m => new TestCaseData(m.Name).SetName($"{m.Name}: C form, bug at {m.WitnessPreemptions} preemption(s)"));

    static IEnumerable<TestCaseData> EquivalentC() =>
        Zoo.Zoo.All.Where(m => m.Equivalent).Select(m => new TestCaseData(m.Name).SetName($"{m.Name}: C form, equivalent, clean at 2 preemptions"));

    /// <summary>
    /// Each mutant has its patch (zoo/c/NAME.patch: a paragraph, then a unified diff over
    /// corpus/kernels/BASE), the patch applies and changes the rendering, and the C front end reads the
    /// result over the base's ports, with the mutant's function among those taken from C.
    /// </summary>
    [TestCaseSource(nameof(All))]
    public void TheCFormLoads(string name)
    {
        var m = Find(name);
        var path = Path.Combine(Repo.Root(), m.CPatch);
        Assert.That(File.Exists(path), Is.True, path);
        var text = File.ReadAllText(path);
        Assert.That(text, Is.EqualTo(CForms.PatchText(m)), $"{m.CPatch}: the embedded copy is the file's (rebuild)");
        int diff = text.IndexOf("\n--- a/mm/", StringComparison.Ordinal);
        Assert.That(diff, Is.GreaterThan(0), $"{m.CPatch}: a paragraph, then the diff");
        Assert.That(text[..diff].Trim(), Is.Not.Empty.And.Not.Contain("\n\n"), $"{m.CPatch}: one paragraph before the diff");
        Assert.That(text[..diff], Does.Contain(m.Name), $"{m.CPatch}: the header names its mutant");

        var rendering = CForms.Rendering(m.Base.Name);
        var patched = MmFuzz.C.CPatch.Apply(rendering, text, m.CPatch);
        Assert.That(patched.Select(f => f.Text), Is.Not.EqualTo(rendering.Select(f => f.Text)), "the patch changes the rendering");

        var c = m.C;
        Assert.That(c.Variant.Name, Is.EqualTo($"{m.Name}+c"));
        Assert.That(c.Base, Is.EqualTo(m.Base));
        Assert.That(c.Variant.Traits, Is.EqualTo(m.Base.Traits));
        var fromC = c.Origins.Where(o => o.From.StartsWith("C ", StringComparison.Ordinal)).Select(o => o.Name).ToList();
        foreach (System.Text.RegularExpressions.Match f in System.Text.RegularExpressions.Regex.Matches(m.Function, @"(\w+)\(\)"))
            Assert.That(fromC, Does.Contain(f.Groups[1].Value), $"{m.Name} changes {m.Function}; from C: {string.Join(", ", fromC)}");
    }

    /// <summary>
    /// The C form of a real mutant shows a bug of a kind history records on its witness within the
    /// witness's preemption bound, of the kind the C# form shows there
    /// (<see cref="WitnessShowsTheBugInTheMutantAndNotInItsBase"/>; its base is clean there).
    /// </summary>
    [TestCaseSource(nameof(RealC))]
    public void WitnessShowsTheBugInTheCForm(string name)
    {
        var m = Find(name);
        int bound = m.WitnessPreemptions;
        var c = Verifier.Verify(m.C.Variant, m.Witness, new HuntOptions(Budget, Preemptions: bound) { Reduction = true });
        Assert.That(c.Bug, Is.Not.Null, () => Describe(c, m.Witness, bound));
        Assert.That(History.BeyondHistoryKinds, Does.Not.Contain(c.Bug!.Kind), () => Describe(c, m.Witness, bound));
        Assert.That(c.Bug.Preemptions, Is.LessThanOrEqualTo(bound), () => Describe(c, m.Witness, bound));
        var cs = Verifier.Verify(m.Variant, m.Witness, new HuntOptions(Budget, Preemptions: bound) { Reduction = true });
        Assert.That(c.Bug.Kind, Is.EqualTo(cs.Bug!.Kind), () => $"the C# form shows {BugKinds.Name(cs.Bug.Kind)}: {cs.Bug.Outcome.Message}\n{Describe(c, m.Witness, bound)}");
        TestContext.Out.WriteLine($"{m.Name}+c: {BugKinds.Name(c.Bug.Kind)} at {c.Bug.Preemptions} preemption(s) ({c.Executions} executions): {c.Bug.Outcome.Message}");
    }

    /// <summary>The C form of an equivalent mutant stays clean on its witness, as its base does there.</summary>
    [TestCaseSource(nameof(EquivalentC))]
    public void EquivalentCFormStaysClean(string name)
    {
        var m = Find(name);
        var c = Verifier.Verify(m.C.Variant, m.Witness, new HuntOptions(Budget, Preemptions: 2) { Reduction = true });
        Assert.That(c.Bug, Is.Null, () => Describe(c, m.Witness, 2));
        Assert.That(c.Exhausted, Is.True, () => Describe(c, m.Witness, 2));
    }

    // ---- the mutation check: what a user's hunt of a catalog family notices ----

    /// <summary>
    /// The mutation check: one function's split_queue_lock/unlock pair removed from v6.13 (each of the
    /// five functions that take it), v6.9's free paths uncharging before they unqueue (the order
    /// 47932e7048df fixed), v6.10's migration unqueueing without the refcount freeze. A PCT hunt
    /// (depth 3, seed 1) of the catalog family shown must report a bug of a kind history records
    /// (<see cref="HistoryKinds"/>), and the unmutated state must stay silent under the same search.
    /// </summary>
    static readonly (string Mutant, string Family)[] MutationCheck =
    [
        ("v6.13-queue-unlocked", "scan-vs-free"),
        ("v6.13-pin-unlocked", "scan-vs-free"),
        ("v6.13-splice-unlocked", "scan-vs-free"),
        ("v6.13-split-unlocked", "scan-vs-split"),
        ("v6.13-unqueue-unlocked", "scan-vs-free"),
        ("v6.9-free-paths-uncharge-first", "scan-vs-free"),
        ("v6.10-migrate-without-freeze", "scan-vs-migrate"),
    ];

    /// <summary>The kinds the mutation check accepts: bugs history records, not the model's findings beyond it, deadlocks or lock misuse.</summary>
    static readonly BugKind[] HistoryKinds =
        [BugKind.WrongLock, BugKind.ListCorruption, BugKind.Accounting, BugKind.UseAfterFree, BugKind.Refcount, BugKind.BadPageState, BugKind.GeneralProtection, BugKind.Livelock];

    static HuntResult HuntOf(Variant variant, string family, long executions) =>
        Hunter.Pct(variant, Family.Find(family)!.Scenarios, new HuntOptions(new Budget(600, executions), Seed: 1));

    static IEnumerable<TestCaseData> Checked() =>
        MutationCheck.Select(c => new TestCaseData(c.Mutant, c.Family).SetName($"{c.Mutant}: caught by a hunt of {c.Family}"));

    [TestCaseSource(nameof(Checked))]
    public void HuntOfTheFamilyCatchesTheMutant(string name, string family)
    {
        var m = Find(name);
        var r = HuntOf(m.Variant, family, 300_000);
        Assert.That(r.Bug, Is.Not.Null, $"mutant {m.Name} survived {r.Executions} executions of {family}");
        Assert.That(HistoryKinds, Does.Contain(r.Bug!.Outcome.Kind), r.Bug.Outcome.Message);
        TestContext.Out.WriteLine($"{m.Name}: {BugKinds.Name(r.Bug.Outcome.Kind)} in {r.Bug.Scenario.Name}: {r.Bug.Outcome.Message}");
    }

    /// <summary>
    /// The same hunts of the unmutated states are silent: each mutant's base on its family, and v6.13
    /// on scan-vs-migrate as well.
    /// </summary>
    [Test]
    public void TheUnmutatedStateIsSilentUnderTheSameSearch()
    {
        var hunts = MutationCheck.Select(c => (Find(c.Mutant).Base, c.Family)).Append((Variants.V6_13, "scan-vs-migrate")).Distinct();
        foreach (var (variant, family) in hunts)
        {
            var r = HuntOf(variant, family, 100_000);
            Assert.That(r.Bug, Is.Null, () => $"{variant.Name} on {family}: {r.Bug!.Outcome.Message}");
        }
    }

    [Test]
    public void BenchZooJsonHasOneObjectPerMutantStrategyAndForm()
    {
        var (rc, text) = CliRun.Run("bench", "--only", "zoo", "--mutant", "v6.9-lost-race-keeps-count,v6.13-put-prev-before-splice", "--seconds", "3",
            "--jobs", "1", "--json");
        Assert.That(rc, Is.Zero, text);
        var rows = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        var hunts = rows.Where(r => r.TryGetProperty("mutant", out _) && !r.TryGetProperty("comparison", out _)).ToList();
        Assert.That(hunts, Has.Count.EqualTo(4), "two mutants, each in two forms");
        foreach (var h in hunts)
        {
            foreach (var field in new[] { "mutant", "variant", "strategy", "form", "found", "seconds", "preemptions", "executions" })
                Assert.That(h.TryGetProperty(field, out _), Is.True, field);
            Assert.That(h.GetProperty("strategy").GetString(), Is.EqualTo("default"));
            Assert.That(h.GetProperty("variant").GetString(), Is.EqualTo(Find(h.GetProperty("mutant").GetString()!).Base.Name), "the base is the baseline of both forms");
        }
        foreach (var form in new[] { "C#", "C" })
        {
            var real = hunts.Single(h => h.GetProperty("mutant").GetString() == "v6.9-lost-race-keeps-count" && h.GetProperty("form").GetString() == form);
            Assert.That(real.GetProperty("found").GetBoolean(), Is.True, text);
            Assert.That(real.GetProperty("preemptions").GetInt32(), Is.EqualTo(1), "the witness's bound: the fewest preemptions");
            var equivalent = hunts.Single(h => h.GetProperty("mutant").GetString() == "v6.13-put-prev-before-splice" && h.GetProperty("form").GetString() == form);
            Assert.That(equivalent.GetProperty("found").GetBoolean(), Is.False, $"an equivalent mutant adds no bug to v6.13 ({form})");
            var summary = rows.Single(r => r.TryGetProperty("summary", out var s) && s.GetString() == "zoo" && r.GetProperty("form").GetString() == form);
            Assert.That(summary.GetProperty("found").GetInt32(), Is.EqualTo(1));
            Assert.That(summary.GetProperty("false_alarms").GetInt32(), Is.Zero);
        }
        Assert.That(hunts.Single(h => h.GetProperty("form").GetString() == "C" && h.GetProperty("mutant").GetString() == "v6.9-lost-race-keeps-count")
            .GetProperty("load_seconds").GetDouble(), Is.GreaterThan(0), "the C form's reading is timed apart from its hunt");
        var comparison = rows.Single(r => r.TryGetProperty("comparison", out _));
        Assert.That(comparison.GetProperty("mutant").GetString(), Is.EqualTo("v6.9-lost-race-keeps-count"), "real mutants only");
        Assert.That(comparison.GetProperty("c_found").GetBoolean(), Is.True);
        Assert.That(rows.Single(r => r.TryGetProperty("summary", out var s) && s.GetString() == "zoo-forms").GetProperty("compared").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public void BenchZooSeedsGivesAGateRowPerMutantAndFormAndKeepsEachSeedsRow()
    {
        var (rc, text) = CliRun.Run("bench", "--only", "zoo", "--mutant", "v6.9-lost-race-keeps-count", "--seeds", "1-3", "--form", "cs", "--seconds", "3",
            "--jobs", "1", "--json");
        Assert.That(rc, Is.Zero, text);
        var rows = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        var hunts = rows.Where(r => r.TryGetProperty("seed", out _) && !r.TryGetProperty("comparison", out _)).ToList();
        Assert.That(hunts.Select(h => h.GetProperty("seed").GetUInt64()), Is.EqualTo(new ulong[] { 1, 2, 3 }), "one row per seed");
        Assert.That(hunts.Select(h => h.GetProperty("form").GetString()), Is.All.EqualTo("C#"), "--form cs: the C# form alone");
        Assert.That(rows.Any(r => r.TryGetProperty("comparison", out _)), Is.False, "no comparison of forms with one form");
        var gate = rows.Single(r => r.TryGetProperty("gate", out _));
        Assert.That(gate.GetProperty("runs").GetInt32(), Is.EqualTo(3));
        Assert.That(gate.GetProperty("found").GetInt32(), Is.EqualTo(hunts.Count(h => h.GetProperty("found").GetBoolean())));
        if (gate.GetProperty("all_found").GetBoolean())
        {
            var times = hunts.Select(h => h.GetProperty("seconds").GetDouble()).Order().ToList();
            Assert.That(gate.GetProperty("median_seconds").GetDouble(), Is.EqualTo(times[1]).Within(0.002));
            Assert.That(gate.GetProperty("worst_seconds").GetDouble(), Is.EqualTo(times[2]).Within(0.002));
        }
        else
            Assert.That(gate.GetProperty("worst_seconds").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null), "a seed that missed is the worst");
    }

    [TestCase("1-5", new ulong[] { 1, 2, 3, 4, 5 })]
    [TestCase("1,3,7", new ulong[] { 1, 3, 7 })]
    [TestCase("3-4,1,4", new ulong[] { 3, 4, 1 })]
    [TestCase("18446744073709551615", new ulong[] { ulong.MaxValue })]
    public void SeedsAreRangesAndLists(string text, ulong[] seeds) => Assert.That(MmFuzz.Cli.Bench.ParseSeeds(text), Is.EqualTo(seeds));

    [TestCase("5-1", "runs backwards")]
    [TestCase("1-", "is not a list")]
    [TestCase("a", "is not a list")]
    [TestCase("1,,2", "is not a list")]
    [TestCase("0-1000", "more than 1000 seeds")]
    public void BadSeedsAreOneLine(string text, string why) =>
        Assert.That(() => MmFuzz.Cli.Bench.ParseSeeds(text), Throws.TypeOf<MmFuzz.Cli.UsageException>().With.Message.Contains(why).And.Message.StartsWith("--seeds: "));
}
