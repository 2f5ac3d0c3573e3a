using MmFuzz.Kernel;
using MmFuzz.Scenarios;

namespace MmFuzz.Search;

/// <summary>What one row of a hunt searches, and the families history judges it by.</summary>
/// <param name="Name">The row's name: a family, <c>all</c>, or <c>generated</c>.</param>
/// <param name="Families">The families judged together (<see cref="Judge.Of"/>).</param>
/// <param name="Scenarios">The catalog scenarios to hunt in, or null to generate them.</param>
public sealed record HuntTarget(string Name, IReadOnlyList<Family> Families, IReadOnlyList<Scenario>? Scenarios)
{
    /// <summary>
    /// The rows of <paramref name="hunt"/> over the catalog scenarios <paramref name="scenario"/> names
    /// (a scenario, a family or <c>all</c>; a scenario's row is its family's); without one, a generating
    /// hunt has one row over the generated families, the others one row per family.
    /// </summary>
    public static IReadOnlyList<HuntTarget> For(HuntStrategy hunt, string? scenario)
    {
        if (scenario is not null)
        {
            var scenarios = Catalog.Resolve(scenario) ?? throw new ArgumentException($"no catalog scenario or family '{scenario}'", nameof(scenario));
            var families = scenario == "all" ? Family.All : [Family.Find(scenario) ?? Family.Of(scenarios[0])];
            return [new(scenario == "all" ? "all" : families[0].Name, families, scenarios)];
        }
        return hunt.Generates ? [new("generated", Family.Generating, null)] : [.. Family.All.Select(f => new HuntTarget(f.Name, [f], f.Scenarios))];
    }

    /// <summary>History's verdict on what a hunt of this row found.</summary>
    public Judgement Judge(HuntResult result) => Kernel.Judge.Of(History.Of(result.Variant), Families, result.Findings);
}
