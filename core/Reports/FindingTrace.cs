using MmFuzz.Search;

namespace MmFuzz.Reports;

/// <summary>The trace of a finding, for messages.</summary>
public static class FindingTrace
{
    /// <summary>Replays <paramref name="finding"/> and returns its column-per-CPU trace (<see cref="Report.Trace"/>).</summary>
    public static string Trace(this Finding finding) => Report.Record(finding).Trace;
}
