using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Search;

/// <summary>
/// What a hunt keeps, the same for every hunt. By default the first bug of a kind history records
/// ends the hunt, and each kind beyond history (<see cref="History.IsBeyondHistory"/>) is recorded
/// once and then set aside, as are the kinds the user ignores. A hunt that keeps going records one
/// finding per <see cref="BugSignature"/> and runs to its budget. With a baseline, each finding is
/// compared with it (<see cref="Differential.Compare"/>) as it is recorded, and only a bug the
/// baseline does not show ends a hunt that stops at the first: the question a patch's reviewer asks.
/// </summary>
/// <param name="ignore">Kinds set aside from the start.</param>
/// <param name="keepGoing">Record every distinct bug and never end the hunt.</param>
/// <param name="baseline">The state to compare each finding with, or null.</param>
public sealed class HuntFindings(IReadOnlySet<BugKind> ignore, bool keepGoing = false, Variant? baseline = null)
{
    readonly HashSet<BugKind> setAside = new(ignore);
    readonly HashSet<BugSignature> seen = [];
    readonly HashSet<BugSignature> inBaseline = [];
    readonly List<Finding> findings = [];
    readonly Dictionary<Finding, Comparison> comparisons = [];

    /// <summary>
    /// Whether a bug <paramref name="outcome"/> shows is set aside: an ignored kind, a kind beyond
    /// history already recorded, a bug the baseline shows too, or, when keeping going, a signature
    /// already recorded.
    /// </summary>
    public bool IsSetAside(Outcome outcome) =>
        setAside.Contains(outcome.Kind) || (keepGoing || baseline is not null) && (keepGoing ? seen : inBaseline).Contains(BugSignature.Of(outcome));

    /// <summary>The findings, in the order found.</summary>
    public IReadOnlyList<Finding> Findings => findings;

    /// <summary>The first bug of a kind history records that the baseline, if any, does not show; or null.</summary>
    public Finding? NewBug => findings.FirstOrDefault(f => !History.IsBeyondHistory(f.Variant, f.Kind)
                                                           && (!comparisons.TryGetValue(f, out var c) || c.Presence != Presence.InBoth));

    /// <summary>Each finding next to the baseline (empty without one).</summary>
    public IReadOnlyDictionary<Finding, Comparison> Comparisons => comparisons;

    /// <summary>
    /// Records <paramref name="finding"/>, minimized from an execution that ended in
    /// <paramref name="found"/> (both signatures count as seen); true when it ends the hunt.
    /// </summary>
    /// <param name="finding">The minimized finding.</param>
    /// <param name="found">The outcome of the execution it was minimized from.</param>
    /// <param name="comparison">Its comparison with the baseline when already made (merging workers' findings), else null.</param>
    /// <param name="cancel">Cancels the baseline's search.</param>
    public bool Add(Finding finding, Outcome found, Comparison? comparison = null, CancellationToken cancel = default)
    {
        seen.Add(BugSignature.Of(found));
        if (!seen.Add(BugSignature.Of(finding.Outcome)) && keepGoing && BugSignature.Of(found) != BugSignature.Of(finding.Outcome))
            return false;       // minimized into a bug already recorded
        findings.Add(finding);
        bool inBoth = false;
        if (baseline is not null)
        {
            comparison ??= Differential.Compare(finding, baseline, cancel);
            comparisons[finding] = comparison;
            if (inBoth = comparison.Presence == Presence.InBoth)
            {
                inBaseline.Add(BugSignature.Of(found));
                inBaseline.Add(BugSignature.Of(finding.Outcome));
            }
        }
        if (History.IsBeyondHistory(finding.Variant, finding.Kind))
        {
            if (!keepGoing)
                setAside.Add(finding.Kind);
            return false;
        }
        return !keepGoing && !inBoth;
    }

    /// <summary>Records the findings of another hunt (a worker's), with their comparisons; true when one ends the hunt.</summary>
    public bool AddAll(IEnumerable<Finding> others, IReadOnlyDictionary<Finding, Comparison> compared)
    {
        bool stop = false;
        foreach (var f in others)
            if (!IsSetAside(f.Outcome))
                stop |= Add(f, f.Outcome, compared.GetValueOrDefault(f));
        return stop;
    }

    /// <summary>The result of a hunt that kept these findings.</summary>
    public HuntResult Result(Variant variant, long executions, double seconds, ShrinkReport? shrink = null) =>
        new(variant, findings, executions, seconds) { Shrink = shrink, Comparisons = comparisons };
}
