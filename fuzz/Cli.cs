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

/// <summary>The command line: <c>mmfuzz VERB [options]</c>.</summary>
public static partial class Cli
{
    const string Usage = """
        usage: mmfuzz VERB [options]
          variants                                   the implemented kernel states and history's verdicts
          hunt    --variant NAME[,NAME]|all [--scenario NAME|FAMILY|all] [--strategy generate|random|pct|exhaustive] [--depth D] [--preemptions K] [--seed N]
                  [--time-budget SECONDS] [--executions N] [--ignore KIND[,KIND]] [--out DIR] [--json] [--format text|mail] [--html FILE]
          verify  --variant NAME[,NAME]|all [--scenario NAME|FAMILY|all] [--preemptions K] [--executions N]
                  [--time-budget SECONDS] [--ignore KIND[,KIND]] [--reduction] [--json]
                                                     bounded exhaustive search: every schedule with at most K preemptions
          replay  FILE [--json] [--format text|mail] [--html FILE]
                                                     replay a recorded schedule and print its trace
          minimize FILE [-o FILE|DIR | --in-place] [--format text|mail] [--html FILE] [--json]
                                                     shrink a recorded failing schedule (fewest preemptions, then fewest steps);
                                                     writes a new regression next to FILE unless -o names a new file or a folder
          bench   [--variant NAME] [--scenario NAME] [--seconds S] [--only throughput|shrink] [--json]
          afl | libfuzzer --variant NAME [--ignore KIND,...] [--beyond-history on] [--interleaving off]
                                                     the fuzz targets (fuzz/afl.sh, fuzz/libfuzzer.sh start them)
          run-input FILE --variant NAME              replay one fuzzer input without a fuzzer: scenario and trace
          triage  CRASH_DIR --variant NAME --out DIR [--fuzzer NAME] [--campaign NAME]
                                                     replay, group, minimize crashes; write regression files
          seeds   --out DIR [--dict FILE]            write the fuzzers' seed corpus and dictionary
        """;

    /// <summary>Entry point; returns the process exit code (2 for usage errors).</summary>
    public static int Run(string[] args)
    {
        if (args.Length == 0)
            return Fail("no verb given");
        // The published fuzz target's core is instrumented: give its edge counters somewhere to go.
        Harness.SharpFuzzMap.EnsureAllocated();
        try
        {
            var opts = Options.Parse(args.Skip(1).ToArray());
            return args[0] switch
            {
                "variants" => Variants_(opts),
                "hunt" => Hunt(opts),
                "replay" => Replay(opts),
                "minimize" => Minimize(opts),
                "verify" => Verify(opts),
                "bench" => Bench.Run(opts),
                "afl" => FuzzVerbs.Afl(opts),
                "libfuzzer" => FuzzVerbs.LibFuzzer(opts),
                "run-input" => FuzzVerbs.RunInput(opts),
                "triage" => FuzzVerbs.Triage_(opts),
                "seeds" => FuzzVerbs.Seeds(opts),
                "help" or "--help" or "-h" => Ok(Usage),
                _ => Fail($"unknown verb '{args[0]}' (valid: variants, hunt, verify, replay, minimize, bench, afl, libfuzzer, run-input, triage, seeds)"),
            };
        }
        catch (UsageException e)
        {
            return Fail(e.Message);
        }
    }

    static int Ok(string text)
    {
        Console.WriteLine(text);
        return 0;
    }

    internal static int Fail(string message)
    {
        Console.Error.WriteLine($"mmfuzz: {message}");
        Console.Error.WriteLine(Usage);
        return 2;
    }

    static int Variants_(Options o)
    {
        o.Allow("json");
        foreach (var row in History.Rows)
        {
            var v = row.Variant;
            var expectations = row.Cells.Select(c => (Name: c.Family.Name, c.Cell.Expected)).Append((Name: "all", Expected: row.Overall)).ToList();
            var verdicts = string.Join(", ", expectations.Select(e => $"{e.Name}: {(e.Expected == Expected.Bug ? "BUG" : "safe")}"));
            if (o.Flag("json"))
                Console.WriteLine(JsonSerializer.Serialize(new { variant = v.Name, kernel = v.KernelState, expected = expectations.ToDictionary(e => e.Name, e => e.Expected == Expected.Bug ? "bug" : "none"), history = row.Source }));
            else
                Console.WriteLine($"{v.Name,-12} {verdicts,-22} {v.KernelState}");
        }
        return 0;
    }

    internal static Variant[] VariantsOf(string names) =>
        names == "all" ? Variants.All.ToArray()
        : names.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(name => Variants.Find(name)
            ?? throw new UsageException($"unknown variant '{name}' (valid: {string.Join(", ", Variants.All.Select(x => x.Name))}, all)")).ToArray();

    internal static IReadOnlyList<Scenario> ScenariosOf(string name) =>
        Catalog.Resolve(name) ?? throw new UsageException(
            $"unknown scenario '{name}' (valid: {string.Join(", ", Catalog.All.Select(s => s.Name).Concat(Family.All.Select(f => f.Name)).Append("all"))}, all)");

    /// <summary>History's verdict for a row of the output: a family's, or the variant's overall one for "all" and "generated".</summary>
    static Expected? ExpectedFor(Variant v, string family) =>
        Family.Find(family) is { } f ? History.ExpectedFor(v, f) : History.Of(v)?.Overall;

    static int Hunt(Options o)
    {
        o.Allow([.. ReportOptions.Names, "variant", "scenario", "strategy", "seed", "time-budget", "executions", "ignore", "out", "json", "depth", "preemptions"]);
        var reports = ReportOptions.Parse(o);
        var variants = VariantsOf(o.Get("variant") ?? throw new UsageException("hunt needs --variant NAME|all"));
        // Without --scenario: every family, one verdict each (a variant's verdict is per family).
        var scenarioName = o.Get("scenario");
        // Generation by default: scenarios and schedules from one choice stream, each bug shrunk and
        // its schedule minimized; with --scenario, the catalog scenarios' schedules are generated.
        var hunt = HuntStrategy.Find(o.Get("strategy") ?? HuntStrategy.Generate.Name)
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
        var ignore = new HashSet<BugKind>();
        foreach (var k in (o.Get("ignore") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            ignore.Add(BugKinds.Parse(k) ?? throw new UsageException($"unknown bug kind '{k}' (valid: {string.Join(", ", BugKinds.All.Select(BugKinds.Name))})"));
        var outDir = o.Get("out");
        bool json = o.Flag("json");
        if (!json && !reports.Mail)
            Console.WriteLine($"{"variant",-11} {"family",-16} {"expected",-8} {"observed",-8} {"kind",-16} {"seconds",8} {"executions",10} {"steps",5} {"preempt",7}  scenario");
        var details = new List<(HuntResult, string, List<string>)>();
        foreach (var v in variants)
            foreach (var (family, scenarios) in targets)
            {
                var options = new HuntOptions(new Budget(budget, executions), seed, ignore, depth, bound,
                    !json && !Console.IsErrorRedirected ? (n, found, t) => Console.Error.WriteLine($"hunt {v.Name}: {n:N0} executions, {n / t:N0}/s, {found} finding(s) beyond history, {t:F0} s") : null);
                var r = hunt.Run(v, scenarioName is null && hunt.Generates ? null : scenarios, options);
                var expected = ExpectedFor(v, family);
                // Generated scenarios have no catalog name to re-hunt: their replay command is a regression file.
                var files = outDir is not null ? WriteFindings(outDir, v, r, strategy, ignore)
                    : strategy == "generate" && scenarioName is null && !json ? WriteFindings(Path.Combine(Path.GetTempPath(), "mmfuzz-hunt"), v, r, strategy, ignore) : [];
                if (json)
                    Console.WriteLine(Json.Hunt(r, family, expected));
                else if (!reports.Mail)
                {
                    PrintRow(r, family, expected);
                    if (r.Shrink is { } sh)
                        Console.WriteLine($"{"",-11} {"",-16} shrunk in {sh.Shrunk.Steps} steps / {sh.Shrunk.Replays} replays to {sh.Shrunk.Case.Size.Cpus} CPU(s), " +
                                          $"{sh.Shrunk.Case.Size.Ops} op(s), {sh.Shrunk.Case.Size.Folios} folio(s); schedule minimized{(r.Bug!.ProvenMinimal ? " (proven)" : "")}");
                }
                foreach (var file in files)
                    Console.Error.WriteLine($"wrote {file}  (replay: dotnet run --project fuzz -c Release -- replay {file})");
                details.Add((r, family, files));
            }
        foreach (var (r, family, files) in details)
        {
            // The same hunt again: the first finding of a seeded hunt does not depend on the time budget.
            var again = $"hunt --variant {r.Variant.Name} --scenario {scenarioName ?? family} --strategy {strategy} --seed {seed}" +
                        (strategy == "pct" ? $" --depth {depth}" : strategy == "exhaustive" ? $" --preemptions {bound}" : "") +
                        (ignore.Count > 0 ? $" --ignore {string.Join(",", ignore.Select(BugKinds.Name))}" : "");
            PrintTraces(r, family, again, ignore, files, reports, print: !json);
        }
        return 0;
    }

    static int Verify(Options o)
    {
        o.Allow("variant", "scenario", "preemptions", "executions", "time-budget", "ignore", "json", "reduction");
        var variants = VariantsOf(o.Get("variant") ?? throw new UsageException("verify needs --variant NAME|all"));
        var scenarios = ScenariosOf(o.Get("scenario") ?? "all");
        int bound = (int)o.Long("preemptions", 2);
        if (bound is < 0 or > 10)
            throw new UsageException($"--preemptions must be 0 to 10, not {bound}");
        long executions = o.Long("executions", 5_000_000);
        double budget = o.Double("time-budget", 600);
        var ignore = ParseKinds(o.Get("ignore"));
        bool json = o.Flag("json");
        foreach (var v in variants)
            foreach (var s in scenarios)
            {
                var r = Verifier.Verify(v, s, bound, new Budget(budget, executions), ignore, o.Flag("reduction"));
                var expected = History.ExpectedFor(v, Family.Of(s));
                if (json)
                {
                    Console.WriteLine(Json.Verify(r, expected));
                    continue;
                }
                if (r.Bug is { } b)
                    Console.WriteLine($"{v.Name} / {s.Name}: BUG {BugKinds.Name(b.Outcome.Kind)} within {bound} preemptions after {r.Executions} executions ({r.Seconds:F2} s); minimal schedule: {b.Preemptions} preemption(s){(b.ProvenMinimal ? ", proven minimal" : "")}");
                else
                    Console.WriteLine($"{v.Name} / {s.Name}: no bug up to {bound} preemptions over {r.Executions} executions " +
                                      $"({(r.Exhausted ? "exhausted" : "NOT exhausted: budget spent")}, {r.Seconds:F2} s)");
                foreach (var f in r.BeyondHistory)
                    Console.WriteLine($"    beyond history: {BugKinds.Name(f.Outcome.Kind)} ({f.Steps.Count} steps, {f.Preemptions} preemption(s){(f.ProvenMinimal ? ", proven minimal" : "")}): {f.Outcome.Message}");
                if (r.Bug is { } bug)
                {
                    Console.WriteLine();
                    Console.Write(bug.Trace());
                    Console.WriteLine();
                }
            }
        return 0;
    }

    static HashSet<BugKind> ParseKinds(string? list)
    {
        var kinds = new HashSet<BugKind>();
        foreach (var k in (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            kinds.Add(BugKinds.Parse(k) ?? throw new UsageException($"unknown bug kind '{k}' (valid: {string.Join(", ", BugKinds.All.Select(BugKinds.Name))})"));
        return kinds;
    }

    static string FamilyName(string name, IReadOnlyList<Scenario> scenarios) =>
        name == "all" || Family.Find(name) is not null ? name : Family.Of(scenarios[0]).Name;

    static void PrintRow(HuntResult r, string family, Expected? expected)
    {
        var b = r.Bug;
        Console.WriteLine($"{r.Variant.Name,-11} {family,-16} {Json.ExpectedName(expected),-8} {(b is null ? "none" : "bug"),-8} {(b is null ? "-" : BugKinds.Name(b.Outcome.Kind)),-16} " +
                          $"{r.Seconds,8:F3} {r.Executions,10} {(b is null ? "-" : b.Steps.Count.ToString()),5} {(b is null ? "-" : b.Preemptions.ToString()),7}  {b?.Scenario.Name ?? ""}");
        foreach (var f in r.BeyondHistory)
            Console.WriteLine($"{"",-11} {"",-16} beyond history: {BugKinds.Name(f.Outcome.Kind)} in {f.Scenario.Name} ({f.Steps.Count} steps, {f.Preemptions} preemptions)");
    }

    /// <summary>Each finding's mail-form trace (and HTML page), replayable from its written file or by the same hunt.</summary>
    static void PrintTraces(HuntResult r, string family, string again, IReadOnlySet<BugKind> ignore, List<string> files, ReportOptions reports, bool print)
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
                $"== {r.Variant.Name} / {family} / {f.Scenario.Name}: {BugKinds.Name(f.Outcome.Kind)}{(f == r.Bug ? "" : " (beyond history)")}, {f.Steps.Count} steps, {f.Preemptions} preemption(s)" +
                (f.Minimized is { } m ? $"\n   {m}" : ""),
                print);
        }
    }

    static List<string> WriteFindings(string dir, Variant v, HuntResult r, string strategy, IReadOnlySet<BugKind> ignore)
    {
        var written = new List<string>();
        foreach (var f in r.All)
        {
            var file = Regression.Of(f, $"mmfuzz hunt ({strategy}, execution seed {f.Seed})");
            written.Add(RegressionWriter.Write(dir, file, $"{v.Name}-{f.Scenario.Name}"));
        }
        return written;
    }

    static int Replay(Options o)
    {
        o.Allow([.. ReportOptions.Names, "json"]);
        var reports = ReportOptions.Parse(o);
        var path = o.Positional.FirstOrDefault() ?? throw new UsageException("replay needs a FILE");
        if (!File.Exists(path))
            throw new UsageException($"no such file: {path}");
        if (ReadSchedule(path) is not { } file)
            return 2;
        var variant = Variants.Find(file.Variant)!;
        var scenario = file.ResolveScenario();
        using var world = new Simulation(variant, scenario, file.OraclesOff);
        var sw = Stopwatch.StartNew();
        Finding f;
        try
        {
            f = Minimizer.Replay(world, new ReplayStrategy(file.Steps), 0);
        }
        catch (ReplayDivergedException e)
        {
            Console.Error.WriteLine($"mmfuzz: {path}: replay diverged at {e.Message}");
            return 1;
        }
        bool matches = f.Outcome.Kind == file.Expect && (file.Expect != BugKind.None || f.Outcome.Verdict == Verdict.Ok);
        if (o.Flag("json"))
            Console.WriteLine(Json.Replay(variant, f, sw.Elapsed.TotalSeconds, file.Expect));
        reports.Emit(variant, scenario, file.Steps, file.OraclesOff, $"dotnet run --project fuzz -c Release -- replay {path}",
            $"== {variant.Name} / {scenario.Name}: {BugKinds.Name(f.Outcome.Kind)} (expected {BugKinds.Name(file.Expect)}), {f.Steps.Count} steps, {f.Preemptions} preemption(s)",
            printMail: !o.Flag("json"));
        return matches ? 0 : 1;
    }
}
