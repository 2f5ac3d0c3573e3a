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
    public static CampaignConfig From(Variant? variant, IReadOnlySet<BugKind>? ignore, bool? beyondHistory, bool? interleaving)
    {
        static string? env(string name) => Environment.GetEnvironmentVariable(name);
        if (variant is null)
        {
            var name = env("MMFUZZ_VARIANT") ?? throw new UsageException("--variant is required (or MMFUZZ_VARIANT)");
            variant = Variants.Find(name)
                ?? throw new UsageException($"MMFUZZ_VARIANT: unknown variant '{Cli.Escape(name)}' (valid: {string.Join(", ", Variants.All.Select(v => v.Name))})");
        }
        if (ignore is null)
        {
            var kinds = new HashSet<BugKind>();
            foreach (var k in (env("MMFUZZ_IGNORE") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
                kinds.Add(BugKinds.Parse(k) ?? throw new UsageException($"MMFUZZ_IGNORE: unknown bug kind '{Cli.Escape(k)}' (valid: {string.Join(", ", BugKinds.All.Select(BugKinds.Name))})"));
            ignore = kinds;
        }
        bool beyond = beyondHistory ?? env("MMFUZZ_BEYOND_HISTORY") is "1" or "on" or "true";
        bool features = interleaving ?? env("MMFUZZ_INTERLEAVING") is not ("0" or "off" or "false");
        return new CampaignConfig(variant, beyond, ignore, features);
    }
}
