namespace MmFuzz.Kernel;

/// <summary>
/// Which released kernels run a kernel state's code, for the functions the model ports: what a
/// report needs to say "affected: v6.12 to v6.18". From docs/HISTORY.md §0 and docs/SOURCES.md §1.4,
/// where each release is sourced (the tag that contains the commits).
/// </summary>
/// <param name="First">The first release (a tag) with the state's code, or null when no release has it (mm-unstable, release candidates only).</param>
/// <param name="Last">The last release with it; null when mainline still has it or no release does.</param>
/// <param name="Longterm">The longterm stable branches that carry the state's code and are still maintained (kernel.org's list; see <see cref="LongtermSource"/>).</param>
/// <param name="Note">What else a reader needs, in one line: a release that differs in a detail, the candidates that had it.</param>
public sealed record Releases(string? First, string? Last, IReadOnlyList<string> Longterm, string Note)
{
    /// <summary>Where <see cref="Longterm"/> comes from, in one line, for a report to print beside it.</summary>
    public const string LongtermSource =
        "[I: kernel.org's list of longterm releases, not read from this machine]";

    static readonly Dictionary<string, Releases> byState = new()
    {
        ["v6.8"] = new("v6.8", "v6.8", [], "9bcef5973e31 (v6.7) is where the migration race begins; v6.9 changed the free path"),
        ["mm-2024-03"] = new(null, null, [], "mm-unstable in March 2024 only: 47932e7048df fixed it before v6.9-rc1"),
        ["v6.9"] = new("v6.9", "v6.9", [], "v6.9-rc1 took 47932e7048df with the batch-freeing series"),
        ["v6.10-rc1"] = new(null, null, [], "release candidates only: be9581ea8c05 (posted against 6.10-rc6) was in v6.10 final"),
        ["v6.10"] = new("v6.10", "v6.11", [], "v6.11 only refactored folio_undo_large_rmappable() (Kefeng Wang)"),
        ["v6.12-rc1"] = new(null, null, [], "v6.12-rc1 to v6.12-rc6 only: Hugh Dickins' hotfixes came with the 6.12-rc7 pull"),
        ["v6.13"] = new("v6.12", "v6.18", ["6.12.y", "6.18.y"],
            "v6.12 final sets PG_partially_mapped non-atomically, made atomic by 42b2eb69835b in v6.13 and 6.12.8; the folio_batch series replaced the scan in v6.19"),
        ["v6.19"] = new("v6.19", "v7.0", [],
            "the folio_batch series (776bde7caf80 and three more) merged for v6.19-rc1; 7.0-stable later took a2e0c0668a34 and 3bac01168982 together (queue/7.0, 2026-04-28)"),
        ["folio-batch"] = new(null, null, [],
            "the seed mail's proposal: v6.19's scan with 3bac01168982's re-queue and no migration requeue, a combination no release has"),
        ["mm-2026-03"] = new(null, null, [],
            "mm-stable from late March to 2026-04-13 only: 8a8ca142a488 (a2e0c0668a34) reached mainline with its fix in the 7.1 merge window"),
        ["v7.1"] = new("v7.1", null, [], "7.0-stable carries the same two commits from the queue of 2026-04-28"),
    };

    /// <summary>The releases of <paramref name="variant"/>'s state: its own, or its base's for a state loaded from C (a patch under review is in no release).</summary>
    public static Releases? Of(Variant variant) => byState.GetValueOrDefault(variant.Name);

    /// <summary>Every history row's state has its releases recorded (a test holds this).</summary>
    public static IEnumerable<string> Missing => History.Rows.Select(r => r.Variant.Name).Where(n => !byState.ContainsKey(n));

    /// <summary>"v6.12 to v6.18", "v6.19 onwards", "no release".</summary>
    public string Span => (First, Last) switch
    {
        (null, _) => "no release",
        (_, null) => $"{First} onwards",
        _ when First == Last => First!,
        _ => $"{First} to {Last}",
    };
}
