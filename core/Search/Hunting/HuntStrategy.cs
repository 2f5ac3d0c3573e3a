using MmFuzz.Kernel;
using MmFuzz.Scenarios;

namespace MmFuzz.Search;

/// <summary>
/// A hunt a user can name (<c>hunt --strategy NAME</c>). Every name is defined here and nowhere
/// else, as Coyote maps its exploration strategies to their command-line names in one place.
/// </summary>
/// <param name="Name">The stable lowercase name.</param>
/// <param name="Description">What it does, in one line.</param>
/// <param name="Generates">Whether it generates scenarios when none are named (else it hunts every catalog family).</param>
/// <param name="DefaultSeconds">Its time per variant and family when the user gives none, without and with <c>--scenario</c>.</param>
/// <param name="Hunt">The hunt, on one worker (or, with <paramref name="OwnWorkers"/>, on all).</param>
/// <param name="OwnWorkers">Whether the hunt shares its workers out itself (the portfolio) rather than through <see cref="SharedHunt"/>.</param>
public sealed record HuntStrategy(string Name, string Description, bool Generates, (double Generated, double Named) DefaultSeconds, HuntFunction Hunt,
    bool OwnWorkers = false)
{
    /// <summary>
    /// The default: a portfolio on every core of the generating hunt and the small-scope exhaustive
    /// search (<see cref="PortfolioHunt"/>), to the end of the budget.
    /// </summary>
    public static readonly HuntStrategy Default = new("default",
        "on every core: generated swarm scenarios and schedules, steered by coverage, for half the budget, then every small scenario exhaustively at 1, then 2 preemptions, then generation again",
        true, (30, 30), PortfolioHunt.Hunt, OwnWorkers: true);

    /// <summary>
    /// Scenarios and schedules generated from one choice stream, each bug shrunk and minimized; with
    /// scenarios named, only their schedules are generated.
    /// </summary>
    public static readonly HuntStrategy Generate = new("generate",
        "scenarios and schedules from one choice stream (FsCheck's and the fuzzers' decoder), each bug shrunk and minimized", true, (5, 10), GenerationHunter.Hunt);

    /// <summary>A uniform random walk over the catalog scenarios.</summary>
    public static readonly HuntStrategy Random = new("random", "a seeded uniform random walk over the catalog scenarios", false, (3, 10), Hunter.Random);

    /// <summary>PCT (Burckhardt et al., ASPLOS 2010) with depth d over the catalog scenarios.</summary>
    public static readonly HuntStrategy Pct = new("pct", "PCT with depth d over the catalog scenarios", false, (3, 10), Hunter.Pct);

    /// <summary>Bounded exhaustive search of each catalog scenario at k preemptions (the workers share the scenarios out).</summary>
    public static readonly HuntStrategy Exhaustive = new("exhaustive", "bounded exhaustive search of each catalog scenario at k preemptions", false, (3, 10), Verifier.Hunt);

    /// <summary>Every hunt, the default first.</summary>
    public static readonly IReadOnlyList<HuntStrategy> All = [Default, Generate, Random, Pct, Exhaustive];

    /// <summary>A hunt by name (<c>fscheck</c> is an alias of <c>generate</c>), or null.</summary>
    public static HuntStrategy? Find(string name) => name == "fscheck" ? Generate : All.FirstOrDefault(s => s.Name == name);

    /// <summary>
    /// Runs the hunt on <see cref="HuntOptions.Jobs"/> workers: through <see cref="SharedHunt"/>, or
    /// by itself when it shares its workers out itself; on one worker of an unsharded hunt, as it is (a
    /// shard's one worker still takes its slot among every shard's).
    /// </summary>
    public HuntResult Run(Variant variant, IReadOnlyList<Scenario>? scenarios, HuntOptions options) =>
        OwnWorkers || options.Jobs <= 1 && options.Shard.IsWhole ? Hunt(variant, scenarios, options) : SharedHunt.Run(variant, options, mine => Hunt(variant, scenarios, mine));
}
