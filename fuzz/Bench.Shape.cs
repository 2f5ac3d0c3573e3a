using MmFuzz.Kernel;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;
using MmFuzz.Schedules;
using MmFuzz.Search;

namespace MmFuzz.Cli;

public static partial class Bench
{
    /// <summary>What one source of executions looked like: scenario shapes, preemptions, and the branches taken.</summary>
    sealed class Shape(string source)
    {
        public string Source { get; } = source;
        public long Executions;
        public readonly SortedDictionary<int, long> Cpus = [];
        public readonly SortedDictionary<int, long> FoliosOnScannedQueue = [];
        public readonly SortedDictionary<int, long> QueuesScanned = [];
        public readonly SortedDictionary<int, long> Preemptions = [];
        public readonly SortedDictionary<string, long> Operations = new(StringComparer.Ordinal);
        public IReadOnlyDictionary<BranchCoverage.Branch, long> Branches = new Dictionary<BranchCoverage.Branch, long>();

        public void Count(Scenario s, int preemptions)
        {
            Executions++;
            Cpus[s.Cpus.Length] = Cpus.GetValueOrDefault(s.Cpus.Length) + 1;
            var scanned = s.Cpus.SelectMany(p => p).Where(op => op.Kind == OpKind.Scan).Select(op => op.Queue).Distinct().ToList();
            int most = scanned.Count == 0 ? 0 : scanned.Max(q => s.Folios.Count(f => f.Queue == q));
            FoliosOnScannedQueue[most] = FoliosOnScannedQueue.GetValueOrDefault(most) + 1;
            QueuesScanned[scanned.Count] = QueuesScanned.GetValueOrDefault(scanned.Count) + 1;
            int p = Math.Min(preemptions, 4);
            Preemptions[p] = Preemptions.GetValueOrDefault(p) + 1;
            foreach (var name in s.Cpus.SelectMany(p => p).Select(OperationName).Distinct())
                Operations[name] = Operations.GetValueOrDefault(name) + 1;
        }

        /// <summary>The operation's kernel function, without its folios: <c>folios_put_refs()</c>, <c>deferred_split_folio(, true)</c>.</summary>
        static string OperationName(Op op) => op.Kind switch
        {
            OpKind.DeferredSplitFolio => $"deferred_split_folio(, {(op.PartiallyMapped ? "true" : "false")})",
            OpKind.Scan => $"deferred_split_scan({ScenarioText.QueueName(op.Queue)})",
            _ => ScenarioText.OpText(op with { Folios = [.. op.Folios.Select(_ => 0)] }, [new FolioSpec("", 0, QueueId.None, QueueId.None)]).Split('(')[0] + "()",
        };
    }

    /// <summary>Branches taken in fewer executions than this fraction are blind spots.</summary>
    const double BlindSpot = 0.001;

    /// <summary>
    /// <c>bench --only shape</c>: what the default hunt's two sources of executions look like for each
    /// variant — the generated scenarios and schedules (<see cref="ChoiceBytes.Draw"/>, as the
    /// generating hunt draws them) and the small scope's scenarios under random schedules — CPUs,
    /// folios on the scanned queue, queues scanned, the operations, preemptions per execution, and how
    /// often each branch of each kernel function is taken (<see cref="BranchCoverage"/>). A branch that
    /// one source takes in under 0.1 % of its executions is marked: a blind spot of that source.
    /// </summary>
    static void Shapes(Variant[] variants, long executions, ulong seed, bool json)
    {
        var scope = SmallScope.Scenarios(SmallScope.Scope.Hunt).ToArray();
        var measured = variants.Select(v =>
        {
            var generated = Measure(v, "generated", executions, seed, ChoiceBytes.DrawCase);
            long n = 0;
            var small = Measure(v, "small-scope", executions, seed, rng => new ChoiceCase(scope[n++ % scope.Length], ChoiceBytes.Schedule(rng)));
            return (Variant: v, Shapes: new[] { generated, small });
        }).ToList();
        foreach (var (v, shapes) in measured)
        {
            // Both sides of every test the variant's code made: a side never taken is a blind spot.
            var branches = shapes.SelectMany(s => s.Branches.Keys).SelectMany(b => new[] { b, b.Other }).Distinct()
                .OrderBy(b => b.Function, StringComparer.Ordinal).ThenBy(b => b.Test, StringComparer.Ordinal).ThenBy(b => b.Outcome, StringComparer.Ordinal).ToList();
            var (generated, small) = (shapes[0], shapes[1]);
            if (json)
            {
                foreach (var s in shapes)
                    Console.WriteLine(Json.Line(new
                    {
                        shape = s.Source, variant = v.Name, executions = s.Executions,
                        cpus = s.Cpus.ToDictionary(e => e.Key.ToString(), e => Fraction(e.Value, s)),
                        folios_on_scanned_queue = s.FoliosOnScannedQueue.ToDictionary(e => e.Key.ToString(), e => Fraction(e.Value, s)),
                        queues_scanned = s.QueuesScanned.ToDictionary(e => e.Key.ToString(), e => Fraction(e.Value, s)),
                        preemptions = s.Preemptions.ToDictionary(e => e.Key == 4 ? "4+" : e.Key.ToString(), e => Fraction(e.Value, s)),
                        operations = s.Operations.ToDictionary(e => e.Key, e => Fraction(e.Value, s)),
                        branches = branches.Select(b => new
                        {
                            function = b.Function, test = b.Test, outcome = b.Outcome,
                            fraction = Fraction(s.Branches.GetValueOrDefault(b), s),
                            blind = (double)s.Branches.GetValueOrDefault(b) / s.Executions < BlindSpot,
                        }),
                    }));
                continue;
            }
            Console.WriteLine($"{v.Name}: shape of {executions:N0} executions from each source (fraction of executions)");
            Console.WriteLine($"  {"",-44} {"generated",10} {"small scope",12}");
            void Row(string label, Func<Shape, long> count) =>
                Console.WriteLine($"  {label,-44} {Percent(count(generated), generated),10} {Percent(count(small), small),12}");
            foreach (int k in shapes.SelectMany(s => s.Cpus.Keys).Distinct().Order())
                Row($"CPUs: {k}", s => s.Cpus.GetValueOrDefault(k));
            foreach (int k in shapes.SelectMany(s => s.FoliosOnScannedQueue.Keys).Distinct().Order())
                Row($"folios on the scanned queue: {k}", s => s.FoliosOnScannedQueue.GetValueOrDefault(k));
            foreach (int k in shapes.SelectMany(s => s.QueuesScanned.Keys).Distinct().Order())
                Row($"queues scanned: {k}", s => s.QueuesScanned.GetValueOrDefault(k));
            foreach (var k in shapes.SelectMany(s => s.Operations.Keys).Distinct().Order(StringComparer.Ordinal))
                Row($"has {k}", s => s.Operations.GetValueOrDefault(k));
            foreach (int k in shapes.SelectMany(s => s.Preemptions.Keys).Distinct().Order())
                Row($"preemptions: {(k == 4 ? "4 or more" : k.ToString())}", s => s.Preemptions.GetValueOrDefault(k));
            Console.WriteLine($"  both sides of each test {v.Name}'s code makes ({branches.Count}; * = under {BlindSpot:P1} of that source's executions, a blind spot):");
            foreach (var b in branches)
                Console.WriteLine($"    {b,-78} {Percent(generated.Branches.GetValueOrDefault(b), generated),10}{Blind(b, generated)} {Percent(small.Branches.GetValueOrDefault(b), small),10}{Blind(b, small)}");
            var blind = branches.Where(b => shapes.All(s => (double)s.Branches.GetValueOrDefault(b) / s.Executions < BlindSpot)).ToList();
            Console.WriteLine(blind.Count == 0 ? "  no blind spot: every branch is taken by one source or the other"
                : $"  blind spots of both sources: {string.Join("; ", blind)}");
            Console.WriteLine();
        }
    }

    static string Blind(BranchCoverage.Branch b, Shape s) => (double)s.Branches.GetValueOrDefault(b) / s.Executions < BlindSpot ? "*" : " ";

    static double Fraction(long count, Shape s) => Math.Round((double)count / Math.Max(1, s.Executions), 5);

    static string Percent(long count, Shape s) => $"{(double)count / Math.Max(1, s.Executions):P2}";

    static Shape Measure(Variant v, string source, long executions, ulong seed, Func<Random, ChoiceCase> draw)
    {
        var rng = new Random(unchecked((int)(seed ^ seed >> 32)));
        var shape = new Shape(source);
        var coverage = new BranchCoverage();
        using var systems = new SimulationCache(v, null, coverage);
        for (long i = 0; i < executions; i++)
        {
            var c = draw(rng);
            var sim = systems.For(c.Scenario);
            ChoiceRun.Run(sim, c, out _);
            shape.Count(c.Scenario, sim.Machine.Preemptions);
        }
        shape.Branches = coverage.Taken();
        return shape;
    }
}
