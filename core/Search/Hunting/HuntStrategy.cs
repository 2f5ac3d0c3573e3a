using System.Diagnostics;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;

namespace MmFuzz.Search;

/// <summary>
/// A hunt a user can name (<c>hunt --strategy NAME</c>). Every name is defined here and nowhere
/// else, as Coyote maps its exploration strategies to their command-line names in one place.
/// </summary>
/// <param name="Name">The stable lowercase name.</param>
/// <param name="Description">What it does, in one line.</param>
/// <param name="Generates">Whether it generates scenarios when none are named (else it hunts every catalog family).</param>
/// <param name="DefaultSeconds">Its time per variant and family when the user gives none, without and with <c>--scenario</c>.</param>
/// <param name="RunOne">Runs it on one worker: a variant, the catalog scenarios (null: generated), the options (one job), the worker's index and the number of workers.</param>
public sealed record HuntStrategy(string Name, string Description, bool Generates, (double Generated, double Named) DefaultSeconds,
    Func<Variant, IReadOnlyList<Scenario>?, HuntOptions, int, int, HuntResult> RunOne)
{
    /// <summary>
    /// The default: a portfolio on every core of the generating hunt and the small-scope exhaustive
    /// search (<see cref="PortfolioHunt"/>), to the end of the budget.
    /// </summary>
    public static readonly HuntStrategy Default = new("default",
        "on every core: generated swarm scenarios and schedules for a third of the budget, then every small scenario exhaustively at 1, then 2 preemptions, then generation again",
        true, (30, 30), (v, scenarios, o, _, _) => PortfolioHunt.Hunt(v, scenarios, o));

    /// <summary>
    /// Scenarios and schedules generated from one choice stream, each bug shrunk and minimized; with
    /// scenarios named, only their schedules are generated.
    /// </summary>
    public static readonly HuntStrategy Generate = new("generate",
        "scenarios and schedules from one choice stream (FsCheck's and the fuzzers' decoder), each bug shrunk and minimized", true, (5, 10),
        (v, scenarios, o, w, _) => GenerationHunter.Hunt(v, scenarios, o.Budget, o.Seed, o.Ignored, w == 0 ? o.Progress : null, o.KeepGoing, o.Baseline));

    /// <summary>A uniform random walk over the catalog scenarios.</summary>
    public static readonly HuntStrategy Random = new("random", "a seeded uniform random walk over the catalog scenarios", false, (3, 10),
        (v, scenarios, o, _, _) => Hunter.Hunt(v, scenarios!, o.Budget, o.Seed, o.Ignored, s => new RandomStrategy(s), o.KeepGoing, o.Baseline));

    /// <summary>PCT (Burckhardt et al., ASPLOS 2010) with depth d over the catalog scenarios.</summary>
    public static readonly HuntStrategy Pct = new("pct", "PCT with depth d over the catalog scenarios", false, (3, 10),
        (v, scenarios, o, _, _) => Hunter.Hunt(v, scenarios!, o.Budget, o.Seed, o.Ignored, s => new PctStrategy(s, o.Depth), o.KeepGoing, o.Baseline));

    /// <summary>Bounded exhaustive search of each catalog scenario at k preemptions (the workers share the scenarios out).</summary>
    public static readonly HuntStrategy Exhaustive = new("exhaustive", "bounded exhaustive search of each catalog scenario at k preemptions", false, (3, 10),
        (v, scenarios, o, w, n) => Verifier.Hunt(v, [.. scenarios!.Where((_, i) => i % n == w)], o.Preemptions, o.Budget, o.Ignored, o.KeepGoing, o.Baseline));

    /// <summary>Every hunt, the default first.</summary>
    public static readonly IReadOnlyList<HuntStrategy> All = [Default, Generate, Random, Pct, Exhaustive];

    /// <summary>A hunt by name (<c>fscheck</c> is an alias of <c>generate</c>), or null.</summary>
    public static HuntStrategy? Find(string name) => name == "fscheck" ? Generate : All.FirstOrDefault(s => s.Name == name);

    /// <summary>
    /// Runs the hunt on <see cref="HuntOptions.Jobs"/> workers (the portfolio shares its workers out
    /// itself): each worker gets a seed of its own and its share of an execution budget; the findings
    /// are merged by <see cref="BugSignature"/> in worker order. Without <see cref="HuntOptions.KeepGoing"/>,
    /// the first bug of a kind history records on any worker stops them all.
    /// </summary>
    public HuntResult Run(Variant variant, IReadOnlyList<Scenario>? scenarios, HuntOptions options)
    {
        int jobs = Math.Max(1, options.Jobs);
        if (this == Default || jobs == 1)
            return RunOne(variant, scenarios, options, 0, 1);
        var sw = Stopwatch.StartNew();
        using var first = CancellationTokenSource.CreateLinkedTokenSource(options.Budget.Cancel);
        var results = Workers.Run(jobs, w =>
        {
            long share = options.Budget.Executions == long.MaxValue ? long.MaxValue : options.Budget.Executions / jobs + (w < options.Budget.Executions % jobs ? 1 : 0);
            var mine = options with
            {
                Seed = options.Seed + (ulong)w * 0x9E3779B97F4A7C15UL,
                Budget = options.Budget with { Executions = share, Cancel = first.Token },
                Jobs = 1,
            };
            var r = RunOne(variant, scenarios, mine, w, jobs);
            if (!options.KeepGoing && r.NewBug is not null)
                first.Cancel();
            return r;
        });
        var merged = new HuntFindings(options.Ignored, keepGoing: true, options.Baseline);
        foreach (var r in results)
            merged.AddAll(r.Findings, r.Comparisons);
        return merged.Result(variant, results.Sum(r => r.Executions), sw.Elapsed.TotalSeconds, results.Select(r => r.Shrink).FirstOrDefault(s => s is not null));
    }
}
