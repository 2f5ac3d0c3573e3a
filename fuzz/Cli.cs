using System.Diagnostics;
using System.Text.Json;
using MmFuzz.Engine;
using MmFuzz.Hunting;
using MmFuzz.Kernel;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using MmFuzz.Trace;

namespace MmFuzz.Cli;

/// <summary>The command line: <c>mmfuzz VERB [options]</c>.</summary>
public static class Cli
{
    const string Usage = """
        usage: mmfuzz VERB [options]
          variants                                   the implemented kernel states and history's verdicts
          hunt    --variant NAME[,NAME]|all [--scenario NAME|FAMILY|all] [--strategy random|pct|exhaustive] [--depth D] [--preemptions K] [--seed N]
                  [--time-budget SECONDS] [--executions N] [--ignore KIND[,KIND]] [--out DIR] [--json]
          verify  --variant NAME[,NAME]|all [--scenario NAME|FAMILY|all] [--preemptions K] [--executions N]
                  [--time-budget SECONDS] [--ignore KIND[,KIND]] [--reduction] [--json]
                                                     bounded exhaustive search: every schedule with at most K preemptions
          replay  FILE [--json]                      replay a recorded schedule and print its trace
          bench   [--variant NAME] [--scenario NAME] [--seconds S] [--json]
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
                "verify" => Verify(opts),
                "bench" => Bench.Run(opts),
                "afl" => FuzzVerbs.Afl(opts),
                "libfuzzer" => FuzzVerbs.LibFuzzer(opts),
                "run-input" => FuzzVerbs.RunInput(opts),
                "triage" => FuzzVerbs.Triage_(opts),
                "seeds" => FuzzVerbs.Seeds(opts),
                "help" or "--help" or "-h" => Ok(Usage),
                _ => Fail($"unknown verb '{args[0]}' (valid: variants, hunt, verify, replay, bench, afl, libfuzzer, run-input, triage, seeds)"),
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
        foreach (var v in Variants.All)
        {
            var verdicts = string.Join(", ", v.Expectations.Select(e => $"{e.Key}: {(e.Value == Expected.Bug ? "BUG" : "safe")}"));
            if (o.Flag("json"))
                Console.WriteLine(JsonSerializer.Serialize(new { variant = v.Name, kernel = v.KernelState, expected = v.Expectations.ToDictionary(e => e.Key, e => e.Value == Expected.Bug ? "bug" : "none"), history = v.History }));
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
            $"unknown scenario '{name}' (valid: {string.Join(", ", Catalog.All.Select(s => s.Name).Concat(Catalog.Families.Keys))}, all)");

    static int Hunt(Options o)
    {
        o.Allow("variant", "scenario", "strategy", "seed", "time-budget", "executions", "ignore", "out", "json", "depth", "preemptions");
        var variants = VariantsOf(o.Get("variant") ?? throw new UsageException("hunt needs --variant NAME|all"));
        // Without --scenario: every family, one verdict each (a variant's verdict is per family).
        var scenarioName = o.Get("scenario");
        var targets = scenarioName is null
            ? Catalog.Families.Where(f => f.Key != "all").Select(f => (Family: f.Key, Scenarios: f.Value)).ToList()
            : [(Family: FamilyName(scenarioName, ScenariosOf(scenarioName)), Scenarios: ScenariosOf(scenarioName))];
        // PCT by default: it reaches every verdict of history within the default budget, including
        // v6.10-rc1's three-preemption migration race that the plain random walk rarely hits.
        var strategy = o.Get("strategy") ?? "pct";
        if (strategy is not ("random" or "pct" or "exhaustive"))
            throw new UsageException($"unknown strategy '{strategy}' (valid: random, pct, exhaustive)");
        int depth = (int)o.Long("depth", 3);
        int bound = (int)o.Long("preemptions", 2);
        ulong seed = o.ULong("seed", 1);
        double budget = o.Double("time-budget", scenarioName is null ? 3 : 10);
        long executions = o.Long("executions", long.MaxValue);
        var ignore = new HashSet<BugKind>();
        foreach (var k in (o.Get("ignore") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            ignore.Add(BugKinds.Parse(k) ?? throw new UsageException($"unknown bug kind '{k}' (valid: {string.Join(", ", BugKinds.All.Select(BugKinds.Name))})"));
        var outDir = o.Get("out");
        bool json = o.Flag("json");
        if (!json)
            Console.WriteLine($"{"variant",-11} {"family",-16} {"expected",-8} {"observed",-8} {"kind",-16} {"seconds",8} {"executions",10} {"steps",5} {"preempt",7}  scenario");
        var details = new List<(HuntResult, string)>();
        foreach (var v in variants)
            foreach (var (family, scenarios) in targets)
            {
                var r = strategy switch
                {
                    "pct" => Hunter.Hunt(v, scenarios, seed, budget, executions, ignore, s => new PctStrategy(s, depth)),
                    "exhaustive" => HuntExhaustive(v, scenarios, bound, executions, budget, ignore),
                    _ => Hunter.Hunt(v, scenarios, seed, budget, executions, ignore),
                };
                var expected = v.ExpectedFor(family);
                var files = outDir is null ? [] : WriteFindings(outDir, v, r, strategy, ignore);
                if (json)
                    Console.WriteLine(Json.Hunt(r, family, expected));
                else
                    PrintRow(r, family, expected);
                foreach (var file in files)
                    Console.Error.WriteLine($"wrote {file}  (replay: dotnet run --project fuzz -c Release -- replay {file})");
                details.Add((r, family));
            }
        if (!json)
            foreach (var (r, family) in details)
                PrintTraces(r, family, seed);
        return 0;
    }

    /// <summary><c>hunt --strategy exhaustive</c>: bounded exhaustive search of each scenario in turn until a bug of a kind history records.</summary>
    static HuntResult HuntExhaustive(Variant v, IReadOnlyList<Scenario> scenarios, int bound, long executions, double seconds, IReadOnlySet<BugKind> ignore)
    {
        var sw = Stopwatch.StartNew();
        long total = 0;
        var beyond = new List<Finding>();
        var setAside = new HashSet<BugKind>(ignore);
        foreach (var s in scenarios)
        {
            var r = Verifier.Verify(v, s, bound, executions - total, seconds - sw.Elapsed.TotalSeconds, setAside);
            total += r.Executions;
            foreach (var f in r.BeyondHistory.Where(f => !beyond.Any(b => b.Outcome.Kind == f.Outcome.Kind)))
                beyond.Add(f);
            if (r.Bug is not null)
                return new HuntResult(v, r.Bug, beyond, total, sw.Elapsed.TotalSeconds);
            if (total >= executions || sw.Elapsed.TotalSeconds >= seconds)
                break;
        }
        return new HuntResult(v, null, beyond, total, sw.Elapsed.TotalSeconds);
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
                var r = Verifier.Verify(v, s, bound, executions, budget, ignore, o.Flag("reduction"));
                var expected = v.ExpectedFor(Catalog.FamilyOf(s));
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
                    Console.Write(bug.Trace);
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
        Catalog.Families.ContainsKey(name) ? name : Catalog.FamilyOf(scenarios[0]);

    static void PrintRow(HuntResult r, string family, Expected? expected)
    {
        var b = r.Bug;
        Console.WriteLine($"{r.Variant.Name,-11} {family,-16} {Json.ExpectedName(expected),-8} {(b is null ? "none" : "bug"),-8} {(b is null ? "-" : BugKinds.Name(b.Outcome.Kind)),-16} " +
                          $"{r.Seconds,8:F3} {r.Executions,10} {(b is null ? "-" : b.Steps.Count.ToString()),5} {(b is null ? "-" : b.Preemptions.ToString()),7}  {b?.Scenario.Name ?? ""}");
        foreach (var f in r.BeyondHistory)
            Console.WriteLine($"{"",-11} {"",-16} beyond history: {BugKinds.Name(f.Outcome.Kind)} in {f.Scenario.Name} ({f.Steps.Count} steps, {f.Preemptions} preemptions)");
    }

    static void PrintTraces(HuntResult r, string family, ulong seed)
    {
        foreach (var f in (r.Bug is null ? r.BeyondHistory : r.BeyondHistory.Prepend(r.Bug)))
        {
            Console.WriteLine();
            Console.WriteLine($"== {r.Variant.Name} / {family} / {f.Scenario.Name}: {BugKinds.Name(f.Outcome.Kind)}{(f == r.Bug ? "" : " (beyond history)")}, {f.Steps.Count} steps, {f.Preemptions} preemption(s)");
            Console.WriteLine(f.Scenario.Description);
            Console.WriteLine();
            Console.Write(f.Trace);
            Console.WriteLine($"replay: dotnet run --project fuzz -c Release -- hunt --variant {r.Variant.Name} --scenario {f.Scenario.Name} --seed {seed}");
        }
    }

    static List<string> WriteFindings(string dir, Variant v, HuntResult r, string strategy, IReadOnlySet<BugKind> ignore)
    {
        var written = new List<string>();
        foreach (var f in (r.Bug is null ? r.BeyondHistory : r.BeyondHistory.Prepend(r.Bug)))
        {
            var file = new ScheduleFile(v.Name, f.Scenario.Name, f.Outcome.Kind, f.Steps, [])
            {
                OraclesOff = ignore,
                Spec = f.Scenario,
                Shows = f.Scenario.Description,
                FoundBy = $"mmfuzz hunt ({strategy}, execution seed {f.Seed}), minimized to {f.Preemptions} preemption(s){(f.ProvenMinimal ? ", proven minimal" : "")}",
                Upstream = v.History,
                Message = f.Outcome.Message,
            };
            written.Add(RegressionWriter.Write(dir, file, $"{v.Name}-{f.Scenario.Name}"));
        }
        return written;
    }

    static int Replay(Options o)
    {
        o.Allow("json");
        var path = o.Positional.FirstOrDefault() ?? throw new UsageException("replay needs a FILE");
        if (!File.Exists(path))
            throw new UsageException($"no such file: {path}");
        ScheduleFile file;
        try
        {
            file = ScheduleFile.Parse(File.ReadAllText(path), path);
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"mmfuzz: {e.Message}");
            return 2;
        }
        var variant = Variants.Find(file.Variant)!;
        var scenario = file.ResolveScenario();
        using var world = new World(variant, scenario);
        world.Machine.Suppressed = file.OraclesOff;
        var sw = Stopwatch.StartNew();
        Finding f;
        try
        {
            f = Hunter.Render(world, new ReplayStrategy(file.Steps), 0);
        }
        catch (ReplayDivergedException e)
        {
            Console.Error.WriteLine($"mmfuzz: {path}: replay diverged at {e.Message}");
            return 1;
        }
        bool matches = f.Outcome.Kind == file.Expect && (file.Expect != BugKind.None || f.Outcome.Verdict == Verdict.Ok);
        if (o.Flag("json"))
            Console.WriteLine(Json.Replay(variant, f, sw.Elapsed.TotalSeconds, file.Expect));
        else
        {
            Console.WriteLine($"== {variant.Name} / {scenario.Name}: {BugKinds.Name(f.Outcome.Kind)} (expected {BugKinds.Name(file.Expect)}), {f.Steps.Count} steps, {f.Preemptions} preemption(s)");
            Console.WriteLine();
            Console.Write(f.Trace);
        }
        return matches ? 0 : 1;
    }
}

/// <summary>A command-line error: printed with the usage, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
