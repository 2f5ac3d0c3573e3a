using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;
using MmFuzz.Search;
using MmFuzz.Schedules;
using MmFuzz.Strategies;

namespace MmFuzz.Cli.Harness;

/// <summary>What a campaign reports as a crash, fixed for the whole campaign.</summary>
/// <param name="Variant">The kernel state under test.</param>
/// <param name="BeyondHistory">Whether the kinds of <see cref="History.BeyondHistoryKinds"/> crash too (off by default: every state shows them).</param>
/// <param name="OraclesOff">Oracles turned off (as <c>hunt --ignore</c>).</param>
/// <param name="Interleaving">Whether the interleaving features go into SharpFuzz's coverage map.</param>
public sealed record CampaignConfig(Variant Variant, bool BeyondHistory, IReadOnlySet<BugKind> OraclesOff, bool Interleaving)
{
    /// <summary>
    /// The configuration from the command line, falling back to the environment (<c>MMFUZZ_VARIANT</c>,
    /// <c>MMFUZZ_BEYOND_HISTORY=1</c>, <c>MMFUZZ_IGNORE=kind,kind</c>, <c>MMFUZZ_INTERLEAVING=0</c>),
    /// so that a fuzzer can fix it either way.
    /// </summary>
    public static CampaignConfig From(Options o)
    {
        var name = o.Get("variant") ?? Environment.GetEnvironmentVariable("MMFUZZ_VARIANT")
            ?? throw new UsageException("the fuzz target needs --variant NAME (or MMFUZZ_VARIANT)");
        var variant = Variants.Find(name)
            ?? throw new UsageException($"unknown variant '{name}' (valid: {string.Join(", ", Variants.All.Select(v => v.Name))})");
        var ignore = new HashSet<BugKind>();
        foreach (var k in (o.Get("ignore") ?? Environment.GetEnvironmentVariable("MMFUZZ_IGNORE") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            ignore.Add(BugKinds.Parse(k) ?? throw new UsageException($"unknown bug kind '{k}' (valid: {string.Join(", ", BugKinds.All.Select(BugKinds.Name))})"));
        bool beyond = (o.Get("beyond-history") ?? Environment.GetEnvironmentVariable("MMFUZZ_BEYOND_HISTORY")) is "1" or "on" or "true";
        bool interleaving = (o.Get("interleaving") ?? Environment.GetEnvironmentVariable("MMFUZZ_INTERLEAVING")) is not ("0" or "off" or "false");
        return new CampaignConfig(variant, beyond, ignore, interleaving);
    }
}

/// <summary>A kernel bug the oracles detected: the crash a fuzzer is looking for.</summary>
public sealed class KernelBugException(BugKind kind, string message) : Exception(message)
{
    /// <summary>The bug kind.</summary>
    public BugKind Kind { get; } = kind;
}

/// <summary>
/// An exception inside the simulator (<see cref="Verdict.HarnessError"/>): a bug of MmFuzz, never of
/// the kernel. A distinct crash class, so that triage reports it loudly instead of filing it as a kernel bug.
/// </summary>
public sealed class SimulatorBugException(string message) : Exception(message);

/// <summary>
/// The fuzz target: bytes → <see cref="ScenarioDecoder"/> → scenario + <see cref="ChoiceStreamStrategy"/>
/// schedule → one run of the campaign's variant → an exception when an oracle fires.
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
        var scenario = ScenarioDecoder.Decode(data, out int consumed);
        Simulation world;
        try
        {
            world = new Simulation(config.Variant, scenario, config.OraclesOff);
        }
        catch (Exception e)
        {
            return new Outcome(Verdict.HarnessError, BugKind.None, $"world construction failed (a bug of MmFuzz): {e}", 0, 0);
        }
        using (world)
        {
            if (coverage is not null && coverage.Attach(world))
                world.Machine.Observer = coverage;
            return world.Run(new ChoiceStreamStrategy(new ChoiceStream(data, consumed)));
        }
    }

    /// <summary>Whether an outcome is a crash of this campaign.</summary>
    public bool IsCrash(Outcome o) =>
        o.Verdict == Verdict.HarnessError
        || o.Verdict == Verdict.Bug && (config.BeyondHistory || !History.BeyondHistoryKinds.Contains(o.Kind));

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
