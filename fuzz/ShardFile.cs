using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Reports;
using MmFuzz.Search;

namespace MmFuzz.Cli;

/// <summary>
/// The summary a shard writes into its <c>--out</c> folder, <c>mmfuzz-shard-I-of-N.json</c>
/// (<see cref="Json.Shard"/>): what it ran (<see cref="Settings"/>, which every shard of one run shares),
/// then per state (and per family, for a hunt) its numbers and every finding with its schedule inline,
/// so <c>mmfuzz merge</c> needs the summaries alone. A small scope's shard lists every scenario's
/// findings before they are combined (<see cref="ScopeFinding"/>), so the merge combines them as one
/// process would have.
/// </summary>
public sealed record ShardSummary
{
    /// <summary>The format's name and version.</summary>
    public const string Magic = "mmfuzz-shard 1";

    /// <summary>Always <see cref="Magic"/>.</summary>
    public required string Format { get; init; }

    /// <summary><c>verify --small-scope</c> or <c>hunt</c>.</summary>
    public required string Verb { get; init; }

    /// <summary>The shard's index.</summary>
    public required int Shard { get; init; }

    /// <summary>The number of shards.</summary>
    public required int Shards { get; init; }

    /// <summary>Everything that must be the same in every shard of one run (states, scope or strategy, seed, budget, ignored kinds, baseline).</summary>
    public required string Settings { get; init; }

    /// <summary>The shard's command line.</summary>
    public required string Command { get; init; }

    /// <summary>The small scope (<c>verify --small-scope</c>), else null.</summary>
    public ShardScope? Scope { get; init; }

    /// <summary>The hunt's strategy (<c>hunt</c>), else null.</summary>
    public string? Strategy { get; init; }

    /// <summary>The hunt's <c>--scenario</c>, or null.</summary>
    public string? Scenario { get; init; }

    /// <summary>The baseline state, or null.</summary>
    public string? Baseline { get; init; }

    /// <summary>The bug kinds set aside (<c>--ignore</c>).</summary>
    public required IReadOnlyList<string> Ignore { get; init; }

    /// <summary>Whether the shard was interrupted (its last row is partial, later ones missing).</summary>
    public required bool Interrupted { get; init; }

    /// <summary>One row per state (and family).</summary>
    public required IReadOnlyList<ShardRow> Rows { get; init; }
}

/// <summary>A small scope as a shard summary records it.</summary>
/// <param name="Name">Its name (<c>--scope</c>), or null when options changed it.</param>
/// <param name="Cpus">CPUs.</param>
/// <param name="Folios">Folios.</param>
/// <param name="OpsPerCpu">Operations per CPU.</param>
/// <param name="Ops">Operations besides the scan.</param>
/// <param name="PreemptionBound">The preemption bound.</param>
/// <param name="Scenarios">The scenarios of the whole scope.</param>
public sealed record ShardScope(string? Name, int Cpus, int Folios, int OpsPerCpu, int Ops, int PreemptionBound, int Scenarios)
{
    /// <summary>The scope itself.</summary>
    public SmallScope.Scope ToScope() => new(Cpus, Folios, OpsPerCpu, Ops, PreemptionBound);
}

/// <summary>One state's (and family's) work in a shard.</summary>
/// <param name="Variant">The state.</param>
/// <param name="Family">The hunt's row (<see cref="HuntTarget.Name"/>), or <c>small scope</c>.</param>
/// <param name="Executions">Executions run.</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="Scenarios">Small scope: scenarios explored to the end or to a bug.</param>
/// <param name="ScenariosInShard">Small scope: the shard's scenarios.</param>
/// <param name="Exhausted">Small scope: whether every scenario of the shard was explored to its bound.</param>
/// <param name="Findings">Every finding (small scope: every scenario's, before they are combined; hunt: the shard's, in its order).</param>
public sealed record ShardRow(string Variant, string Family, long Executions, double Seconds, int Scenarios, int ScenariosInShard, bool Exhausted,
    IReadOnlyList<ShardFinding> Findings);

/// <summary>One finding in a shard summary.</summary>
/// <param name="Scenario">Small scope: the scenario's index in the scope's enumeration; hunt: -1.</param>
/// <param name="Kind">The kind of the execution it was minimized from (<see cref="BugSignature"/>).</param>
/// <param name="Where">That execution's signature's call chain.</param>
/// <param name="Location">That execution's signature's message line.</param>
/// <param name="Seed">The seed of the execution that found it.</param>
/// <param name="ProvenMinimal">Whether its preemptions are proven minimal.</param>
/// <param name="File">The <c>.schedule</c> the shard wrote for it in its folder, or null.</param>
/// <param name="Schedule">The minimized schedule, as a <c>.schedule</c> file's text.</param>
public sealed record ShardFinding(int Scenario, string Kind, string Where, string Location, ulong Seed, bool ProvenMinimal, string? File, string Schedule);

/// <summary>Names, writes and reads shard summaries.</summary>
public static class ShardFile
{
    /// <summary>The summary's file name for <paramref name="shard"/>.</summary>
    public static string Name(Shard shard) => $"mmfuzz-shard-{shard.Index}-of-{shard.Count}.json";

    /// <summary>The pattern of every summary's file name.</summary>
    public const string Pattern = "mmfuzz-shard-*-of-*.json";

    /// <summary>The summary's path in <paramref name="dir"/>, checked before any work: it must not exist (nothing is overwritten).</summary>
    public static string Check(string dir, Shard shard)
    {
        var path = Path.Combine(dir, Name(shard));
        if (File.Exists(path))
            throw new UsageException($"--out: {path} exists: shard {shard} of this folder has run; give each run its own folder (nothing is overwritten)");
        return path;
    }

    /// <summary>Writes <paramref name="summary"/> at <paramref name="path"/> (created anew) and says so on stderr.</summary>
    public static void Write(string path, ShardSummary summary)
    {
        Files.Write("--out", path, Json.Shard(summary) + "\n");
        Console.Error.WriteLine($"wrote {path}  (shard {summary.Shard}/{summary.Shards}; the verdict is the merge's: {Launch.Prefix} merge DIR...)");
    }

    /// <summary>One finding as the summary keeps it.</summary>
    /// <param name="finding">The minimized finding.</param>
    /// <param name="found">The signature of the execution it was minimized from.</param>
    /// <param name="scenario">Its scenario's index in the small scope, or -1.</param>
    /// <param name="file">The file the shard wrote for it, or null.</param>
    /// <param name="foundBy">How it was found, for its schedule.</param>
    public static ShardFinding Finding(Finding finding, BugSignature found, int scenario, string? file, string foundBy) =>
        new(scenario, BugKinds.Name(found.Kind), found.Where, found.Location, finding.Seed, finding.ProvenMinimal, file is null ? null : Path.GetFileName(file),
            Regression.Of(finding, foundBy).Render());

    /// <summary>The summaries <paramref name="paths"/> name (a summary file, or a folder holding one or more), each with its path.</summary>
    public static List<(string Path, ShardSummary Summary)> ReadAll(IEnumerable<string> paths)
    {
        var read = new List<(string, ShardSummary)>();
        foreach (var p in paths)
        {
            var files = Directory.Exists(p) ? Directory.GetFiles(p, Pattern).Order(StringComparer.Ordinal).ToArray() : [p];
            if (files.Length == 0)
                throw new UsageException($"merge: {Cli.Escape(p)}: no shard summary ({Pattern}) in the folder");
            foreach (var f in files)
            {
                var text = System.Text.Encoding.UTF8.GetString(Files.ReadBytes(f));
                read.Add((f, Json.ReadShard(text, f)));
            }
        }
        return read;
    }
}
