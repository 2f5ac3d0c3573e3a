using MmFuzz.Kernel;

namespace MmFuzz.Search;

/// <summary>
/// The result of a hunt, the same shape for every hunt (<see cref="HuntFunction"/>), for verify of one
/// scenario (<see cref="Verifier.Verify"/>) and for the small scope (<see cref="ScopeVerifier.Verify"/>).
/// </summary>
/// <param name="Variant">The variant.</param>
/// <param name="Findings">Every finding, minimized, in the order found.</param>
/// <param name="Executions">Executions run.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record HuntResult(Variant Variant, IReadOnlyList<Finding> Findings, long Executions, double Seconds)
{
    /// <summary>How the generating hunt shrank its first bug; null for the other hunts, or when none was found.</summary>
    public ShrinkReport? Shrink { get; init; }

    /// <summary>Each finding next to the hunt's baseline (<c>--baseline</c>); empty without one.</summary>
    public IReadOnlyDictionary<Finding, Comparison> Comparisons { get; init; } = new Dictionary<Finding, Comparison>();

    /// <summary>
    /// Whether a systematic search covered its whole bounded space: every schedule within the bound of
    /// every scenario it searched (to the end, or to a bug of a kind history records). With no bug
    /// found, a proof within the bound; false for the sampling hunts.
    /// </summary>
    public bool Exhausted { get; init; }

    /// <summary>Scenarios searched to the end or to a bug (the small scope; 0 for the other hunts).</summary>
    public int ScenariosExplored { get; init; }

    /// <summary>Scenarios there were to search (the small scope; 0 for the other hunts).</summary>
    public int ScenariosTotal { get; init; }

    /// <summary>The first bug of a kind history records that the baseline does not show (without a baseline: <see cref="Bug"/>), or null.</summary>
    public Finding? NewBug => Bugs.FirstOrDefault(f => !Comparisons.TryGetValue(f, out var c) || c.Presence != Presence.InBoth);

    /// <summary>The first bug of a kind history records, or null.</summary>
    public Finding? Bug => Findings.FirstOrDefault(f => !History.IsBeyondHistory(f.Variant, f.Kind));

    /// <summary>The findings of kinds history does not record.</summary>
    public IReadOnlyList<Finding> BeyondHistory => [.. Findings.Where(f => History.IsBeyondHistory(f.Variant, f.Kind))];

    /// <summary>The bugs of history's kinds, in the order found (more than one when the hunt kept going).</summary>
    public IReadOnlyList<Finding> Bugs => [.. Findings.Where(f => !History.IsBeyondHistory(f.Variant, f.Kind))];

    /// <summary>Every finding: the bugs of history's kinds first, then those beyond history.</summary>
    public IEnumerable<Finding> All => Bugs.Concat(BeyondHistory);
}
