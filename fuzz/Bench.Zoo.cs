using System.Diagnostics;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Search;
using MmFuzz.Zoo;

namespace MmFuzz.Cli;

public static partial class Bench
{
    /// <summary>One hunt of one mutant: whether it found a bug of a kind history records that the mutant's base does not show.</summary>
    sealed record ZooRun(Mutant Mutant, string Strategy, bool Found, double Seconds, int? Preemptions, string? Kind, long Executions);

    /// <summary>
    /// <c>bench --only zoo</c>: each zoo mutant hunted as a user would hunt an unknown patch, with
    /// its base as the baseline (<c>hunt --variant MUTANT --baseline BASE --first</c>): the hunt ends at
    /// the first bug of a kind history records that the base does not show in the same scenario
    /// within the same bound. Per strategy: the fraction found within the budget, the median time, the
    /// preemptions; the mutants no strategy found are listed (where the search is blind). Equivalent
    /// mutants are hunted by the default strategy too: a finding there is a false alarm.
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
        ulong seed = a.Seed;
        if (!json)
            Console.WriteLine($"zoo: {mutants.Count(x => !x.Equivalent)} mutants and {mutants.Count(x => x.Equivalent)} equivalent ones, {seconds:F0} s each, {jobs} worker(s), seed {seed}; " +
                              "found = a bug of a kind history records that the base does not show");
        var runs = new List<ZooRun>();
        foreach (var strategy in strategies)
            foreach (var mutant in mutants.Where(x => !x.Equivalent || strategy == HuntStrategy.Default))
            {
                var run = Terminal.Progress($"zoo: {strategy.Name} on {mutant.Name}", seconds, _ => HuntMutant(mutant, strategy, seconds, jobs, seed));
                runs.Add(run);
                if (json)
                    Console.WriteLine(Json.Line(new
                    {
                        mutant = mutant.Name, variant = mutant.Base.Name, strategy = strategy.Name, equivalent = mutant.Equivalent, found = run.Found,
                        seconds = Math.Round(run.Seconds, 3), preemptions = run.Preemptions, kind = run.Kind, executions = run.Executions,
                    }));
                else
                    Console.WriteLine($"{strategy.Name,-10} {mutant.Name,-40} {(mutant.Equivalent ? "equivalent" : ""),-10} " +
                                      (run.Found ? $"found {run.Kind} in {run.Seconds:F1} s, {run.Preemptions} preemption(s)" : $"not found in {run.Seconds:F1} s") +
                                      $" ({run.Executions:N0} executions)");
            }
        var summary = new List<string[]>();
        foreach (var strategy in strategies)
        {
            var real = runs.Where(r => r.Strategy == strategy.Name && !r.Mutant.Equivalent).ToList();
            var found = real.Where(r => r.Found).Select(r => r.Seconds).Order().ToList();
            double median = found.Count == 0 ? double.NaN : found.Count % 2 == 1 ? found[found.Count / 2] : (found[found.Count / 2 - 1] + found[found.Count / 2]) / 2;
            var preemptions = real.Where(r => r.Found).Select(r => r.Preemptions ?? 0).ToList();
            int falseAlarms = runs.Count(r => r.Strategy == strategy.Name && r.Mutant.Equivalent && r.Found);
            if (json)
                Console.WriteLine(Json.Line(new
                {
                    summary = "zoo", strategy = strategy.Name, mutants = real.Count, found = found.Count, fraction = real.Count == 0 ? 0 : Math.Round((double)found.Count / real.Count, 3),
                    median_seconds = double.IsNaN(median) ? (double?)null : Math.Round(median, 3), max_preemptions = preemptions.Count == 0 ? (int?)null : preemptions.Max(),
                    false_alarms = falseAlarms, seconds_budget = seconds,
                }));
            else
                summary.Add([strategy.Name, $"{found.Count}/{real.Count}", found.Count > 0 ? $"{median:F1} s" : "-",
                    found.Count > 0 ? $"{preemptions.Min()}-{preemptions.Max()}" : "-",
                    strategy == HuntStrategy.Default ? falseAlarms.ToString() : "-"]);
        }
        if (!json)
            Terminal.Table(["strategy", $"found within {seconds:F0} s", "median", "preemptions", "false alarms"], summary);
        var blind = mutants.Where(x => !x.Equivalent && !runs.Any(r => r.Mutant == x && r.Found)).ToList();
        if (json)
            Console.WriteLine(Json.Line(new { summary = "blind", mutants = blind.Select(x => x.Name) }));
        else
            Console.WriteLine(blind.Count == 0 ? "every mutant was found by at least one strategy"
                : $"not found by any strategy (blind spots): {string.Join(", ", blind.Select(x => x.Name))}");
    }

    /// <summary>Hunts one mutant as <c>hunt --variant MUTANT --baseline BASE --first</c> would, with the strategy's own scenarios.</summary>
    static ZooRun HuntMutant(Mutant mutant, HuntStrategy strategy, double seconds, int jobs, ulong seed)
    {
        var sw = Stopwatch.StartNew();
        var options = new HuntOptions(new Budget(seconds, long.MaxValue), seed, Jobs: jobs, KeepGoing: false, Baseline: mutant.Base);
        var r = strategy.Run(mutant.Variant, strategy.Generates ? null : Catalog.All, options);
        var bug = r.NewBug;
        return new ZooRun(mutant, strategy.Name, bug is not null, sw.Elapsed.TotalSeconds, bug?.Preemptions, bug is null ? null : BugKinds.Name(bug.Kind), r.Executions);
    }
}
