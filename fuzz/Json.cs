using System.Text.Json;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Reports;
using MmFuzz.Scenarios;
using MmFuzz.Search;

namespace MmFuzz.Cli;

/// <summary>Every JSON the command line writes, one object per line: <c>hunt</c>, <c>verify</c>, <c>replay</c>, <c>minimize</c>, <c>variants</c> and <c>bench</c> with <c>--json</c>.</summary>
public static class Json
{
    /// <summary>"bug", "none" or "unknown".</summary>
    public static string ExpectedName(Expected? e) => e switch { Expected.Bug => "bug", Expected.Safe => "none", _ => "unknown" };

    /// <summary>A hunt result.</summary>
    /// <remarks>Each finding carries its <c>group</c> (<see cref="Race.Key"/>: the kind and the racing accesses) and <c>race</c> (each CPU's function and statement).</remarks>
    public static string Hunt(HuntResult r, string family, Judgement verdict, bool interrupted, IReadOnlyList<(string? File, string Replay)> replays, IReadOnlyList<FoundBug> recorded)
    {
        var b = r.Bug;
        return JsonSerializer.Serialize(new
        {
            variant = r.Variant.Name,
            family,
            expected = ExpectedName(verdict.Expected),
            verdict = b is null ? "none" : "bug",
            as_history = verdict.AsHistory,
            interrupted,
            kind = b is null ? "none" : BugKinds.Name(b.Outcome.Kind),
            message = b?.Outcome.Message ?? "",
            scenario = b?.Scenario.Name ?? "",
            executions = r.Executions,
            seconds = Math.Round(r.Seconds, 4),
            steps = b?.Steps.Count ?? 0,
            preemptions = b?.Preemptions ?? 0,
            beyond_history = r.BeyondHistory.Select(f => new
            {
                kind = BugKinds.Name(f.Outcome.Kind),
                scenario = f.Scenario.Name,
                message = f.Outcome.Message,
                steps = f.Steps.Count,
                preemptions = f.Preemptions,
            }),
            findings = r.All.Select((f, n) => new
            {
                kind = BugKinds.Name(f.Outcome.Kind),
                beyond_history = History.IsBeyondHistory(f.Variant, f.Kind),
                signature = BugSignature.Of(f.Outcome).ToString(),
                scenario = f.Scenario.Description,
                message = f.Outcome.Message,
                steps = f.Steps.Count,
                preemptions = f.Preemptions,
                baseline = r.Comparisons.TryGetValue(f, out var c) ? c.Baseline.Name : null,
                presence = r.Comparisons.TryGetValue(f, out var d) ? PresenceName(d.Presence) : null,
                file = replays[n].File,
                replay = replays[n].Replay,
                trace = recorded[n].TraceFile,
                page = recorded[n].PageFile,
                group = recorded[n].Race.Key,
                race = recorded[n].Race.Sides.Select(s => new { cpu = s.Cpu, function = s.Function, statement = s.Statement, step = s.Step }),
            }),
        });
    }

    /// <summary>
    /// A distinct bug (<see cref="DistinctBug"/>): its kind, group, race, message, why it matters, the
    /// states that show it, and per state the raw findings it stands for with their signatures and files.
    /// </summary>
    public static string Bug(DistinctBug b, IReadOnlyList<DistinctBug> all)
    {
        var r = b.Representative;
        return JsonSerializer.Serialize(new
        {
            bug = b.Number,
            kind = BugKinds.Name(b.Kind),
            group = b.Race.Key,
            words = BugText.Kind(b),
            model_assertion = b.IsModelAssertion,
            kernel_shows = b.KernelShows,
            beyond_history = b.IsBeyondHistory,
            known = b.IsKnown,
            states = b.States.Select(s => s.Name),
            functions = b.Race.Functions,
            accesses = b.Race.Accesses,
            title = BugText.Title(r.Finding.Outcome.Message),
            message = r.Finding.Outcome.Message,
            why = BugText.Why(b, all),
            preemptions = r.Finding.Preemptions,
            cpus = r.Finding.Scenario.Cpus.Length,
            steps = r.Finding.Steps.Count,
            findings = b.Count,
            file = r.File,
            replay = r.Replay,
            groups = b.Groups.Select(g => new
            {
                variant = g.State.Name,
                signatures = g.Signatures,
                findings = g.Members.Select(m => new { scenario = m.Finding.Scenario.Name, file = m.File, trace = m.TraceFile, page = m.PageFile, replay = m.Replay }),
            }),
        });
    }

    /// <summary>A bounded exhaustive search result.</summary>
    public static string Verify(HuntResult r, Scenario scenario, int bound, Expected? expected) => JsonSerializer.Serialize(new
    {
        variant = r.Variant.Name,
        scenario = scenario.Name,
        expected = ExpectedName(expected),
        verdict = r.Bug is null ? "none" : "bug",
        kind = r.Bug is null ? "none" : BugKinds.Name(r.Bug.Outcome.Kind),
        message = r.Bug?.Outcome.Message ?? "",
        executions = r.Executions,
        seconds = Math.Round(r.Seconds, 4),
        preemption_bound = bound,
        exhausted = r.Exhausted,
        preemptions = r.Bug?.Preemptions ?? 0,
        proven_minimal = r.Bug?.ProvenMinimal ?? false,
        beyond_history = r.BeyondHistory.Select(f => new { kind = BugKinds.Name(f.Outcome.Kind), message = f.Outcome.Message, preemptions = f.Preemptions }),
        baseline = r.Bug is { } b && r.Comparisons.TryGetValue(b, out var vs) ? vs.Baseline.Name : null,
        presence = r.Bug is { } c && r.Comparisons.TryGetValue(c, out var ws) ? PresenceName(ws.Presence) : null,
    }, OmitNulls);

    static readonly JsonSerializerOptions OmitNulls = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <summary>"both", "only" or "only-unproven".</summary>
    public static string PresenceName(Presence p) => p switch { Presence.InBoth => "both", Presence.OnlyInVariant => "only", _ => "only-unproven" };

    /// <summary>A small-scope proof.</summary>
    /// <remarks>Each finding carries its <c>group</c> (<see cref="Race.Key"/>) and, when written, its files.</remarks>
    /// <param name="r">The result (of the whole scope, a shard's share, or the shards merged).</param>
    /// <param name="scope">The scope.</param>
    /// <param name="scopeScenarios">The scenarios of the whole scope.</param>
    /// <param name="shard">The shard run (<c>0/1</c> for the whole scope or a merge), shown as <c>shard</c>.</param>
    /// <param name="verdict">The judge's verdict.</param>
    /// <param name="recorded">The findings as recorded.</param>
    public static string Scope(HuntResult r, SmallScope.Scope scope, int scopeScenarios, Shard shard, Judgement verdict, IReadOnlyList<FoundBug> recorded) => JsonSerializer.Serialize(new
    {
        variant = r.Variant.Name,
        mode = "small-scope",
        scope = new { cpus = scope.Cpus, folios = scope.Folios, ops_per_cpu = scope.OpsPerCpu, ops = scope.Ops, preemption_bound = scope.Preemptions },
        shard = shard.ToString(),
        expected = ExpectedName(verdict.Expected),
        verdict = r.Bugs.Count > 0 ? "bug" : "none",
        as_history = verdict.AsHistory,
        scenarios = r.ScenariosExplored,
        scenarios_in_shard = r.ScenariosTotal,
        scenarios_in_scope = scopeScenarios,
        executions = r.Executions,
        seconds = Math.Round(r.Seconds, 3),
        exhausted = r.Exhausted,
        findings = r.Findings.Select(f => new
        {
            kind = BugKinds.Name(f.Kind),
            beyond_history = History.IsBeyondHistory(f.Variant, f.Kind),
            signature = BugSignature.Of(f.Outcome).ToString(),
            scenario = f.Scenario.Description,
            message = f.Outcome.Message,
            steps = f.Steps.Count,
            preemptions = f.Preemptions,
            proven_minimal = f.ProvenMinimal,
            baseline = r.Comparisons.TryGetValue(f, out var c) ? c.Baseline.Name : null,
            presence = r.Comparisons.TryGetValue(f, out var d) ? PresenceName(d.Presence) : null,
            file = recorded.FirstOrDefault(x => x.Finding == f)?.File,
            group = recorded.FirstOrDefault(x => x.Finding == f)?.Race.Key,
        }),
    });

    static readonly JsonSerializerOptions ShardJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>A shard's summary (<see cref="ShardFile"/>), one object.</summary>
    public static string Shard(ShardSummary summary) => JsonSerializer.Serialize(summary, ShardJson);

    /// <summary>Reads a shard's summary; anything else is a one-line <see cref="UsageException"/> naming <paramref name="path"/>.</summary>
    public static ShardSummary ReadShard(string text, string path)
    {
        ShardSummary? s;
        try
        {
            s = JsonSerializer.Deserialize<ShardSummary>(text, ShardJson);
        }
        catch (JsonException e)
        {
            throw new UsageException($"merge: {Cli.Escape(path)}: not a shard summary: {e.Message.Split('\n')[0]}");
        }
        if (s is null || s.Format != ShardSummary.Magic)
            throw new UsageException($"merge: {Cli.Escape(path)}: not a shard summary of this version (format '{Cli.Escape(s?.Format ?? "null")}', expected '{ShardSummary.Magic}')");
        if (s.Shards < 1 || s.Shard < 0 || s.Shard >= s.Shards)
            throw new UsageException($"merge: {Cli.Escape(path)}: shard {s.Shard} of {s.Shards} is not a shard");
        return s;
    }

    /// <summary>A minimization (<c>minimize --json</c>): the file, what was written, and the numbers before and after.</summary>
    public static string Minimize(string file, string? written, bool alreadyMinimal, string replay, Finding f, double seconds)
    {
        var st = f.Stats!;
        return JsonSerializer.Serialize(new
        {
            file,
            written,
            already_minimal = alreadyMinimal,
            replay,
            variant = f.Variant.Name,
            scenario = f.Scenario.Name,
            kind = BugKinds.Name(f.Outcome.Kind),
            message = f.Outcome.Message,
            steps_before = st.StepsBefore,
            preemptions_before = st.PreemptionsBefore,
            steps_after = st.StepsAfter,
            preemptions_after = st.PreemptionsAfter,
            proven_minimal = f.ProvenMinimal,
            steps_proven = st.StepsProven,
            shrink_steps = st.ShrinkSteps,
            replays = st.Replays,
            seconds,
        });
    }

    /// <summary>A kernel state and history's verdict per family and overall (<c>variants --json</c>).</summary>
    public static string Variant(HistoryRow row)
    {
        var expectations = row.Cells.Select(c => (Name: c.Family.Name, c.Cell.Expected)).Append((Name: "all", Expected: row.Overall)).ToList();
        return JsonSerializer.Serialize(new
        {
            variant = row.Variant.Name,
            kernel = row.Variant.KernelState,
            expected = expectations.ToDictionary(e => e.Name, e => e.Expected == Expected.Bug ? "bug" : "none"),
            history = row.Source,
        });
    }

    /// <summary>One line of measurements (<c>bench --json</c>): the fields of <paramref name="line"/>, an anonymous object next to the text row it mirrors.</summary>
    public static string Line(object line) => JsonSerializer.Serialize(line);

    /// <summary>A replay result.</summary>
    public static string Replay(Variant v, Finding f, double seconds, BugKind expect, string file, string replay) => JsonSerializer.Serialize(new
    {
        file,
        replay,
        variant = v.Name,
        scenario = f.Scenario.Name,
        verdict = f.Outcome.IsBug ? "bug" : "none",
        kind = BugKinds.Name(f.Outcome.Kind),
        expected_kind = BugKinds.Name(expect),
        message = f.Outcome.Message,
        executions = 1,
        seconds = Math.Round(seconds, 4),
        steps = f.Steps.Count,
        preemptions = f.Preemptions,
    });
}
