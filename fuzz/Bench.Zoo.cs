using System.Diagnostics;
using System.Globalization;
using MmFuzz.C;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Search;
using MmFuzz.Strategies;
using MmFuzz.Zoo;

namespace MmFuzz.Cli;

public static partial class Bench
{
    /// <summary>The two forms of a mutant the zoo bench hunts: the C# subclass, and its patch in C (<see cref="Mutant.C"/>).</summary>
    static readonly string[] ZooForms = ["C#", "C"];

    /// <summary>The forms <c>--form cs|c|both</c> names.</summary>
    static string[] FormsOf(string form) => form switch { "cs" => ["C#"], "c" => ["C"], _ => ZooForms };

    /// <summary>
    /// One hunt of one form of one mutant: whether it found a bug of a kind history records that the
    /// mutant's base does not show; for the C form, the seconds the front end took to read it (not
    /// part of the hunt's), or why it could not.
    /// </summary>
    sealed record ZooRun(Mutant Mutant, string Strategy, string Form, bool Found, double Seconds, int? Preemptions, string? Kind, long Executions,
        double? LoadSeconds = null, string? LoadError = null)
    {
        /// <summary>The hunt's seed.</summary>
        public ulong Seed { get; init; }
    }

    /// <summary>
    /// <c>bench --only zoo</c>: each zoo mutant hunted as a user would hunt an unknown patch, with
    /// its base as the baseline (<c>hunt --variant MUTANT --baseline BASE --first</c>), in both forms:
    /// the C# subclass, then its C form (zoo/c/MUTANT.patch over the base's rendering, read by the C
    /// front end; the same hunt of that variant with the same baseline). A hunt ends at the first bug
    /// of a kind history records that the base does not show in the same scenario within the same
    /// bound. Per strategy and form: the fraction found within the budget, the median time, the
    /// preemptions; then, per mutant, the two forms' times side by side and whether the C form was
    /// found within twice the C# form's time; the mutants no strategy found in either form are listed
    /// (where the search is blind). Equivalent mutants are hunted by the default strategy too: a
    /// finding there is a false alarm.
    /// </summary>
    static void ZooHunts(Args a)
    {
        bool json = a.Json;
        double seconds = a.Seconds ?? 60;
        int jobs = a.Jobs;
        var names = (a.Strategy ?? HuntStrategy.Default.Name).Split(',', StringSplitOptions.TrimEntries);
        var strategies = names is ["all"] ? HuntStrategy.All : names.Select(n => HuntStrategy.Find(n)
            ?? throw new UsageException($"--strategy: unknown strategy '{Cli.Escape(n)}' (valid: {string.Join(", ", HuntStrategy.All.Select(h => h.Name))}, all)")).ToList();
        var mutants = a.Mutant is { } m
            ? m.Split(',', StringSplitOptions.TrimEntries).Select(n => MmFuzz.Zoo.Zoo.All.FirstOrDefault(x => x.Name == n)
                ?? throw new UsageException($"--mutant: unknown mutant '{Cli.Escape(n)}' (valid: {string.Join(", ", MmFuzz.Zoo.Zoo.All.Select(x => x.Name))})")).ToList()
            : MmFuzz.Zoo.Zoo.All.ToList();
        var seeds = a.Seeds ?? [a.Seed];
        ulong seed = seeds[0];
        var forms = FormsOf(a.Form);
        if (!json)
            Console.WriteLine($"zoo: {mutants.Count(x => !x.Equivalent)} mutants and {mutants.Count(x => x.Equivalent)} equivalent ones, " +
                              (forms.Length == 2 ? "each in two forms (C#, and C: zoo/c/MUTANT.patch over corpus/kernels/BASE)" : $"in the {forms[0]} form") +
                              $", {seconds:F0} s each, {jobs} worker(s), seed{(seeds.Count > 1 ? "s" : "")} {SeedList(seeds)}; " +
                              "found = a bug of a kind history records that the base does not show");
        // Untimed: the engine, the search, the oracles and the way of a bug past the baseline compiled and
        // tiered up before the first timed hunt, which would otherwise pay for them alone (and the C#
        // form, hunted first, with it): a hunt of a buggy state against a fixed one that keeps going.
        Terminal.Progress("zoo: warming up", 2, _ => HuntStrategy.Default.Run(Variants.Mm2024_03, Catalog.All,
            new HuntOptions(new Budget(Math.Min(2, seconds), long.MaxValue), seed, Jobs: jobs, KeepGoing: true, Baseline: Variants.V6_9)));
        var runs = new List<ZooRun>();
        foreach (var strategy in strategies)
            foreach (var mutant in mutants.Where(x => !x.Equivalent || strategy == HuntStrategy.Default))
                foreach (var form in forms)
                foreach (var s in seeds)
                {
                    var run = Terminal.Progress($"zoo: {strategy.Name} on {mutant.Name} ({form}, seed {s})", seconds, _ => HuntMutant(mutant, form, strategy, seconds, jobs, s, a.Steer));
                    runs.Add(run);
                    if (json)
                        Console.WriteLine(Json.Line(new
                        {
                            mutant = mutant.Name, variant = mutant.Base.Name, strategy = strategy.Name, form, seed = s, equivalent = mutant.Equivalent, found = run.Found,
                            seconds = Math.Round(run.Seconds, 3), preemptions = run.Preemptions, kind = run.Kind, executions = run.Executions,
                            load_seconds = run.LoadSeconds is { } l ? Math.Round(l, 3) : (double?)null, load_error = run.LoadError,
                        }));
                    else
                        Console.WriteLine($"{strategy.Name,-10} {mutant.Name,-40} {form,-2} {(seeds.Count > 1 ? $"seed {s,-4} " : "")}{(mutant.Equivalent ? "equivalent" : ""),-10} " +
                                          (run.LoadError is { } e ? $"C form does not load: {e}"
                                           : (run.Found ? $"found {run.Kind} in {run.Seconds:F2} s, {run.Preemptions} preemption(s)" : $"not found in {run.Seconds:F1} s") +
                                             $" ({run.Executions:N0} executions)" + (run.LoadSeconds is { } ls ? $"; read from C in {ls:F1} s" : "")));
                }
        var summary = new List<string[]>();
        foreach (var strategy in strategies)
            foreach (var form in forms)
            {
                var real = runs.Where(r => r.Strategy == strategy.Name && r.Form == form && !r.Mutant.Equivalent).ToList();
                var found = real.Where(r => r.Found).Select(r => r.Seconds).ToList();
                double median = Median(found);
                var preemptions = real.Where(r => r.Found).Select(r => r.Preemptions ?? 0).ToList();
                int falseAlarms = runs.Count(r => r.Strategy == strategy.Name && r.Form == form && r.Mutant.Equivalent && r.Found);
                if (json)
                    Console.WriteLine(Json.Line(new
                    {
                        summary = "zoo", strategy = strategy.Name, form, mutants = real.Select(r => r.Mutant).Distinct().Count(), runs = real.Count, found = found.Count, fraction = real.Count == 0 ? 0 : Math.Round((double)found.Count / real.Count, 3),
                        median_seconds = double.IsNaN(median) ? (double?)null : Math.Round(median, 3), max_preemptions = preemptions.Count == 0 ? (int?)null : preemptions.Max(),
                        false_alarms = falseAlarms, seconds_budget = seconds,
                    }));
                else
                    summary.Add([strategy.Name, form, $"{found.Count}/{real.Count}", found.Count > 0 ? $"{median:F2} s" : "-",
                        found.Count > 0 ? $"{preemptions.Min()}-{preemptions.Max()}" : "-",
                        strategy == HuntStrategy.Default ? falseAlarms.ToString(CultureInfo.InvariantCulture) : "-"]);
            }
        if (!json)
            Terminal.Table(["strategy", "form", $"found within {seconds:F0} s", "median", "preemptions", "false alarms"], summary);
        if (forms.Length == 2)
            ZooComparison(runs, strategies, mutants, seeds, json);
        if (a.Seeds is not null)
            ZooGate(runs, strategies, mutants, forms, seeds, seconds, json);
        var blind = mutants.Where(x => !x.Equivalent && !runs.Any(r => r.Mutant == x && r.Found)).ToList();
        if (json)
            Console.WriteLine(Json.Line(new { summary = "blind", mutants = blind.Select(x => x.Name) }));
        else
            Console.WriteLine(blind.Count == 0 ? "every mutant was found by at least one strategy in at least one form"
                : $"not found by any strategy in either form (blind spots): {string.Join(", ", blind.Select(x => x.Name))}");
    }

    /// <summary>
    /// Per strategy, each real mutant's two forms side by side: the C# form's time, the C form's, their
    /// ratio and whether the C form was found within twice the C# form's time (issue 22's acceptance);
    /// the executions each hunt ran are the measure that does not depend on the machine.
    /// </summary>
    static void ZooComparison(List<ZooRun> runs, IReadOnlyList<HuntStrategy> strategies, List<Mutant> mutants, IReadOnlyList<ulong> seeds, bool json)
    {
        foreach (var strategy in strategies)
        {
            var rows = new List<string[]>();
            int within = 0, compared = 0;
            foreach (var mutant in mutants.Where(x => !x.Equivalent))
            foreach (var seed in seeds)
            {
                var cs = runs.SingleOrDefault(r => r.Strategy == strategy.Name && r.Mutant == mutant && r.Form == "C#" && r.Seed == seed);
                var c = runs.SingleOrDefault(r => r.Strategy == strategy.Name && r.Mutant == mutant && r.Form == "C" && r.Seed == seed);
                if (cs is null || c is null)
                    continue;
                bool? ok = cs.Found ? c.Found && c.Seconds <= 2 * cs.Seconds : null;
                if (ok is not null)
                {
                    compared++;
                    if (ok.Value)
                        within++;
                }
                double? ratio = cs.Found && c.Found && cs.Seconds > 0 ? c.Seconds / cs.Seconds : null;
                if (json)
                    Console.WriteLine(Json.Line(new
                    {
                        comparison = "zoo", mutant = mutant.Name, strategy = strategy.Name, seed, cs_found = cs.Found, cs_seconds = Math.Round(cs.Seconds, 3), cs_executions = cs.Executions,
                        c_found = c.Found, c_seconds = Math.Round(c.Seconds, 3), c_executions = c.Executions,
                        ratio = ratio is { } x ? Math.Round(x, 2) : (double?)null, within_2x = ok,
                    }));
                else
                    rows.Add([seeds.Count > 1 ? $"{mutant.Name} (seed {seed})" : mutant.Name, Time(cs), cs.Executions.ToString("N0", CultureInfo.InvariantCulture), Time(c), c.Executions.ToString("N0", CultureInfo.InvariantCulture),
                        ratio is { } r ? $"{r:F2}" : "-", ok switch { true => "yes", false => "NO", null => "-" }]);
            }
            if (json)
                Console.WriteLine(Json.Line(new { summary = "zoo-forms", strategy = strategy.Name, compared, within_2x = within }));
            else
            {
                Console.WriteLine($"{strategy.Name}: the C form against the C# form, per mutant (C within 2x: found in at most twice the C# form's time)");
                Terminal.Table(["mutant", "C# time", "C# executions", "C time", "C executions", "C/C#", "C within 2x"], rows);
                Console.WriteLine($"{strategy.Name}: the C form within 2x of the C# form for {within} of the {compared} mutants the C# form found");
            }
        }

        static string Time(ZooRun r) => r.LoadError is not null ? "does not load" : r.Found ? $"{r.Seconds:F2} s" : $"not found ({r.Seconds:F0} s)";
    }

    static double Median(List<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count == 0 ? double.NaN : s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    /// <summary>
    /// Hunts one form of one mutant as <c>hunt --variant MUTANT --baseline BASE --first</c> would, with
    /// the strategy's own scenarios. The C form is read first (once per process; not counted in the
    /// hunt's time); C the front end cannot read is a run that found nothing, with the reason.
    /// </summary>
    static ZooRun HuntMutant(Mutant mutant, string form, HuntStrategy strategy, double seconds, int jobs, ulong seed, bool steer)
    {
        var variant = mutant.Variant;
        double? load = null;
        if (form == "C")
        {
            var read = Stopwatch.StartNew();
            try
            {
                variant = mutant.C.Variant;
            }
            catch (CError e)
            {
                return new ZooRun(mutant, strategy.Name, form, false, 0, null, null, 0, read.Elapsed.TotalSeconds, e.Message) { Seed = seed };
            }
            load = read.Elapsed.TotalSeconds;
        }
        // Both forms start warm: the C form's class is new code per mutant, JIT-compiled on its first
        // runs, where the C# form's ports are shared with every mutant before it. A few untimed runs of
        // the witness compile it, so a hunt of a fraction of a second measures search, not the JIT.
        using (var warm = new Simulation(variant, mutant.Witness))
        {
            var strategy0 = new RandomStrategy(seed);
            for (int i = 0; i < 200; i++)
                warm.Run(strategy0);
        }
        var sw = Stopwatch.StartNew();
        var options = new HuntOptions(new Budget(seconds, long.MaxValue), seed, Jobs: jobs, KeepGoing: false, Baseline: mutant.Base) { Steer = steer };
        var r = strategy.Run(variant, strategy.Generates ? null : Catalog.All, options);
        var bug = r.NewBug;
        return new ZooRun(mutant, strategy.Name, form, bug is not null, sw.Elapsed.TotalSeconds, bug?.Preemptions, bug is null ? null : BugKinds.Name(bug.Kind), r.Executions, load)
            { Seed = seed };
    }
}
