using System.Text.Json;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Search;

namespace MmFuzz.Cli;

/// <summary>The one-object-per-line JSON of <c>hunt --json</c> and <c>replay --json</c>.</summary>
public static class Json
{
    /// <summary>"bug", "none" or "unknown".</summary>
    public static string ExpectedName(Expected? e) => e switch { Expected.Bug => "bug", Expected.Safe => "none", _ => "unknown" };

    /// <summary>A hunt result.</summary>
    public static string Hunt(HuntResult r, string family, Expected? expected)
    {
        var b = r.Bug;
        return JsonSerializer.Serialize(new
        {
            variant = r.Variant.Name,
            family,
            expected = ExpectedName(expected),
            verdict = b is null ? "none" : "bug",
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
        });
    }

    /// <summary>A bounded exhaustive search result.</summary>
    public static string Verify(VerifyResult r, Expected? expected) => JsonSerializer.Serialize(new
    {
        variant = r.Variant.Name,
        scenario = r.Scenario.Name,
        expected = ExpectedName(expected),
        verdict = r.Bug is null ? "none" : "bug",
        kind = r.Bug is null ? "none" : BugKinds.Name(r.Bug.Outcome.Kind),
        message = r.Bug?.Outcome.Message ?? "",
        executions = r.Executions,
        seconds = Math.Round(r.Seconds, 4),
        preemption_bound = r.PreemptionBound,
        exhausted = r.Exhausted,
        preemptions = r.Bug?.Preemptions ?? 0,
        proven_minimal = r.Bug?.ProvenMinimal ?? false,
        beyond_history = r.BeyondHistory.Select(f => new { kind = BugKinds.Name(f.Outcome.Kind), message = f.Outcome.Message, preemptions = f.Preemptions }),
    });

    /// <summary>A replay result.</summary>
    public static string Replay(Variant v, Finding f, double seconds, BugKind expect) => JsonSerializer.Serialize(new
    {
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
