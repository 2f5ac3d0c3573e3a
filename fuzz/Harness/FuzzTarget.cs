using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Search;
using MmFuzz.Schedules;
using MmFuzz.Strategies;

namespace MmFuzz.Cli.Harness;

/// <summary>
/// The fuzz target: bytes → <see cref="ScenarioDecoder"/> → scenario + <see cref="ChoiceStreamStrategy"/>
/// schedule (<see cref="ChoiceCase.Decode"/>, <see cref="ChoiceRun.Run(Simulation, ChoiceCase, out int)"/>) → one
/// run of the campaign's variant → an exception when an oracle fires.
/// </summary>
public sealed class FuzzTarget(CampaignConfig config)
{
    readonly InterleavingCoverage? coverage = config.Interleaving ? new InterleavingCoverage() : null;

    /// <summary>The campaign configuration.</summary>
    public CampaignConfig Config => config;

    /// <summary>Interleaving features written into the coverage map so far (0 when off or without a map).</summary>
    public long InterleavingFeatures => coverage?.Features ?? 0;

    /// <summary>Decodes <paramref name="data"/> and runs it once; the outcome, without throwing.</summary>
    public Outcome Run(byte[] data)
    {
        var c = ChoiceCase.Decode(data);
        Simulation world;
        try
        {
            world = new Simulation(config.Variant, c.Scenario, config.OraclesOff);
        }
        catch (Exception e)
        {
            return new Outcome(Verdict.HarnessError, BugKind.None, $"world construction failed (a bug of MmFuzz): {e}", 0, 0);
        }
        using (world)
        {
            if (coverage is not null && coverage.Attach(world))
                world.Machine.Observer = coverage;
            return ChoiceRun.Run(world, c, out _);
        }
    }

    /// <summary>Whether an outcome is a crash of this campaign.</summary>
    public bool IsCrash(Outcome o) =>
        o.Verdict == Verdict.HarnessError
        || o.Verdict == Verdict.Bug && (config.BeyondHistory || !History.IsBeyondHistory(config.Variant, o.Kind));

    /// <summary>Runs <paramref name="data"/>; throws <see cref="KernelBugException"/> or <see cref="SimulatorBugException"/> on a crash.</summary>
    public void Execute(byte[] data)
    {
        var o = Run(data);
        if (!IsCrash(o))
            return;
        if (o.Verdict == Verdict.HarnessError)
            throw new SimulatorBugException($"MMFUZZ HARNESS ERROR (a bug of MmFuzz, not of {config.Variant.Name}): {o.Message}");
        throw new KernelBugException(o.Kind, $"{config.Variant.Name}: {BugKinds.Name(o.Kind)} at step {o.Step} on CPU {o.Cpu}: {o.Message}");
    }
}
