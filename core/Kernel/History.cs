using MmFuzz.Engine;

namespace MmFuzz.Kernel;

/// <summary>What history says about the kernel states: which races it recorded, and which it did not.</summary>
public static class History
{
    /// <summary>Bug kinds that no fix in history names: recorded once as findings, then set aside so a hunt goes on.</summary>
    /// <remarks>
    /// Data races are here too: history records no KCSAN report for these states, and the one the
    /// faithful ports show in every state is the safe iteration's last read of the local list head's
    /// <c>next</c> (its value discarded) while another CPU unlinks the last folio under the lock.
    /// A lost deferred split is silent in the kernel (memory stays unsplit, nothing corrupts).
    /// </remarks>
    public static readonly IReadOnlySet<BugKind> BeyondHistoryKinds = new HashSet<BugKind> { BugKind.LostRaceWriteAfterFree, BugKind.DataRace, BugKind.LostDeferredSplit };

    /// <summary>The "upstream" line of a regression showing a kind beyond history.</summary>
    public static string BeyondHistoryUpstream(BugKind kind) => kind == BugKind.LostDeferredSplit
        ? "none: a finding beyond history, no fix names it; gone in \"mm: thp: use folio_batch to handle THP splitting in deferred_split_scan()\" " +
          "(Muchun Song / Qi Zheng, 2025; variant folio-batch), which drops the unlocked list_del_init() (README, findings beyond history)"
        : "none: a finding beyond history, no upstream fix addresses it (README, findings beyond history)";
}
