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
          hunt    --variant NAME[,NAME]|all [--scenario NAME|FAMILY|all] [--strategy default|generate|random|pct|exhaustive] [--depth D] [--preemptions K]
                  [--seed N] [--time-budget SECONDS] [--executions N] [--jobs N] [--first] [--baseline NAME] [--ignore KIND[,KIND]]
                  [--out DIR] [--json] [--format text|mail] [--html FILE]
                                                     keeps going to the budget and reports every distinct bug (--first: stops at the first);
                                                     --baseline: says of each whether NAME shows it too
          verify  --variant NAME[,NAME]|all [--scenario NAME|FAMILY|all] [--preemptions K] [--executions N] [--jobs N]
                  [--time-budget SECONDS] [--ignore KIND[,KIND]] [--reduction] [--baseline NAME] [--json]
                                                     bounded exhaustive search: every schedule with at most K preemptions
          verify  --small-scope --variant NAME[,NAME]|all [--cpus C] [--folios F] [--ops-per-cpu N] [--ops N] [--preemptions K]
                  [--jobs N] [--time-budget SECONDS] [--ignore KIND[,KIND]] [--baseline NAME] [--out DIR] [--json]
                                                     every scenario up to the bound (3 CPUs, 3 folios, 2 operations besides the scan),
                                                     each exhaustively at K preemptions with sleep sets
          replay  FILE [--json] [--format text|mail] [--html FILE]
                                                     replay a recorded schedule and print its trace
          minimize FILE [-o FILE|DIR | --in-place] [--format text|mail] [--html FILE] [--json]
                                                     shrink a recorded failing schedule (fewest preemptions, then fewest steps);
                                                     writes a new regression next to FILE unless -o names a new file or a folder
          bench   [--variant NAME] [--scenario NAME] [--seconds S] [--only throughput|shrink|shape|scaling] [--json]
          bench   --only zoo [--strategy NAME[,NAME]|all] [--mutant NAME[,NAME]] [--seconds S] [--jobs N] [--seed N] [--json]
                                                     how fast each strategy finds each zoo mutant's bug
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

    static HashSet<BugKind> ParseKinds(string? list)
    {
        var kinds = new HashSet<BugKind>();
        foreach (var k in (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            kinds.Add(BugKinds.Parse(k) ?? throw new UsageException($"unknown bug kind '{k}' (valid: {string.Join(", ", BugKinds.All.Select(BugKinds.Name))})"));
        return kinds;
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
