using System.Text.RegularExpressions;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Search;
using MmFuzz.Schedules;
using MmFuzz.Strategies;

namespace MmFuzz.Cli.Harness;

/// <summary>
/// Turns a fuzzer's crash directory into minimized regression files: replays each crash input with
/// the campaign's configuration, groups by bug kind and location, minimizes the shortest input of each
/// group with <see cref="Minimizer.Minimize"/>, and writes one file per group with <see cref="RegressionWriter"/>.
/// </summary>
public static class Triage
{
    /// <summary>
    /// The crash inputs under <paramref name="dir"/>: AFL++'s <c>*/crashes/id:*</c> and libFuzzer's
    /// <c>crash-*</c> anywhere below it; only when there are none of either (and no <c>crashes</c>
    /// directory), every file directly in it, so a hand-made directory of inputs works too.
    /// </summary>
    public static List<string> CrashInputs(string dir)
    {
        var marked = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Where(p => Path.GetFileName(p) is var name && name != "README.txt"
                        && (Path.GetFileName(Path.GetDirectoryName(p)) == "crashes" || name.StartsWith("crash-")))
            .Order(StringComparer.Ordinal).ToList();
        if (marked.Count > 0 || Directory.EnumerateDirectories(dir, "crashes", SearchOption.AllDirectories).Any())
            return marked;
        return Directory.EnumerateFiles(dir).Where(p => Path.GetFileName(p) is var name && name != "README.txt" && !name.StartsWith('.'))
            .Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The grouping key's location: the message's first line without addresses, numbers, symbol maps
    /// and instance names, as a hunt's <see cref="BugSignature"/> has it, so that the same oracle at
    /// the same place groups across scenarios.
    /// </summary>
    public static string LocationOf(string message) => BugSignature.LocationOf(message);

    /// <summary>Which fuzzer wrote <paramref name="dir"/>: AFL++ leaves <c>fuzzer_stats</c>, libFuzzer names its crashes <c>crash-*</c>.</summary>
    public static string FuzzerOf(string dir) =>
        Directory.EnumerateFiles(dir, "fuzzer_stats", SearchOption.AllDirectories).Any() ? "AFL++"
        : Directory.EnumerateFiles(dir, "crash-*", SearchOption.AllDirectories).Any() ? "libFuzzer"
        : "a fuzzer";

    /// <summary>The campaign's name: the directory's name, or its parent's when it is a <c>crashes</c> directory (libfuzzer.sh's DIR/crashes).</summary>
    public static string CampaignOf(string crashDir)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(crashDir));
        return Path.GetFileName(full) == "crashes" && Path.GetDirectoryName(full) is { } parent ? Path.GetFileName(parent) : Path.GetFileName(full);
    }

    /// <summary>Triages <paramref name="crashDir"/> for <paramref name="config"/>, writing regressions to <paramref name="outDir"/>.</summary>
    /// <param name="crashDir">The fuzzer's output (or crash) directory.</param>
    /// <param name="config">The campaign's configuration (variant, oracles off, beyond-history kinds).</param>
    /// <param name="outDir">Where the regression files go (created if missing; never overwritten).</param>
    /// <param name="fuzzer">The fuzzer's name for "found by"; detected from the directory when null.</param>
    /// <param name="campaign">The campaign's name for "found by"; the directory's name when null.</param>
    public static TriageResult Run(string crashDir, CampaignConfig config, string outDir, string? fuzzer = null, string? campaign = null)
    {
        fuzzer ??= FuzzerOf(crashDir);
        campaign ??= CampaignOf(crashDir);
        var target = new FuzzTarget(config with { Interleaving = false });
        var groups = new Dictionary<(BugKind, string), List<(string Path, byte[] Data)>>();
        var errors = new Dictionary<string, List<string>>();
        var firstError = new Dictionary<string, string>();
        var clean = new List<string>();
        foreach (var path in CrashInputs(crashDir))
        {
            var data = File.ReadAllBytes(path);
            var o = target.Run(data);
            if (o.Verdict == Verdict.HarnessError)
            {
                var key = LocationOf(o.Message);
                (errors.TryGetValue(key, out var l) ? l : errors[key] = new()).Add(path);
                firstError.TryAdd(key, o.Message.Split('\n')[0]);
            }
            else if (target.IsCrash(o))
            {
                var key = (o.Kind, LocationOf(o.Message));
                (groups.TryGetValue(key, out var l) ? l : groups[key] = new()).Add((path, data));
            }
            else
                clean.Add(path);
        }

        var result = new List<TriageGroup>();
        foreach (var ((kind, location), inputs) in groups.OrderBy(g => BugKinds.Name(g.Key.Item1), StringComparer.Ordinal).ThenBy(g => g.Key.Item2, StringComparer.Ordinal))
        {
            var (path, data) = inputs.OrderBy(i => i.Data.Length).ThenBy(i => i.Path, StringComparer.Ordinal).First();
            var c = ChoiceCase.Decode(data);
            using var world = new Simulation(config.Variant, c.Scenario, config.OraclesOff);
            ChoiceRun.Run(world, c, out _);
            var finding = Minimizer.Minimize(world, world.Machine.Choices.ToArray(), kind, 0);
            var file = new ScheduleFile(config.Variant.Name, "generated", finding.Outcome.Kind, finding.Steps, [])
            {
                OraclesOff = config.OraclesOff,
                Spec = c.Scenario,
                Shows = c.Scenario.Description,
                FoundBy = $"{fuzzer} campaign {campaign} (input {Path.GetFileName(path)}, {inputs.Count} crash input(s) in this group), " +
                          $"minimized to {finding.Preemptions} preemption(s){(finding.ProvenMinimal ? ", proven minimal" : "")}",
                Upstream = History.Of(config.Variant)?.Source ?? "",
                Message = finding.Outcome.Message,
            };
            var written = RegressionWriter.Write(outDir, file, $"{config.Variant.Name}-fuzz-{BugKinds.Name(kind)}");
            result.Add(new TriageGroup(kind, location, inputs.Select(i => i.Path).ToList(), written, finding, Reports.BugText.Title(finding.Outcome.Message)));
        }
        var harness = errors.Select(e => new TriageGroup(BugKind.None, e.Key, e.Value, null, null, firstError[e.Key])).ToList();
        return new TriageResult(result, harness, clean);
    }
}
