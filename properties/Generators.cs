namespace MmFuzz.Properties;

/// <summary>
/// FsCheck generators and shrinkers over the one choice stream: a test case is a byte buffer that
/// <see cref="ScenarioDecoder"/> turns into a well-formed scenario and <see cref="ChoiceStreamStrategy"/>
/// into its schedule; it shrinks with <see cref="Shrinker.Candidates"/>, the same function the
/// command line's <c>hunt</c> uses without FsCheck.
/// </summary>
public static class Generators
{
    /// <summary>
    /// A choice buffer drawn as the generating hunt draws it (<see cref="ChoiceBytes.Draw"/>: a scenario
    /// prefix, then a few context switches after runs drawn on a log scale), from a seed FsCheck picks.
    /// </summary>
    public static Gen<byte[]> ChoiceBuffer { get; } = Gen.Choose(0, int.MaxValue).Select(seed => ChoiceBytes.Draw(new Random(seed)));

    /// <summary>
    /// Decoded cases whose scenario satisfies <paramref name="keep"/>, shrinking structurally and on
    /// the schedule with <see cref="Shrinker.Candidates"/> (candidates that break <paramref name="keep"/> are skipped).
    /// </summary>
    /// <remarks>
    /// The cases are drawn until one is kept (at most 10,000 draws per case) rather than filtered by
    /// FsCheck, which would give up when few scenarios qualify (migrations are a few percent).
    /// </remarks>
    public static Arbitrary<ChoiceCase> Cases(Func<Scenario, bool> keep) =>
        Arb.From(Gen.Choose(0, int.MaxValue).Select(seed => Draw(new Random(seed), keep)).Where(c => keep(c.Scenario)),
                 c => Shrinker.Candidates(c).Where(s => keep(s.Scenario)));

    static ChoiceCase Draw(Random rng, Func<Scenario, bool> keep)
    {
        var c = ChoiceCase.Decode(ChoiceBytes.Draw(rng));
        for (int i = 0; i < 10_000 && !keep(c.Scenario); i++)
            c = ChoiceCase.Decode(ChoiceBytes.Draw(rng));
        return c;
    }

    /// <summary>Every generated case.</summary>
    public static Arbitrary<ChoiceCase> AllCases { get; } = Cases(_ => true);

    /// <summary>
    /// Writes <paramref name="c"/>'s run under <paramref name="variant"/> as a regression file in the
    /// temp folder and returns the command that replays it.
    /// </summary>
    public static string ReplayCommand(Variant variant, ChoiceCase c, string foundBy)
    {
        var f = ChoiceRun.Replay(variant, c);
        var file = new ScheduleFile(variant.Name, c.Scenario.Name, f.Outcome.Kind, f.Steps, [$"schedule choices (hex): {c.ScheduleHex}"])
        {
            Spec = c.Scenario,
            Shows = c.Scenario.Description,
            FoundBy = foundBy,
            Upstream = History.Of(variant)?.Source ?? "",
            Message = f.Outcome.Message,
        };
        var path = RegressionWriter.Write(Path.Combine(Path.GetTempPath(), "mmfuzz-properties"), file, $"{variant.Name}-{c.Scenario.Name}");
        return $"dotnet run --project fuzz -c Release -- replay {path}";
    }

    /// <summary>Runs <paramref name="c"/> under <paramref name="variant"/> with every oracle on.</summary>
    public static Engine.Outcome Run(Variant variant, ChoiceCase c) => ChoiceRun.Run(variant, c);
}
