using System.Text;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;

namespace MmFuzz.Schedules;

/// <summary>A recorded schedule: which variant and scenario, the expected outcome, and the steps.</summary>
/// <param name="Variant">Variant name.</param>
/// <param name="Scenario">Scenario name: a catalog name, or any name when <see cref="Spec"/> holds the scenario itself.</param>
/// <param name="Expect">Expected bug kind, or <see cref="BugKind.None"/> for "no oracle fires".</param>
/// <param name="Steps">The steps.</param>
/// <param name="Comments">Header comment lines (without the leading '#').</param>
/// <remarks>
/// Format 2 (format 1 files, which name a catalog scenario only, are still read):
/// <code>
/// mmfuzz-schedule 2
/// # free comment lines
/// variant mm-2024-03
/// shows what the regression shows, in one line
/// found-by mmfuzz hunt (pct, execution seed 42), minimized to 0 preemptions, proven minimal
/// upstream 47932e7048df ("mm: ...") or the mail
/// scenario seed-mail-batch
///   folio A ref=2 memcg=memcg1 queue=memcg1 order=2
///   cpu 1: deferred_split_scan(memcg1, nr_to_scan=32)
///   cpu 2: folios_put_refs(A)
/// oracles-off wrong-lock
/// expect list-corruption
/// message list_del corruption. ...
/// steps 2
/// 1 cpu1 store   # anything after '#' on a step line is a note for the reader
/// 2 cpu2 load
/// </code>
/// </remarks>
public sealed record ScheduleFile(string Variant, string Scenario, BugKind Expect, IReadOnlyList<ScheduleStep> Steps, IReadOnlyList<string> Comments)
{
    /// <summary>Oracles turned off when the schedule was found (<c>hunt --ignore</c>); a replay turns them off too.</summary>
    public IReadOnlySet<BugKind> OraclesOff { get; init; } = new HashSet<BugKind>();

    /// <summary>The scenario itself (written inline); null for a format-1 file naming a catalog scenario.</summary>
    public Scenario? Spec { get; init; }

    /// <summary>What the regression shows, in one line.</summary>
    public string? Shows { get; init; }

    /// <summary>Which tool, strategy and seed found it, and how it was minimized.</summary>
    public string? FoundBy { get; init; }

    /// <summary>The upstream commit that fixed it, or the mail that reported it.</summary>
    public string? Upstream { get; init; }

    /// <summary>The oracle's expected message (first line).</summary>
    public string? Message { get; init; }

    /// <summary>Optional note per step, written after '#' on the step's line (the kernel function and action).</summary>
    public IReadOnlyList<string>? StepNotes { get; init; }

    /// <summary>Format version written in the first line.</summary>
    public const string Magic = "mmfuzz-schedule 2";

    const string Magic1 = "mmfuzz-schedule 1";

    /// <summary>The scenario to run: <see cref="Spec"/>, or the catalog scenario of that name.</summary>
    public Scenario ResolveScenario() =>
        Spec ?? Catalog.All.FirstOrDefault(s => s.Name == Scenario) ?? throw new InvalidOperationException($"scenario '{Scenario}' is neither inline nor in the catalog");

    /// <summary>Renders the file text (format 2, with the scenario inline).</summary>
    public string Render()
    {
        var sb = new StringBuilder();
        sb.Append(Magic).Append('\n');
        foreach (var c in Comments)
            sb.Append("# ").Append(c).Append('\n');
        sb.Append("variant ").Append(Variant).Append('\n');
        if (Shows is not null) sb.Append("shows ").Append(OneLine(Shows)).Append('\n');
        if (FoundBy is not null) sb.Append("found-by ").Append(OneLine(FoundBy)).Append('\n');
        if (!string.IsNullOrWhiteSpace(Upstream)) sb.Append("upstream ").Append(OneLine(Upstream)).Append('\n');
        sb.Append("scenario ").Append(Scenario).Append('\n');
        foreach (var line in ScenarioText.Render(ResolveScenario()))
            sb.Append("  ").Append(line).Append('\n');
        if (OraclesOff.Count > 0)
            sb.Append("oracles-off ").Append(string.Join(",", OraclesOff.Select(BugKinds.Name))).Append('\n');
        sb.Append("expect ").Append(BugKinds.Name(Expect)).Append('\n');
        if (Message is not null) sb.Append("message ").Append(OneLine(Message)).Append('\n');
        sb.Append("steps ").Append(Steps.Count).Append('\n');
        for (int i = 0; i < Steps.Count; i++)
        {
            var line = $"{i + 1} cpu{Steps[i].Cpu + 1} {Access.Name(Steps[i].Op)}";
            sb.Append(line);
            if (StepNotes is not null && i < StepNotes.Count && StepNotes[i].Length > 0)
                sb.Append(' ', Math.Max(1, 24 - line.Length)).Append("# ").Append(OneLine(StepNotes[i]));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    static string OneLine(string s) => s.Split('\n')[0].Trim();

    /// <summary>
    /// The scenario's own description inside a <c>shows</c> line: what follows the
    /// "KIND in VARIANT (FAMILY[, beyond history]): " that <c>Reports.Regression</c>
    /// puts before it. Every such prefix is dropped, so re-rendering a file (<c>minimize --in-place</c>)
    /// does not stack them (files written before this fix carry two or three).
    /// </summary>
    internal static string DescriptionOf(string? shows)
    {
        var text = shows ?? "";
        while (ShowsPrefix.Match(text) is { Success: true } m)
            text = text[m.Length..];
        return text;
    }

    static readonly System.Text.RegularExpressions.Regex ShowsPrefix =
        new(@"^[a-z-]+ in [A-Za-z0-9.\-]+ \([a-z-]+(, beyond history)?\): ");

    /// <summary>Parses <paramref name="text"/>; errors name <paramref name="path"/> and the line.</summary>
    public static ScheduleFile Parse(string text, string path)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var first = lines[0].Trim();
        if (first != Magic && first != Magic1)
            throw new FormatException($"{path}:1: expected '{Magic}' as the first line");
        string? variant = null, scenario = null, shows = null, foundBy = null, upstream = null, message = null;
        var scenarioLines = new List<(int, string)>();
        bool inScenario = false;
        BugKind? expect = null;
        int declared = -1;
        var steps = new List<ScheduleStep>();
        var notes = new List<string>();
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
            string Rest() => line[parts[0].Length..].Trim();
            if (inScenario && parts[0] is "folio" or "cpu")
            {
                scenarioLines.Add((lineNo, line));
                continue;
            }
            inScenario = false;
            switch (parts[0])
            {
                case "variant" when parts.Length == 2:
                    variant = Variants.Find(parts[1])?.Name ?? throw new FormatException($"{path}:{lineNo}: unknown variant '{parts[1]}' (valid: {string.Join(", ", Variants.All.Select(v => v.Name))}; a state read from C is known once its --kernel-tree or --c and --base are given)");
                    break;
                case "scenario" when parts.Length == 2:
                    scenario = parts[1];
                    inScenario = true;
                    break;
                case "shows" when parts.Length > 1: shows = Rest(); break;
                case "found-by" when parts.Length > 1: foundBy = Rest(); break;
                case "upstream" when parts.Length > 1: upstream = Rest(); break;
                case "message" when parts.Length > 1: message = Rest(); break;
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
                    int hash = line.IndexOf('#');
                    var note = hash >= 0 ? line[(hash + 1)..].Trim() : "";
                    var step = (hash >= 0 ? line[..hash] : line).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (step.Length == 3 && int.TryParse(step[0], out var index) && step[1].StartsWith("cpu") && int.TryParse(step[1][3..], out var cpu) && cpu >= 1)
                    {
                        if (index != steps.Count + 1)
                            throw new FormatException($"{path}:{lineNo}: step {index} out of order (expected {steps.Count + 1})");
                        if (!Access.TryParse(step[2], out var op))
                            throw new FormatException($"{path}:{lineNo}: unknown scheduling point '{step[2]}'");
                        steps.Add(new ScheduleStep(cpu - 1, op));
                        notes.Add(note);
                        break;
                    }
                    throw new FormatException($"{path}:{lineNo}: cannot read '{line}' (expected 'variant NAME', 'shows TEXT', 'found-by TEXT', 'upstream TEXT', 'scenario NAME' and its folio/cpu lines, 'oracles-off KIND,...', 'expect KIND', 'message TEXT', 'steps N' or 'N cpuK POINT [# note]')");
            }
        }
        if (variant is null) throw new FormatException($"{path}: missing 'variant' line");
        if (scenario is null) throw new FormatException($"{path}: missing 'scenario' line");
        if (expect is null) throw new FormatException($"{path}: missing 'expect' line");
        if (declared != steps.Count) throw new FormatException($"{path}: 'steps {declared}' but {steps.Count} step lines");
        Scenario? spec = null;
        if (scenarioLines.Count > 0)
            spec = ScenarioText.Parse(scenario, DescriptionOf(shows), scenarioLines, path);
        else if (Catalog.All.All(s => s.Name != scenario))
            throw new FormatException($"{path}: scenario '{scenario}' has no folio/cpu lines and is not in the catalog (valid: {string.Join(", ", Catalog.All.Select(s => s.Name))})");
        if (spec is not null)
            for (int i = 0; i < steps.Count; i++)
                if (steps[i].Cpu >= spec.Cpus.Length)
                    throw new FormatException($"{path}: step {i + 1} runs cpu{steps[i].Cpu + 1} but the scenario has {spec.Cpus.Length} CPUs");
        return new ScheduleFile(variant, scenario, expect.Value, steps, comments)
        {
            OraclesOff = off,
            Spec = spec,
            Shows = shows,
            FoundBy = foundBy,
            Upstream = upstream,
            Message = message,
            StepNotes = notes.Any(n => n.Length > 0) ? notes : null,
        };
    }
}
