using System.Diagnostics;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using MmFuzz.Schedules;

namespace MmFuzz.Search;

/// <summary>
/// Shrinks a failing <see cref="ChoiceCase"/> to a smaller one that shows the same bug kind, structurally
/// (drop a CPU, a folio, an operation; simplify the initial state) and on the schedule bytes in
/// shortlex order (delete chunks, zero them, lower bytes), Hypothesis style (MacIver and Donaldson,
/// ECOOP 2020). The FsCheck arbitrary in <c>properties/</c> uses <see cref="Candidates"/> as its
/// shrinker; the command line's <c>hunt</c> calls <see cref="Shrink"/> without FsCheck.
/// </summary>
/// <remarks>
/// Every structural candidate stays well-formed the way <see cref="ScenarioDecoder"/> builds scenarios:
/// a CPU that no longer mentions a folio no longer holds its reference, so the initial
/// <c>_refcount</c> drops by one (never below the references still held, plus the lock holder's);
/// lock/unlock pairs are removed together; nothing is added, so the decoder's exclusions (no split of
/// a migrated folio, no fault-time <c>deferred_split_folio()</c> of a partially mapped one, ...) keep
/// holding. Each candidate is strictly smaller in the order (structure, schedule length, schedule
/// bytes), so shrinking terminates.
/// </remarks>
public static class Shrinker
{
    static readonly string[] Names = ["A", "B", "C", "D", "E", "F", "G", "H"];

    /// <summary>
    /// Greedy shrinking: takes the first candidate (in <see cref="Candidates"/> order) that still
    /// fails with <paramref name="kind"/>, trims its schedule to the bytes the run read, and starts
    /// over from it, until no candidate fails or <paramref name="maxReplays"/> executions are spent.
    /// </summary>
    /// <param name="variant">The kernel state.</param>
    /// <param name="failing">A case that fails with <paramref name="kind"/>.</param>
    /// <param name="kind">The bug kind to keep.</param>
    /// <param name="suppressed">Oracles turned off.</param>
    /// <param name="structural">False to keep the scenario (a catalog scenario) and shrink only the schedule.</param>
    /// <param name="maxReplays">Execution budget.</param>
    /// <param name="searchBudget">
    /// Executions a structural candidate whose replay lost the bug may spend on a bounded search of
    /// its own (<see cref="SearchCandidate"/>), and <see cref="SearchBudgetTotal"/> in all; 0 for
    /// replays alone (the FsCheck shrinker's behaviour).
    /// </param>
    /// <param name="cancel">Ends the shrinking early (the hunt is over): the result is the smallest case so far.</param>
    public static ShrinkResult Shrink(Variant variant, ChoiceCase failing, BugKind kind, IReadOnlySet<BugKind> suppressed, bool structural = true, int maxReplays = 20_000,
        long searchBudget = 0, CancellationToken cancel = default)
    {
        var world = new Simulation(variant, failing.Scenario, suppressed);
        try
        {
            var outcome = ChoiceRun.Run(world, failing, out int used);
            int replays = 1, steps = 0, preemptions = world.Machine.Preemptions;
            long searchLeft = searchBudget > 0 ? SearchBudgetTotal : 0;
            var searched = new HashSet<string>();
            if (!outcome.IsBug || outcome.Kind != kind)
                throw new ArgumentException($"the case does not fail with {BugKinds.Name(kind)} under {variant.Name}: {outcome.Verdict} {BugKinds.Name(outcome.Kind)}", nameof(failing));
            var current = failing with { Schedule = failing.Schedule[..used] };
            bool progress = true;
            while (progress && replays < maxReplays && !cancel.IsCancellationRequested)
            {
                progress = false;
                foreach (var candidate in Candidates(current, structural))
                {
                    if (replays >= maxReplays || cancel.IsCancellationRequested)
                        break;
                    if (!ReferenceEquals(candidate.Scenario, world.Scenario))
                    {
                        world.Dispose();
                        world = new Simulation(variant, candidate.Scenario, suppressed);
                    }
                    var o = ChoiceRun.Run(world, candidate, out used);
                    replays++;
                    var next = candidate;
                    if (!o.IsBug || o.Kind != kind)
                    {
                        // A smaller scenario under the old bytes mostly loses the race only because
                        // its switches now fall elsewhere: search its own schedules, once per scenario.
                        if (searchLeft <= 0 || ReferenceEquals(candidate.Scenario, current.Scenario) || !searched.Add(candidate.Scenario.Description))
                            continue;
                        var (found, spent) = SearchCandidate(world, kind, Math.Min(preemptions, SearchBound), Math.Min(searchBudget, searchLeft), cancel);
                        searchLeft -= spent;
                        replays++;
                        if (found is null)
                            continue;
                        next = candidate with { Schedule = found };
                        o = ChoiceRun.Run(world, next, out used);
                        if (!o.IsBug || o.Kind != kind)
                            continue;
                    }
                    current = next with { Schedule = next.Schedule[..used] };
                    outcome = o;
                    preemptions = world.Machine.Preemptions;
                    steps++;
                    progress = true;
                    break;
                }
            }
            return new ShrinkResult(current, outcome, steps, replays);
        }
        finally
        {
            world.Dispose();
        }
    }

    /// <summary>The deepest preemption bound a structural candidate's own search goes to (history's races need at most 3).</summary>
    public const int SearchBound = 3;

    /// <summary>Executions the searches of structural candidates may take in one <see cref="Shrink"/>.</summary>
    public const long SearchBudgetTotal = 150_000;

    /// <summary>Executions per structural candidate that <see cref="ShrinkAndMinimize"/> lets a search take.</summary>
    public const long SearchBudgetPerCandidate = 15_000;

    /// <summary>
    /// A schedule of <paramref name="world"/>'s scenario, as choice bytes, that shows <paramref name="kind"/>:
    /// bounded search with sleep sets at 0, 1, ... up to <paramref name="bound"/> preemptions (the
    /// small bounds cost little, and the fewer switches, the further the case shrinks), within
    /// <paramref name="budget"/> executions in all; null when none was found.
    /// </summary>
    static (byte[]? Schedule, long Executions) SearchCandidate(Simulation world, BugKind kind, int bound, long budget, CancellationToken cancel)
    {
        long spent = 0;
        for (int k = 0; k <= bound && spent < budget; k++)
        {
            var r = ExhaustiveSearch.Explore(world, k, Budget.OfExecutions(budget - spent) with { Cancel = cancel }, o => o.Kind == kind, reduction: true);
            spent += r.Executions;
            if (r.Failure is { } failure)
                return (ToChoices(world, new SwitchPointStrategy(SwitchPoints.From(failure.Choices))), spent);
            if (!r.Exhausted)
                break;
        }
        return (null, spent);
    }

    /// <summary>
    /// Shrinks <paramref name="failing"/> keeping <paramref name="kind"/>, then minimizes the shrunk
    /// schedule to the fewest preemptions (proof by bounded search at one fewer).
    /// </summary>
    /// <param name="variant">The kernel state.</param>
    /// <param name="failing">The failing case.</param>
    /// <param name="kind">Its bug kind.</param>
    /// <param name="ignore">Oracles off.</param>
    /// <param name="structural">Shrink the scenario too (false for catalog scenarios).</param>
    /// <param name="seed">Recorded in the finding (the execution that found it).</param>
    /// <param name="cancel">
    /// Ends shrinking and minimization early: another worker's bug has ended the hunt, and a minute
    /// spent on a finding nobody will read would hold the hunt's end back. The finding is then the
    /// best so far (still a failing schedule of the kind), unproven.
    /// </param>
    public static (Finding Finding, ShrinkReport Report) ShrinkAndMinimize(Variant variant, ChoiceCase failing, BugKind kind, IReadOnlySet<BugKind> ignore, bool structural, ulong seed,
        CancellationToken cancel = default)
    {
        var sw = Stopwatch.StartNew();
        double minimizeSeconds = 0;
        var shrunk = Shrink(variant, failing, kind, ignore, structural, searchBudget: SearchBudgetPerCandidate, cancel: cancel);
        var t = sw.Elapsed.TotalSeconds;
        var finding = Minimizer.MinimizeCase(variant, shrunk.Case, kind, ignore, seed, cancel);
        minimizeSeconds += sw.Elapsed.TotalSeconds - t;
        // The minimal schedule has few switches, and a scenario shrinks further under it than under
        // the generated bytes (dropping an operation keeps the switches in place): shrink again from
        // the minimal schedule as bytes while the scenario gets smaller.
        for (int round = 0; structural && round < 3 && !cancel.IsCancellationRequested; round++)
        {
            ChoiceCase again;
            using (var world = new Simulation(variant, finding.Scenario, ignore))
            {
                again = new ChoiceCase(finding.Scenario, ToChoices(world, new ReplayStrategy(finding.Steps)));
            }
            var next = Shrink(variant, again, kind, ignore, structural, searchBudget: SearchBudgetPerCandidate, cancel: cancel);
            bool smaller = next.Case.Size.Cpus + next.Case.Size.Ops + next.Case.Size.Folios < shrunk.Case.Size.Cpus + shrunk.Case.Size.Ops + shrunk.Case.Size.Folios;
            shrunk = new ShrinkResult(smaller ? next.Case : shrunk.Case, smaller ? next.Outcome : shrunk.Outcome, shrunk.Steps + next.Steps, shrunk.Replays + next.Replays);
            if (!smaller)
                break;
            t = sw.Elapsed.TotalSeconds;
            finding = Minimizer.MinimizeCase(variant, next.Case, kind, ignore, seed, cancel);
            minimizeSeconds += sw.Elapsed.TotalSeconds - t;
        }
        return (finding, new ShrinkReport(failing, shrunk, sw.Elapsed.TotalSeconds - minimizeSeconds, minimizeSeconds));
    }

    /// <summary>
    /// The choice-stream bytes under which <see cref="ChoiceStreamStrategy"/> runs what
    /// <paramref name="strategy"/> runs on <paramref name="world"/> (for example a minimized schedule
    /// replayed step by step), so that a minimized schedule can be shrunk again as bytes.
    /// </summary>
    public static byte[] ToChoices(Simulation world, ISchedulingStrategy strategy)
    {
        var recorder = new ChoiceRecorder(strategy);
        world.Run(recorder);
        return recorder.Bytes;
    }

    /// <summary>
    /// Smaller cases, simplest first: structural ones (when <paramref name="structural"/>), then the
    /// schedule's. The FsCheck shrinker of <c>properties/</c> is this function.
    /// </summary>
    public static IEnumerable<ChoiceCase> Candidates(ChoiceCase c, bool structural = true)
    {
        if (structural)
            foreach (var s in ScenarioCandidates(c.Scenario))
                yield return c with { Scenario = s };
        foreach (var b in ScheduleCandidates(c.Schedule))
            yield return c with { Schedule = b };
    }

    /// <summary>
    /// Smaller schedules, simplest first: fewer switches (every prefix of the switch list, then each
    /// switch dropped with the later ones kept at their steps), then each switch earlier (its delta
    /// halved, lowered by one) and to the first other CPU; then, as for any choice buffer, chunks of
    /// bytes deleted and zeroed. Every candidate decodes (any byte string does).
    /// </summary>
    public static IEnumerable<byte[]> ScheduleCandidates(byte[] s)
    {
        var switches = Switches.Read(s);
        var seen = new HashSet<string> { Convert.ToHexString(s) };
        IEnumerable<byte[]> Structured()
        {
            for (int n = 0; n < switches.Count; n++)
                yield return Switches.Write(switches.Take(n));
            for (int i = switches.Count - 1; i >= 0; i--)
            {
                var dropped = switches.ToList();
                dropped.RemoveAt(i);
                if (i < dropped.Count)
                    dropped[i] = dropped[i] with { Delta = dropped[i].Delta + switches[i].Delta + 1 };
                yield return Switches.Write(dropped);
            }
            for (int i = 0; i < switches.Count; i++)
            {
                foreach (int d in new[] { switches[i].Delta / 2, switches[i].Delta - 1 }.Distinct())
                    if (d >= 0 && d < switches[i].Delta)
                        yield return Switches.Write(switches.Select((w, j) => j == i ? w with { Delta = d } : w));
                if (switches[i].Index > 0)
                    yield return Switches.Write(switches.Select((w, j) => j == i ? w with { Index = 0 } : w));
            }
        }
        foreach (var c in Structured().Concat(ByteCandidates(s)))
            if (seen.Add(Convert.ToHexString(c)))
                yield return c;
    }

    /// <summary>Buffers smaller in shortlex order: chunks deleted (8, 4, 2, 1 bytes), then zeroed.</summary>
    static IEnumerable<byte[]> ByteCandidates(byte[] s)
    {
        foreach (int k in new[] { 8, 4, 2, 1 })
            for (int i = 0; i + k <= s.Length; i++)
                yield return [.. s[..i], .. s[(i + k)..]];
        foreach (int k in new[] { 8, 4, 2, 1 })
            for (int i = 0; i + k <= s.Length; i++)
                if (s.AsSpan(i, k).ContainsAnyExcept((byte)0))
                {
                    var z = (byte[])s.Clone();
                    Array.Clear(z, i, k);
                    yield return z;
                }
    }

    /// <summary>Structurally smaller well-formed scenarios: one CPU, one folio or one operation fewer, or a simpler initial state.</summary>
    public static IEnumerable<Scenario> ScenarioCandidates(Scenario s)
    {
        if (s.Cpus.Length > 1)
            for (int c = s.Cpus.Length - 1; c >= 0; c--)
                yield return With(s, s.Folios, [.. s.Cpus.Where((_, i) => i != c)]);

        if (s.Folios.Length > 1)
            for (int f = s.Folios.Length - 1; f >= 0; f--)
                if (DropFolio(s, f) is { } smaller)
                    yield return smaller;

        for (int c = 0; c < s.Cpus.Length; c++)
            for (int i = s.Cpus[c].Length - 1; i >= 0; i--)
            {
                var op = s.Cpus[c][i];
                if (op.Kind == OpKind.FolioUnlock || IsPutBack(s.Cpus[c], i))
                    continue;                       // removed with its lock, or with its folio_get()
                int n = op.Kind is OpKind.FolioLock or OpKind.FolioGet ? 2 : 1;
                if (s.Cpus[c].Length > n)
                    yield return ReplaceOps(s, c, [.. s.Cpus[c][..i], .. s.Cpus[c][(i + n)..]]);
                if (op.Kind == OpKind.FoliosPutRefs && op.Folios.Length == 2)
                {
                    yield return ReplaceOps(s, c, [.. s.Cpus[c][..i], op with { Folios = [op.Folios[0]] }, .. s.Cpus[c][(i + 1)..]]);
                    yield return ReplaceOps(s, c, [.. s.Cpus[c][..i], op with { Folios = [op.Folios[1]] }, .. s.Cpus[c][(i + 1)..]]);
                }
                if (op.Kind == OpKind.FoliosPutRefs && op.Folios.Length == 1)
                    yield return ReplaceOps(s, c, [.. s.Cpus[c][..i], op with { Kind = OpKind.FolioPut }, .. s.Cpus[c][(i + 1)..]]);
            }

        for (int f = 0; f < s.Folios.Length; f++)
        {
            var spec = s.Folios[f];
            if (spec.Locked)
                yield return WithFolio(s, f, spec with { Locked = false });
            if (spec.PartiallyMapped)
                yield return WithFolio(s, f, spec with { PartiallyMapped = false });
            if (spec.Underused)
                yield return WithFolio(s, f, spec with { Underused = false });
            if (spec.Queue != QueueId.None)
                yield return WithFolio(s, f, spec with { Queue = QueueId.None, PartiallyMapped = false });
            if (spec.Memcg == QueueId.Memcg2)
                yield return WithFolio(s, f, spec with { Memcg = QueueId.Memcg1, Queue = spec.Queue == QueueId.Memcg2 ? QueueId.Memcg1 : spec.Queue });
            if (spec.Refcount - 1 >= Math.Max(1, Holders(s.Cpus, f) + (spec.Locked ? 1 : 0)))
                yield return WithFolio(s, f, spec with { Refcount = spec.Refcount - 1 });
        }
    }

    /// <summary>Whether operation <paramref name="i"/> puts back the reference the operation before it took (a get/put pair).</summary>
    static bool IsPutBack(Op[] program, int i) =>
        i > 0 && program[i].Kind == OpKind.FolioPut && program[i - 1].Kind == OpKind.FolioGet && program[i - 1].Folios[0] == program[i].Folios[0];

    /// <summary>
    /// CPUs whose programs use folio <paramref name="f"/> (each holds one reference to it), but not as a
    /// migration's destination or a partial unmap's target: those share the migration's one reference.
    /// </summary>
    static int Holders(Op[][] cpus, int f) => cpus.Count(p => p.Any(op => op.Folios.Contains(f) && !IsDestinationUse(op, f)));

    static bool IsDestinationUse(Op op, int f) =>
        op.Kind == OpKind.Unmap || op.Kind == OpKind.MigrateFolio && op.Folios is [_, var dst] && dst == f;

    /// <summary>
    /// The scenario with new programs: every folio loses the references of the CPUs that no longer use it.
    /// </summary>
    static Scenario With(Scenario s, FolioSpec[] folios, Op[][] cpus)
    {
        var fs = new FolioSpec[folios.Length];
        for (int f = 0; f < folios.Length; f++)
        {
            int lost = Holders(s.Cpus, f) - Holders(cpus, f);
            fs[f] = folios[f] with { Refcount = Math.Max(1, folios[f].Refcount - lost) };
        }
        return new Scenario(s.Name, ScenarioText.Describe(fs, cpus), fs, cpus);
    }

    static Scenario ReplaceOps(Scenario s, int cpu, Op[] ops) =>
        With(s, s.Folios, [.. s.Cpus.Select((p, i) => i == cpu ? ops : p)]);

    static Scenario WithFolio(Scenario s, int f, FolioSpec spec)
    {
        var fs = (FolioSpec[])s.Folios.Clone();
        fs[f] = spec;
        return new Scenario(s.Name, ScenarioText.Describe(fs, s.Cpus), fs, s.Cpus);
    }

    /// <summary>
    /// Folio <paramref name="f"/> and every use of it removed (a migration into it keeps its source and
    /// loses the destination), the others renumbered and renamed in order; null if no CPU would be left.
    /// </summary>
    static Scenario? DropFolio(Scenario s, int f)
    {
        int Renumber(int g) => g > f ? g - 1 : g;
        var cpus = new List<Op[]>();
        foreach (var p in s.Cpus)
        {
            var ops = new List<Op>();
            foreach (var op in p)
            {
                if (!op.Folios.Contains(f))
                    ops.Add(op with { Folios = [.. op.Folios.Select(Renumber)] });
                else if (op.Kind == OpKind.FoliosPutRefs && op.Folios.Length > 1)
                    ops.Add(op with { Folios = [.. op.Folios.Where(g => g != f).Select(Renumber)] });
                else if (op.Kind == OpKind.MigrateFolio && op.Folios is [var src, var dst] && dst == f)
                    ops.Add(op with { Folios = [Renumber(src)] });      // a destination dropped: the migration as before there were any
            }
            if (ops.Count > 0)
                cpus.Add([.. ops]);
        }
        if (cpus.Count == 0)
            return null;
        // References: the folios keep theirs (the CPUs that dropped out used only f).
        var folios = s.Folios.Where((_, g) => g != f).Select((spec, g) => spec with { Name = Names[g] }).ToArray();
        return new Scenario(s.Name, ScenarioText.Describe(folios, [.. cpus]), folios, [.. cpus]);
    }
}
