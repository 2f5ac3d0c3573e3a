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
/// <param name="Run">Runs it: a variant, the catalog scenarios (null: generated), the options.</param>
public sealed record HuntStrategy(string Name, string Description, bool Generates, (double Generated, double Named) DefaultSeconds,
    Func<Variant, IReadOnlyList<Scenario>?, HuntOptions, HuntResult> Run)
{
    /// <summary>
    /// Scenarios and schedules generated from one choice stream, each bug shrunk and minimized (the
    /// default); with scenarios named, only their schedules are generated.
    /// </summary>
    public static readonly HuntStrategy Generate = new("generate",
        "scenarios and schedules from one choice stream (FsCheck's and the fuzzers' decoder), each bug shrunk and minimized", true, (5, 10),
        (v, scenarios, o) => GenerationHunter.Hunt(v, scenarios, o.Budget, o.Seed, o.Ignored, o.Progress));

    /// <summary>A uniform random walk over the catalog scenarios.</summary>
    public static readonly HuntStrategy Random = new("random", "a seeded uniform random walk over the catalog scenarios", false, (3, 10),
        (v, scenarios, o) => Hunter.Hunt(v, scenarios!, o.Budget, o.Seed, o.Ignored, s => new RandomStrategy(s)));

    /// <summary>PCT (Burckhardt et al., ASPLOS 2010) with depth d over the catalog scenarios.</summary>
    public static readonly HuntStrategy Pct = new("pct", "PCT with depth d over the catalog scenarios", false, (3, 10),
        (v, scenarios, o) => Hunter.Hunt(v, scenarios!, o.Budget, o.Seed, o.Ignored, s => new PctStrategy(s, o.Depth)));

    /// <summary>Bounded exhaustive search of each catalog scenario at k preemptions.</summary>
    public static readonly HuntStrategy Exhaustive = new("exhaustive", "bounded exhaustive search of each catalog scenario at k preemptions", false, (3, 10),
        (v, scenarios, o) => Verifier.Hunt(v, scenarios!, o.Preemptions, o.Budget, o.Ignored));

    /// <summary>Every hunt, the default first.</summary>
    public static readonly IReadOnlyList<HuntStrategy> All = [Generate, Random, Pct, Exhaustive];

    /// <summary>A hunt by name (<c>fscheck</c> is an alias of <c>generate</c>), or null.</summary>
    public static HuntStrategy? Find(string name) => name == "fscheck" ? Generate : All.FirstOrDefault(s => s.Name == name);
}
