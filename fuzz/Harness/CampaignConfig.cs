using MmFuzz.Engine;
using MmFuzz.Kernel;
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
