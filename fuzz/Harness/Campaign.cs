using System.CommandLine;
using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Cli.Harness;

/// <summary>The options every fuzzer verb shares: what a campaign reports as a crash (<see cref="CampaignConfig"/>).</summary>
sealed class Campaign
{
    readonly Option<Variant?> variant;
    readonly Option<HashSet<BugKind>> ignore = Opt.Ignore();
    readonly Option<string> beyond = Opt.OneOf("--beyond-history", "", "on: the kinds beyond history crash too (default off, or MMFUZZ_BEYOND_HISTORY)", "on", "off");
    readonly Option<string> interleaving = Opt.OneOf("--interleaving", "", "off: no interleaving features in the coverage map (default on, or MMFUZZ_INTERLEAVING)", "on", "off");
    readonly CSourceOptions csource = new();

    public Campaign(bool required) =>
        variant = Opt.OneVariant("--variant", required, "the kernel state under test" + (required ? "" : " (or MMFUZZ_VARIANT)"));

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public Campaign AddTo(Command command)
    {
        command.Add(variant);
        command.Add(ignore);
        command.Add(beyond);
        command.Add(interleaving);
        csource.AddTo(command);
        return this;
    }

    /// <summary>The configuration: the options given (a state from C, with --kernel-tree or --c), else the environment.</summary>
    public CampaignConfig Read(ParseResult p) => CampaignConfig.From(
        FromC(p) ?? p.GetValue(variant),
        p.GetResult(ignore) is { Implicit: false } ? p.GetValue(ignore) : null,
        p.GetValue(beyond) switch { "on" => true, "off" => false, _ => null },
        p.GetValue(interleaving) switch { "on" => true, "off" => false, _ => null });

    Variant? FromC(ParseResult p)
    {
        if (csource.Given(p) && p.GetValue(variant) is not null)
            throw new UsageException("--variant and --kernel-tree/--c: give one of them");
        return csource.Load(p);
    }
}
