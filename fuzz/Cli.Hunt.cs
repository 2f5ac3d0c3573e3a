using System.Diagnostics;
using System.Text.Json;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using MmFuzz.Search;
using MmFuzz.Schedules;
using MmFuzz.Reports;

namespace MmFuzz.Cli;

public static partial class Cli
{
    static int Hunt(Options o)
    {
        o.Allow([.. ReportOptions.Names, "variant", "scenario", "strategy", "seed", "time-budget", "executions", "ignore", "out", "json", "depth", "preemptions",
            "jobs", "first", "baseline"]);
        var reports = ReportOptions.Parse(o);
        var variants = VariantsOf(o.Get("variant") ?? throw new UsageException("hunt needs --variant NAME|all"));
        // Without --scenario: generated scenarios (the default and generate), or every catalog family.
        var scenarioName = o.Get("scenario");
        var hunt = HuntStrategy.Find(o.Get("strategy") ?? HuntStrategy.Default.Name)
            ?? throw new UsageException($"unknown strategy '{o.Get("strategy")}' (valid: {string.Join(", ", HuntStrategy.All.Select(h => h.Name))}; fscheck is generate)");
        var strategy = hunt.Name;
        var targets = scenarioName is not null
            ? [(Family: FamilyName(scenarioName, ScenariosOf(scenarioName)), Scenarios: ScenariosOf(scenarioName))]
            : hunt.Generates ? [(Family: "generated", Scenarios: (IReadOnlyList<Scenario>)[])]
            : Family.All.Select(f => (Family: f.Name, f.Scenarios)).ToList();
        int depth = (int)o.Long("depth", 3);
        int bound = (int)o.Long("preemptions", 2);
        ulong seed = o.ULong("seed", 1);
        double budget = o.Double("time-budget", scenarioName is null ? hunt.DefaultSeconds.Generated : hunt.DefaultSeconds.Named);
        long executions = o.Long("executions", long.MaxValue);
        int jobs = (int)o.Long("jobs", Workers.Default);
        if (jobs is < 1 or > 256)
            throw new UsageException($"--jobs must be 1 to 256, not {jobs}");
        bool keepGoing = !o.Flag("first");
        var baseline = o.Get("baseline") is { } b ? VariantsOf(b) is [var one] ? one : throw new UsageException("--baseline names one variant") : null;
        var ignore = ParseKinds(o.Get("ignore"));
        var outDir = o.Get("out");
        bool json = o.Flag("json");
        if (!json && !reports.Mail)
            Console.WriteLine($"{"variant",-11} {"family",-16} {"expected",-8} {"observed",-8} {"kind",-16} {"seconds",8} {"executions",10} {"steps",5} {"preempt",7}  scenario");
        var details = new List<(HuntResult, string, List<string>)>();
        foreach (var v in variants)
            foreach (var (family, scenarios) in targets)
            {
                var options = new HuntOptions(new Budget(budget, executions), seed, ignore, depth, bound,
                    !json && !Console.IsErrorRedirected ? (n, found, t) => Console.Error.WriteLine($"hunt {v.Name}: {n:N0} executions, {n / t:N0}/s, {found} finding(s), {t:F0} s") : null,
                    jobs, keepGoing, baseline);
                var r = hunt.Run(v, scenarioName is null && hunt.Generates ? null : scenarios, options);
                var expected = ExpectedFor(v, family);
                // Generated scenarios have no catalog name to re-hunt: their replay command is a regression file.
                var files = outDir is not null ? WriteFindings(outDir, v, r, strategy)
                    : hunt.Generates && scenarioName is null && !json ? WriteFindings(Path.Combine(Path.GetTempPath(), "mmfuzz-hunt"), v, r, strategy) : [];
                if (json)
                    Console.WriteLine(Json.Hunt(r, family, expected));
                else if (!reports.Mail)
                {
                    PrintRow(r, family, expected);
                    if (r.Shrink is { } sh && r.Bug is { } bug)
                        Console.WriteLine($"{"",-11} {"",-16} shrunk in {sh.Shrunk.Steps} steps / {sh.Shrunk.Replays} replays to {sh.Shrunk.Case.Size.Cpus} CPU(s), " +
                                          $"{sh.Shrunk.Case.Size.Ops} op(s), {sh.Shrunk.Case.Size.Folios} folio(s); schedule minimized{(bug.ProvenMinimal ? " (proven)" : "")}");
                }
                foreach (var file in files)
                    Console.Error.WriteLine($"wrote {file}  (replay: dotnet run --project fuzz -c Release -- replay {file})");
                details.Add((r, family, files));
            }
        foreach (var (r, family, files) in details)
        {
            // The same hunt again (for catalog scenarios: a seeded hunt on one worker finds the same first bug whatever its time budget).
            var again = $"hunt --variant {r.Variant.Name} --scenario {scenarioName ?? family} --strategy {strategy} --seed {seed} --jobs 1 --first" +
                        (strategy == "pct" ? $" --depth {depth}" : strategy == "exhaustive" ? $" --preemptions {bound}" : "") +
                        (ignore.Count > 0 ? $" --ignore {string.Join(",", ignore.Select(BugKinds.Name))}" : "");
            PrintTraces(r, family, again, ignore, files, reports, print: !json);
        }
        return 0;
    }

    static string FamilyName(string name, IReadOnlyList<Scenario> scenarios) =>
        name == "all" || Family.Find(name) is not null ? name : Family.Of(scenarios[0]).Name;

    static void PrintRow(HuntResult r, string family, Expected? expected)
    {
        var b = r.Bug;
        string Vs(Finding f) => r.Comparisons.TryGetValue(f, out var c) ? $"  [{c.Label}]" : "";
        Console.WriteLine($"{r.Variant.Name,-11} {family,-16} {Json.ExpectedName(expected),-8} {(b is null ? "none" : "bug"),-8} {(b is null ? "-" : BugKinds.Name(b.Outcome.Kind)),-16} " +
                          $"{r.Seconds,8:F3} {r.Executions,10} {(b is null ? "-" : b.Steps.Count.ToString()),5} {(b is null ? "-" : b.Preemptions.ToString()),7}  {b?.Scenario.Name ?? ""}{(b is null ? "" : Vs(b))}");
        foreach (var f in r.Bugs.Skip(1))
            Console.WriteLine($"{"",-11} {"",-16} also: {BugSignature.Of(f.Outcome)} in {f.Scenario.Name} ({f.Steps.Count} steps, {f.Preemptions} preemptions){Vs(f)}");
        foreach (var f in r.BeyondHistory)
            Console.WriteLine($"{"",-11} {"",-16} beyond history: {BugKinds.Name(f.Outcome.Kind)} in {f.Scenario.Name} ({f.Steps.Count} steps, {f.Preemptions} preemptions){Vs(f)}");
    }

    /// <summary>Each finding's mail-form trace (and HTML page), replayable from its written file or by the same hunt.</summary>
    static void PrintTraces(HuntResult r, string family, string again, IReadOnlySet<BugKind> ignore, List<string> files, ReportOptions reports,
        bool print)
    {
        int n = 0;
        foreach (var f in r.All)
        {
            var replay = n < files.Count
                ? $"dotnet run --project fuzz -c Release -- replay {files[n]}"
                : $"dotnet run --project fuzz -c Release -- {again}";
            n++;
            if (print && !reports.Mail)
                Console.WriteLine();
            reports.Emit(r.Variant, f.Scenario, f.Steps, ignore, replay,
                $"== {r.Variant.Name} / {family} / {f.Scenario.Name}: {BugKinds.Name(f.Outcome.Kind)}{(History.BeyondHistoryKinds.Contains(f.Kind) ? " (beyond history)" : "")}, {f.Steps.Count} steps, {f.Preemptions} preemption(s)" +
                (f.Minimized is { } m ? $"\n   {m}" : "") +
                (r.Comparisons.TryGetValue(f, out var c) ? $"\n   against {c.Baseline.Name}: {c.Label} ({c.How})" : ""),
                print);
        }
    }

    static List<string> WriteFindings(string dir, Variant v, HuntResult r, string strategy)
    {
        var written = new List<string>();
        foreach (var f in r.All)
        {
            var file = Regression.Of(f, $"mmfuzz hunt ({strategy}, execution seed {f.Seed})");
            written.Add(RegressionWriter.Write(dir, file, $"{v.Name}-{f.Scenario.Name}"));
        }
        return written;
    }
}
