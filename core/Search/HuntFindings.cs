using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Search;

/// <summary>
/// What a hunt keeps, the same for every hunt: the first bug of a kind history records ends it; each
/// kind beyond history (<see cref="History.BeyondHistoryKinds"/>) is recorded once and then set aside,
/// as are the kinds the user ignores, so the hunt goes on to the bug it is looking for.
/// </summary>
/// <param name="ignore">Kinds set aside from the start.</param>
public sealed class HuntFindings(IReadOnlySet<BugKind> ignore)
{
    readonly HashSet<BugKind> setAside = new(ignore);
    readonly List<Finding> beyond = [];

    /// <summary>Whether a bug of <paramref name="kind"/> is set aside (ignored, or beyond history and already recorded).</summary>
    public bool IsSetAside(BugKind kind) => setAside.Contains(kind);

    /// <summary>The bug that ended the hunt, or null.</summary>
    public Finding? Bug { get; private set; }

    /// <summary>The findings beyond history, one per kind, in the order found.</summary>
    public IReadOnlyList<Finding> BeyondHistory => beyond;

    /// <summary>Records <paramref name="finding"/>; true when it ends the hunt.</summary>
    public bool Add(Finding finding)
    {
        if (History.BeyondHistoryKinds.Contains(finding.Kind))
        {
            beyond.Add(finding);
            setAside.Add(finding.Kind);
            return false;
        }
        Bug = finding;
        return true;
    }
}
