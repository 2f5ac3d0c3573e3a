using MmFuzz.Scenarios;
using MmFuzz.Schedules;

namespace MmFuzz.Search;

/// <summary>
/// Every scenario up to a bound, once up to symmetry: the small-scope hypothesis (Jackson: most bugs
/// show in small instances) made exhaustive. CPU 1 scans memcg 1's queue; 1 to <see cref="Scope.Folios"/>
/// folios, all charged to memcg 1, each on its queue (partially mapped or not) or not queued; up to
/// <see cref="Scope.Cpus"/> - 1 other CPUs, each running 1 to <see cref="Scope.OpsPerCpu"/> operations
/// (at most <see cref="Scope.Ops"/> in all) from every kind the model has: a put, a batch put of two
/// folios, a lock/unlock pair, <c>deferred_split_folio()</c> (a partial unmap, or the fault-time call of
/// a fresh folio), a split, a migration (of the source alone, or into a destination: a fresh folio the
/// scenario adds beyond <see cref="Scope.Folios"/>), a partial unmap of that destination, a swapout, a
/// charge move to memcg 2, a transient <c>folio_get()</c>/<c>folio_put()</c> pin, and a scan.
/// </summary>
/// <remarks>
/// The scenarios obey the well-formedness rules of <see cref="ScenarioDecoder"/> (a CPU holds one
/// reference to each folio it uses and drops it at most once, last; one migration or split per folio
/// and no queueing of it). Symmetry: the other CPUs are interchangeable, and so are the folios that
/// are not queued (the queued ones are ordered by the queue), so each class is enumerated once (a
/// canonical form over the relabellings); an unqueued folio no CPU uses is left out. Smaller
/// scenarios come first (folios, then CPUs, then operations), so a bug shows in its smallest form.
/// </remarks>
public static class SmallScope
{
    /// <summary>The bound of a small-scope proof.</summary>
    /// <param name="Cpus">CPUs, the scanning one included.</param>
    /// <param name="Folios">Folios.</param>
    /// <param name="OpsPerCpu">Operations per CPU other than the scanning one (a pair counts as one).</param>
    /// <param name="Ops">Operations of the other CPUs in all.</param>
    /// <param name="Preemptions">The preemption bound each scenario is explored to.</param>
    public sealed record Scope(int Cpus = 3, int Folios = 3, int OpsPerCpu = 2, int Ops = 2, int Preemptions = 2)
    {
        /// <summary>The default scope of <c>verify --small-scope</c>: 15,047 scenarios (8,881 before migrations named a destination).</summary>
        public static readonly Scope Default = new();

        /// <summary>
        /// The wider scope where the next proofs are: 4 CPUs (3 besides the scanning one), 4 folios, 2
        /// operations per CPU and 3 in all besides the scan, bound 3. Far too large for one machine:
        /// shard it (<see cref="Shard"/>).
        /// </summary>
        public static readonly Scope Wide = new(Cpus: 4, Folios: 4, OpsPerCpu: 2, Ops: 3, Preemptions: 3);

        /// <summary>The scopes a user names (<c>verify --small-scope --scope NAME</c>), the default first.</summary>
        public static readonly IReadOnlyList<(string Name, Scope Scope)> Named = [("default", Default), ("wide", Wide)];

        /// <summary>The scope the default hunt's systematic workers explore, by iterative deepening.</summary>
        public static readonly Scope Hunt = Default;

        /// <inheritdoc/>
        public override string ToString() =>
            $"{Cpus} CPUs, {Folios} folios, {OpsPerCpu} operation(s) per CPU and {Ops} in all besides the scan, {Preemptions} preemption(s)";
    }

    static readonly string[] Names = ["A", "B", "C", "D", "E", "F"];

    /// <summary>
    /// The scans' <c>nr_to_scan</c> in a scenario of <paramref name="folios"/> folios: one more than a
    /// queue can hold, so a pass never stops early and every state without folio-batch's <c>goto
    /// retry</c> runs exactly as with the shrinker's 32; folio-batch's retry, which goes round while
    /// budget is left, then ends after as many visits (with 32 a folio whose split keeps failing is
    /// visited 32 times, and one scenario's bound-2 search grows by orders of magnitude).
    /// </summary>
    static int NrToScan(int folios) => folios + 1;

    /// <summary>One folio's initial state in the scope.</summary>
    enum FolioState { Queued, QueuedPartiallyMapped, Unqueued }

    /// <summary>Every scenario of <paramref name="scope"/>, smallest first, one per symmetry class.</summary>
    public static IEnumerable<Scenario> Scenarios(Scope scope)
    {
        var seen = new HashSet<string>();
        for (int n = 1; n <= scope.Folios; n++)
            foreach (var states in FolioStates(n))
            {
                var alphabet = Alphabet(n, states);
                for (int others = 1; others < scope.Cpus; others++)
                    for (int total = others; total <= Math.Min(scope.Ops, others * scope.OpsPerCpu); total++)
                        foreach (var programs in Programs(alphabet, others, total, scope.OpsPerCpu))
                            if (Build(n, states, programs) is { } scenario && seen.Add(Canonical(scenario, states)))
                                yield return scenario;
            }
    }

    /// <summary>The folios' states: queued ones first (in queue order), then unqueued ones.</summary>
    static IEnumerable<FolioState[]> FolioStates(int n)
    {
        for (int queued = n; queued >= 0; queued--)
            for (int pm = 0; pm < 1 << queued; pm++)
            {
                var states = new FolioState[n];
                for (int f = 0; f < n; f++)
                    states[f] = f >= queued ? FolioState.Unqueued : (pm >> f & 1) == 1 ? FolioState.QueuedPartiallyMapped : FolioState.Queued;
                yield return states;
            }
    }

    /// <summary>Every one-operation step a CPU can take (a pair as one), on <paramref name="n"/> folios.</summary>
    static List<Op[]> Alphabet(int n, FolioState[] states)
    {
        var ops = new List<Op[]>();
        for (int f = 0; f < n; f++)
        {
            ops.Add([new Op(OpKind.FolioPut, [f])]);
            for (int g = f + 1; g < n; g++)
                ops.Add([new Op(OpKind.FoliosPutRefs, [f, g])]);
            ops.Add([new Op(OpKind.FolioLock, [f]), new Op(OpKind.FolioUnlock, [f])]);
            ops.Add([new Op(OpKind.DeferredSplitFolio, [f], PartiallyMapped: true)]);
            if (states[f] == FolioState.Unqueued)
                ops.Add([new Op(OpKind.DeferredSplitFolio, [f], PartiallyMapped: false)]);
            ops.Add([new Op(OpKind.SplitFolio, [f])]);
            ops.Add([new Op(OpKind.MigrateFolio, [f])]);
            ops.Add([new Op(OpKind.MigrateFolio, [f, n])]);     // into the destination, folio n
            ops.Add([new Op(OpKind.Swapout, [f])]);
            if (states[f] != FolioState.QueuedPartiallyMapped)
                ops.Add([new Op(OpKind.MoveCharge, [f], QueueId.Memcg2)]);     // a PMD-mapped THP only
            ops.Add([new Op(OpKind.FolioGet, [f]), new Op(OpKind.FolioPut, [f])]);
        }
        ops.Add([new Op(OpKind.Unmap, [n])]);       // part of the destination's range
        ops.Add([new Op(OpKind.Scan, [], QueueId.Memcg1, NrToScan(n))]);
        return ops;
    }

    /// <summary>
    /// The programs of <paramref name="cpus"/> interchangeable CPUs with <paramref name="total"/> steps of
    /// the alphabet in all, each 1 to <paramref name="perCpu"/>: a non-decreasing sequence of programs,
    /// so each multiset once.
    /// </summary>
    static IEnumerable<Op[][]> Programs(List<Op[]> alphabet, int cpus, int total, int perCpu)
    {
        var programs = new List<int[]>();
        for (int len = 1; len <= perCpu; len++)
            foreach (var p in Sequences(alphabet.Count, len))
                programs.Add(p);
        IEnumerable<int[]> Choose(int first, int left, int remaining)
        {
            if (left == 0)
            {
                if (remaining == 0)
                    yield return [];
                yield break;
            }
            for (int i = first; i < programs.Count; i++)
                if (programs[i].Length <= remaining - (left - 1))
                    foreach (var rest in Choose(i, left - 1, remaining - programs[i].Length))
                        yield return [i, .. rest];
        }
        foreach (var pick in Choose(0, cpus, total))
            yield return [.. pick.Select(i => programs[i].SelectMany(k => alphabet[k]).ToArray())];
    }

    static IEnumerable<int[]> Sequences(int symbols, int length)
    {
        if (length == 0)
        {
            yield return [];
            yield break;
        }
        foreach (var rest in Sequences(symbols, length - 1))
            for (int s = 0; s < symbols; s++)
                yield return [s, .. rest];
    }

    /// <summary>The scenario, or null when it breaks a well-formedness rule or has an unused unqueued folio.</summary>
    static Scenario? Build(int n, FolioState[] states, Op[][] others)
    {
        // Folio n is the destination of a migration: there when an operation names it, once migrated
        // into, and only unmapped (the migration holds it; a task's PTEs map it once it has moved).
        int intoDst = others.SelectMany(p => p).Count(op => op.Kind == OpKind.MigrateFolio && op.Folios is [_, var d] && d == n);
        bool dstUsed = others.SelectMany(p => p).Any(op => op.Folios.Contains(n));
        if (dstUsed && intoDst != 1)
            return null;        // one migration into the destination, which nothing else holds
        var holds = new bool[others.Length, n];
        var isolatedOrSplit = new int[n];      // migrations, swapouts and splits of each folio
        var faultCalls = new int[n];
        var queueCalls = new int[n];
        for (int c = 0; c < others.Length; c++)
        {
            var dropped = new bool[n];
            var program = others[c];
            for (int i = 0; i < program.Length; i++)
            {
                var op = program[i];
                bool putBack = op.Kind == OpKind.FolioPut && i > 0 && program[i - 1].Kind == OpKind.FolioGet && program[i - 1].Folios[0] == op.Folios[0];
                foreach (var f in op.Folios.Where(f => f < n))
                {
                    if (dropped[f])
                        return null;        // used after its last reference went
                    holds[c, f] = true;
                }
                switch (op.Kind)
                {
                    case OpKind.FolioPut when !putBack:
                    case OpKind.FoliosPutRefs:
                        foreach (var f in op.Folios)
                            dropped[f] = true;
                        break;
                    case OpKind.MigrateFolio:
                    case OpKind.Swapout:
                        dropped[op.Folios[0]] = true;
                        isolatedOrSplit[op.Folios[0]]++;
                        break;
                    case OpKind.SplitFolio:
                    case OpKind.MoveCharge:
                        isolatedOrSplit[op.Folios[0]]++;
                        break;
                    case OpKind.DeferredSplitFolio:
                        queueCalls[op.Folios[0]]++;
                        if (!op.PartiallyMapped)
                            faultCalls[op.Folios[0]]++;
                        break;
                }
            }
        }
        for (int f = 0; f < n; f++)
        {
            if (isolatedOrSplit[f] > 1 || isolatedOrSplit[f] == 1 && queueCalls[f] > 0)
                return null;        // one migration, swapout, charge move or split per folio, and nobody queues it
            if (faultCalls[f] > 0 && queueCalls[f] > 1)
                return null;        // the fault-time call is the fresh folio's only one
            bool used = Enumerable.Range(0, others.Length).Any(c => holds[c, f]);
            if (!used && states[f] == FolioState.Unqueued)
                return null;
        }
        var folios = new FolioSpec[dstUsed ? n + 1 : n];
        for (int f = 0; f < n; f++)
        {
            int refs = Enumerable.Range(0, others.Length).Count(c => holds[c, f]);
            folios[f] = new FolioSpec(Names[f], Math.Max(refs, 1), QueueId.Memcg1, states[f] == FolioState.Unqueued ? QueueId.None : QueueId.Memcg1,
                PartiallyMapped: states[f] == FolioState.QueuedPartiallyMapped);
        }
        if (dstUsed)
            folios[n] = new FolioSpec(Names[n], 1, QueueId.None, QueueId.None);     // fresh: the migration's reference
        Op[][] cpus = [[new Op(OpKind.Scan, [], QueueId.Memcg1, NrToScan(n))], .. others];
        return new Scenario("small-scope", ScenarioText.Describe(folios, cpus), folios, cpus);
    }

    /// <summary>
    /// The scenario's text with the unqueued folios relabelled in every order and the other CPUs'
    /// programs sorted: the least is the same for every member of a symmetry class.
    /// </summary>
    static string Canonical(Scenario s, FolioState[] states)
    {
        int queued = states.Count(st => st != FolioState.Unqueued);
        var unqueued = Enumerable.Range(queued, states.Length - queued).ToArray();     // a destination (folio n) keeps its label
        string? best = null;
        foreach (var perm in Permutations(unqueued))
        {
            var map = Enumerable.Range(0, s.Folios.Length).ToArray();
            for (int k = 0; k < unqueued.Length; k++)
                map[unqueued[k]] = perm[k];
            var programs = s.Cpus.Skip(1)
                .Select(p => string.Join(";", p.Select(op => $"{op.Kind}:{string.Join(",", op.Kind == OpKind.MigrateFolio ? op.Folios.Select(f => map[f]) : op.Folios.Select(f => map[f]).OrderBy(f => f))}:{op.PartiallyMapped}")))
                .Order(StringComparer.Ordinal);
            var key = string.Join("|", programs);
            if (best is null || string.CompareOrdinal(key, best) < 0)
                best = key;
        }
        return $"{string.Join(",", states)}#{best}";
    }

    static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }
        for (int i = 0; i < items.Length; i++)
            foreach (var rest in Permutations([.. items[..i], .. items[(i + 1)..]]))
                yield return [items[i], .. rest];
    }
}
