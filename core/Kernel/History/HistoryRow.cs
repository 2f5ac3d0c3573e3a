using MmFuzz.Engine;
using MmFuzz.Scenarios;

namespace MmFuzz.Kernel;

/// <summary>One kernel state's row of <see cref="History"/>: the variant, and history's verdict per scenario family.</summary>
/// <param name="Variant">The kernel state.</param>
/// <param name="ScanVsFree">History under <see cref="Family.ScanVsFree"/>.</param>
/// <param name="ScanVsMigrate">History under <see cref="Family.ScanVsMigrate"/>.</param>
/// <param name="ScanVsSplit">History under <see cref="Family.ScanVsSplit"/>.</param>
/// <param name="ScanVsSwapout">History under <see cref="Family.ScanVsSwapout"/>.</param>
/// <param name="ScanVsMoveCharge">History under <see cref="Family.ScanVsMoveCharge"/>.</param>
/// <param name="ScanVsReparent">History under <see cref="Family.ScanVsReparent"/>.</param>
/// <param name="Source">The commit or mail behind the verdicts, in one line.</param>
public sealed record HistoryRow(Variant Variant, HistoryCell ScanVsFree, HistoryCell ScanVsMigrate, HistoryCell ScanVsSplit, HistoryCell ScanVsSwapout, HistoryCell ScanVsMoveCharge,
    HistoryCell ScanVsReparent, string Source)
{
    /// <summary>Bugs of history's kinds found in this state outside history's families.</summary>
    public IReadOnlyList<KnownFinding> Known { get; init; } = [];

    /// <summary>The known finding a bug of <paramref name="kind"/> in <paramref name="scenario"/> is, or null.</summary>
    public KnownFinding? KnownFor(BugKind kind, Scenario scenario) => Known.FirstOrDefault(k => k.Kind == kind && k.Matches(scenario));

    /// <summary>History under <paramref name="family"/>.</summary>
    public HistoryCell this[Family family] =>
        family == Family.ScanVsFree ? ScanVsFree : family == Family.ScanVsMigrate ? ScanVsMigrate : family == Family.ScanVsSplit ? ScanVsSplit
        : family == Family.ScanVsSwapout ? ScanVsSwapout : family == Family.ScanVsMoveCharge ? ScanVsMoveCharge
        : family == Family.ScanVsReparent ? ScanVsReparent
        : throw new ArgumentOutOfRangeException(nameof(family), family.Name, "not a family of history");

    /// <summary>The families and what history says under each.</summary>
    public IEnumerable<(Family Family, HistoryCell Cell)> Cells => Family.All.Select(f => (f, this[f]));

    /// <summary>Bug when history records a race in any family.</summary>
    public Expected Overall => Cells.Any(c => c.Cell.IsBug) ? Expected.Bug : Expected.Safe;

    /// <summary>Bug when history records a race in a family the decoder generates (what a generating hunt or the small scope can reach).</summary>
    public Expected OverallGenerated => Cells.Any(c => c.Cell.IsBug && c.Family.Generated) ? Expected.Bug : Expected.Safe;

    /// <summary>The upstream fix of the race in <paramref name="family"/>, or <see cref="Source"/> when there is none.</summary>
    public string UpstreamFor(Family family) => this[family].Fix ?? Source;
}
