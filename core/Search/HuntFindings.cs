using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Search;

/// <summary>
/// What a hunt keeps, the same for every hunt. By default the first bug of a kind history records
/// ends the hunt, and each kind beyond history (<see cref="History.BeyondHistoryKinds"/>) is recorded
/// once and then set aside, as are the kinds the user ignores. A hunt that keeps going records one
/// finding per <see cref="BugSignature"/> and runs to its budget.
/// </summary>
/// <param name="ignore">Kinds set aside from the start.</param>
/// <param name="keepGoing">Record every distinct bug and never end the hunt.</param>
public sealed class HuntFindings(IReadOnlySet<BugKind> ignore, bool keepGoing = false)
{
    readonly HashSet<BugKind> setAside = new(ignore);
    readonly HashSet<BugSignature> seen = [];
    readonly List<Finding> findings = [];

    /// <summary>Whether a bug <paramref name="outcome"/> shows is set aside: an ignored kind, a kind beyond history already recorded, or, when keeping going, a signature already recorded.</summary>
    public bool IsSetAside(Outcome outcome) => setAside.Contains(outcome.Kind) || keepGoing && seen.Contains(BugSignature.Of(outcome));

    /// <summary>The findings, in the order found.</summary>
    public IReadOnlyList<Finding> Findings => findings;

    /// <summary>
    /// Records <paramref name="finding"/>, minimized from an execution that ended in
    /// <paramref name="found"/> (both signatures count as seen); true when it ends the hunt.
    /// </summary>
    public bool Add(Finding finding, Outcome found)
    {
        seen.Add(BugSignature.Of(found));
        if (!seen.Add(BugSignature.Of(finding.Outcome)) && keepGoing && BugSignature.Of(found) != BugSignature.Of(finding.Outcome))
            return false;       // minimized into a bug already recorded
        findings.Add(finding);
        if (History.BeyondHistoryKinds.Contains(finding.Kind))
        {
            if (!keepGoing)
                setAside.Add(finding.Kind);
            return false;
        }
        return !keepGoing;
    }
}
