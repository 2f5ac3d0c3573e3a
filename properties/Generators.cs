using FsCheck;
using FsCheck.Fluent;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Search;
using MmFuzz.Schedules;
using MmFuzz.Strategies;

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
    /// One choice byte, distributed as <see cref="ChoiceBytes.Next"/>: 0 half the time (no preemption,
    /// the decoder's simplest choice), 1–3 a quarter (a switch; small counts), any byte otherwise.
    /// </summary>
    public static Gen<byte> ChoiceByte { get; } = Gen.Frequency(
        (2, Gen.Constant((byte)0)),
        (1, Gen.Choose(1, 3).Select(b => (byte)b)),
        (1, Gen.Choose(0, 255).Select(b => (byte)b)));

    /// <summary>A choice buffer of up to FsCheck's size (at most <see cref="ChoiceBytes.MaxLength"/>) bytes.</summary>
    public static Gen<byte[]> ChoiceBuffer { get; } = Gen.Sized(size =>
        from n in Gen.Choose(0, Math.Min(size, ChoiceBytes.MaxLength))
        from bytes in ChoiceByte.ArrayOf(n)
        select bytes);

    /// <summary>
    /// Decoded cases whose scenario satisfies <paramref name="keep"/>, shrinking structurally and on
    /// the schedule with <see cref="Shrinker.Candidates"/> (candidates that break <paramref name="keep"/> are skipped).
    /// </summary>
    public static Arbitrary<ChoiceCase> Cases(Func<Scenario, bool> keep) =>
        Arb.From(ChoiceBuffer.Select(ChoiceCase.Decode).Where(c => keep(c.Scenario)),
                 c => Shrinker.Candidates(c).Where(s => keep(s.Scenario)));

    /// <summary>Every generated case.</summary>
    public static Arbitrary<ChoiceCase> AllCases { get; } = Cases(_ => true);

    /// <summary>
    /// Writes <paramref name="c"/>'s run under <paramref name="variant"/> as a regression file in the
    /// temp folder and returns the command that replays it.
    /// </summary>
    public static string ReplayCommand(Variant variant, ChoiceCase c, string foundBy)
    {
        using var world = new Simulation(variant, c.Scenario);
        var f = Minimizer.Replay(world, new ChoiceStreamStrategy(new ChoiceStream(c.Schedule)), 0);
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
    public static Engine.Outcome Run(Variant variant, ChoiceCase c) => Shrinker.Run(variant, c, new HashSet<BugKind>());
}
