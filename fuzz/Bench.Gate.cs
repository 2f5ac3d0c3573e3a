using System.Globalization;
using MmFuzz.Search;
using MmFuzz.Zoo;

namespace MmFuzz.Cli;

public static partial class Bench
{
    /// <summary>The most seeds <c>--seeds</c> takes.</summary>
    public const int MaxSeeds = 1000;

    /// <summary>
    /// <c>--seeds</c>: ranges and single seeds, comma-separated (<c>1-5</c>, <c>1,3,7</c>, <c>1-3,10</c>),
    /// in the order given, each once; anything else is a one-line <see cref="UsageException"/>.
    /// </summary>
    public static IReadOnlyList<ulong> ParseSeeds(string s)
    {
        var seeds = new List<ulong>();
        UsageException Bad(string why) => new($"--seeds: '{Opt.Show(s)}' {why} (e.g. 1-5 or 1,3,7)");
        foreach (var part in s.Split(','))
        {
            var ends = part.Split('-');
            if (ends.Length > 2 || ends.Any(e => !ulong.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                throw Bad("is not a list of seeds and ranges");
            ulong from = ulong.Parse(ends[0], CultureInfo.InvariantCulture), to = ulong.Parse(ends[^1], CultureInfo.InvariantCulture);
            if (to < from)
                throw Bad($"has a range that runs backwards ({part})");
            if (to - from >= MaxSeeds)
                throw Bad($"has more than {MaxSeeds} seeds");
            for (ulong x = from; ; x++)
            {
                if (!seeds.Contains(x))
                    seeds.Add(x);
                if (seeds.Count > MaxSeeds)
                    throw Bad($"has more than {MaxSeeds} seeds");
                if (x == to)
                    break;
            }
        }
        return seeds;
    }

    /// <summary>Seeds as a user writes them: <c>1-5</c>, <c>1, 3, 7</c>.</summary>
    static string SeedList(IReadOnlyList<ulong> seeds) =>
        seeds.Count > 2 && seeds.Zip(seeds.Skip(1)).All(p => p.Second == p.First + 1) ? $"{seeds[0]}-{seeds[^1]}" : string.Join(", ", seeds);

    /// <summary>
    /// The gate of <c>bench --only zoo --seeds</c>: per strategy, form and mutant, how many seeds found
    /// it within the budget, and the median and worst time over the seeds, a seed that did not find it
    /// counting as slower than any that did (so the median is "not found" when most seeds missed, and
    /// the worst whenever one did). A change that slows the search shows in these numbers; the JSON
    /// keeps one row per seed above, then one <c>gate</c> row here per strategy, form and mutant.
    /// </summary>
    static void ZooGate(List<ZooRun> runs, IReadOnlyList<HuntStrategy> strategies, List<Mutant> mutants, string[] forms, IReadOnlyList<ulong> seeds,
        double seconds, bool json)
    {
        foreach (var strategy in strategies)
            foreach (var form in forms)
            {
                var rows = new List<string[]>();
                int always = 0, real = 0;
                (string Mutant, double Median)? slowest = null;
                foreach (var mutant in mutants.Where(x => !x.Equivalent))
                {
                    var mine = runs.Where(r => r.Strategy == strategy.Name && r.Form == form && r.Mutant == mutant).ToList();
                    if (mine.Count == 0)
                        continue;
                    real++;
                    var times = mine.Select(r => r.Found ? r.Seconds : double.PositiveInfinity).Order().ToList();
                    double median = times.Count % 2 == 1 ? times[times.Count / 2] : (times[times.Count / 2 - 1] + times[times.Count / 2]) / 2;
                    double worst = times[^1];
                    int found = mine.Count(r => r.Found);
                    if (found == mine.Count)
                        always++;
                    if (slowest is null || median > slowest.Value.Median)
                        slowest = (mutant.Name, median);
                    if (json)
                        Console.WriteLine(Json.Line(new
                        {
                            gate = "zoo", strategy = strategy.Name, form, mutant = mutant.Name, seeds = seeds, runs = mine.Count, found,
                            fraction = Math.Round((double)found / mine.Count, 3), all_found = found == mine.Count,
                            median_seconds = double.IsFinite(median) ? Math.Round(median, 3) : (double?)null,
                            worst_seconds = double.IsFinite(worst) ? Math.Round(worst, 3) : (double?)null, seconds_budget = seconds,
                        }));
                    else
                        rows.Add([mutant.Name, $"{found}/{mine.Count}", Seconds(median), Seconds(worst)]);
                }
                string summary = $"{strategy.Name} ({form}): {always} of {real} mutants found at every seed {SeedList(seeds)} within {seconds:F0} s" +
                                 (slowest is { } w ? $"; the slowest median: {w.Mutant}, {Seconds(w.Median)}" : "");
                if (json)
                    Console.WriteLine(Json.Line(new { summary = "zoo-gate", strategy = strategy.Name, form, seeds, mutants = real, found_at_every_seed = always, seconds_budget = seconds }));
                else
                {
                    Console.WriteLine($"{strategy.Name} ({form}): per mutant over the seeds {SeedList(seeds)} (a seed that did not find it counts as slower than any that did)");
                    Terminal.Table(["mutant", "found", "median", "worst"], rows);
                    Console.WriteLine(summary);
                }
            }

        static string Seconds(double t) => double.IsFinite(t) ? $"{t:F2} s" : "not found";
    }
}
