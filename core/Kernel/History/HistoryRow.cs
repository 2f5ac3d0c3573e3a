using MmFuzz.Engine;
using MmFuzz.Scenarios;

namespace MmFuzz.Kernel;

/// <summary>
/// One kernel state's row of <see cref="History"/>: the variant, history's verdict under each scenario
/// family (the races it records, each in its family; every family not listed is safe), and the
/// source. <see cref="Judge"/> reads findings against it.
/// </summary>
public sealed record HistoryRow
{
    readonly Dictionary<Family, HistoryCell> cells;

    /// <summary>A row: <paramref name="variant"/>'s races, each in its family, from <paramref name="source"/>.</summary>
    /// <param name="variant">The kernel state.</param>
    /// <param name="races">What history records per family; a family not listed is <see cref="HistoryCell.Safe"/>.</param>
    /// <param name="source">The commit or mail behind the verdicts, in one line.</param>
    public HistoryRow(Variant variant, IEnumerable<(Family Family, HistoryCell Cell)> races, string source)
    {
        Variant = variant;
        Source = source;
        cells = Family.All.ToDictionary(f => f, _ => HistoryCell.Safe);
        var listed = new HashSet<Family>();
        foreach (var (family, cell) in races)
            cells[family] = listed.Add(family) ? cell : throw new ArgumentException($"{variant.Name}: {family.Name} listed twice", nameof(races));
    }

    /// <summary>The kernel state.</summary>
    public Variant Variant { get; }

    /// <summary>The commit or mail behind the verdicts, in one line.</summary>
    public string Source { get; }

    /// <summary>Bugs of history's kinds found in this state outside history's families.</summary>
    public IReadOnlyList<KnownFinding> Known { get; init; } = [];

    /// <summary>The known finding a bug of <paramref name="kind"/> in <paramref name="scenario"/> is, or null.</summary>
    public KnownFinding? KnownFor(BugKind kind, Scenario scenario) => Known.FirstOrDefault(k => k.Kind == kind && k.Matches(scenario));

    /// <summary>
    /// Whether a fix names <paramref name="kind"/> in this state: a race cell or a known finding of the
    /// row lists it. A kind of <see cref="History.BeyondHistoryKinds"/> the row names is history's here
    /// (3bac01168982 names the lost deferred split of an underused folio the scan could not lock).
    /// </summary>
    public bool Names(BugKind kind) => cells.Values.Any(c => c.IsBug && c.Kinds.Contains(kind)) || Known.Any(k => k.Kind == kind);

    /// <summary>History under <paramref name="family"/>.</summary>
    public HistoryCell this[Family family] => cells[family];

    /// <summary>The families, in <see cref="Family.All"/>'s order, and what history says under each.</summary>
    public IEnumerable<(Family Family, HistoryCell Cell)> Cells => Family.All.Select(f => (f, cells[f]));

    /// <summary>Bug when history records a race in any family.</summary>
    public Expected Overall => ExpectedIn(Family.All);

    /// <summary>Bug when history records a race in a family the decoder generates (what a generating hunt or the small scope can reach).</summary>
    public Expected OverallGenerated => ExpectedIn(Family.Generating);

    /// <summary>Bug when history records a race in any of <paramref name="families"/>.</summary>
    public Expected ExpectedIn(IEnumerable<Family> families) => families.Any(f => cells[f].IsBug) ? Expected.Bug : Expected.Safe;

    /// <summary>The upstream fix of the race in <paramref name="family"/>, or <see cref="Source"/> when there is none.</summary>
    public string UpstreamFor(Family family) => this[family].Fix ?? Source;
}
