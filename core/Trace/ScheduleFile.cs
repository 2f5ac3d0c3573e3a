using System.Text;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;

namespace MmFuzz.Trace;

/// <summary>A recorded schedule: which variant and scenario, the expected outcome, and the steps.</summary>
/// <param name="Variant">Variant name.</param>
/// <param name="Scenario">Scenario name (from the catalog).</param>
/// <param name="Expect">Expected bug kind, or <see cref="BugKind.None"/> for "no oracle fires".</param>
/// <param name="Steps">The steps.</param>
/// <param name="Comments">Header comment lines (without the leading '#').</param>
public sealed record ScheduleFile(string Variant, string Scenario, BugKind Expect, IReadOnlyList<ScheduleStep> Steps, IReadOnlyList<string> Comments)
{
    /// <summary>Oracles turned off when the schedule was found (<c>hunt --ignore</c>); a replay turns them off too.</summary>
    public IReadOnlySet<BugKind> OraclesOff { get; init; } = new HashSet<BugKind>();

    /// <summary>Format version written in the first line.</summary>
    public const string Magic = "mmfuzz-schedule 1";

    /// <summary>Renders the file text.</summary>
    public string Render()
    {
        var sb = new StringBuilder();
        sb.Append(Magic).Append('\n');
        foreach (var c in Comments)
            sb.Append("# ").Append(c).Append('\n');
        sb.Append("variant ").Append(Variant).Append('\n');
        sb.Append("scenario ").Append(Scenario).Append('\n');
        if (OraclesOff.Count > 0)
            sb.Append("oracles-off ").Append(string.Join(",", OraclesOff.Select(BugKinds.Name))).Append('\n');
        sb.Append("expect ").Append(BugKinds.Name(Expect)).Append('\n');
        sb.Append("steps ").Append(Steps.Count).Append('\n');
        for (int i = 0; i < Steps.Count; i++)
            sb.Append(i + 1).Append(" cpu").Append(Steps[i].Cpu + 1).Append(' ').Append(Access.Name(Steps[i].Op)).Append('\n');
        return sb.ToString();
    }

    /// <summary>Parses <paramref name="text"/>; errors name <paramref name="path"/> and the line.</summary>
    public static ScheduleFile Parse(string text, string path)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        if (lines.Length == 0 || lines[0].Trim() != Magic)
            throw new FormatException($"{path}:1: expected '{Magic}' as the first line");
        string? variant = null, scenario = null;
        BugKind? expect = null;
        int declared = -1;
        var steps = new List<ScheduleStep>();
        var comments = new List<string>();
        var off = new HashSet<BugKind>();
        for (int n = 1; n < lines.Length; n++)
        {
            var line = lines[n].Trim();
            int lineNo = n + 1;
            if (line.Length == 0)
                continue;
            if (line.StartsWith('#'))
            {
                comments.Add(line.TrimStart('#').Trim());
                continue;
            }
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (parts[0])
            {
                case "variant" when parts.Length == 2:
                    variant = Variants.Find(parts[1])?.Name ?? throw new FormatException($"{path}:{lineNo}: unknown variant '{parts[1]}' (valid: {string.Join(", ", Variants.All.Select(v => v.Name))})");
                    break;
                case "scenario" when parts.Length == 2:
                    scenario = Catalog.All.FirstOrDefault(s => s.Name == parts[1])?.Name ?? throw new FormatException($"{path}:{lineNo}: unknown scenario '{parts[1]}' (valid: {string.Join(", ", Catalog.All.Select(s => s.Name))})");
                    break;
                case "expect" when parts.Length == 2:
                    expect = BugKinds.Parse(parts[1]) ?? throw new FormatException($"{path}:{lineNo}: unknown bug kind '{parts[1]}' (valid: {string.Join(", ", Enum.GetValues<BugKind>().Select(BugKinds.Name))})");
                    break;
                case "oracles-off" when parts.Length == 2:
                    foreach (var k in parts[1].Split(','))
                        off.Add(BugKinds.Parse(k) ?? throw new FormatException($"{path}:{lineNo}: unknown bug kind '{k}' in oracles-off"));
                    break;
                case "steps" when parts.Length == 2 && int.TryParse(parts[1], out var count):
                    declared = count;
                    break;
                default:
                    if (parts.Length == 3 && int.TryParse(parts[0], out var index) && parts[1].StartsWith("cpu") && int.TryParse(parts[1][3..], out var cpu) && cpu >= 1)
                    {
                        if (index != steps.Count + 1)
                            throw new FormatException($"{path}:{lineNo}: step {index} out of order (expected {steps.Count + 1})");
                        if (!Access.TryParse(parts[2], out var op))
                            throw new FormatException($"{path}:{lineNo}: unknown scheduling point '{parts[2]}'");
                        steps.Add(new ScheduleStep(cpu - 1, op));
                        break;
                    }
                    throw new FormatException($"{path}:{lineNo}: cannot read '{line}' (expected 'variant NAME', 'scenario NAME', 'oracles-off KIND,...', 'expect KIND', 'steps N' or 'N cpuK POINT')");
            }
        }
        if (variant is null) throw new FormatException($"{path}: missing 'variant' line");
        if (scenario is null) throw new FormatException($"{path}: missing 'scenario' line");
        if (expect is null) throw new FormatException($"{path}: missing 'expect' line");
        if (declared != steps.Count) throw new FormatException($"{path}: 'steps {declared}' but {steps.Count} step lines");
        return new ScheduleFile(variant, scenario, expect.Value, steps, comments) { OraclesOff = off };
    }
}
