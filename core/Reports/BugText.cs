using System.Text.RegularExpressions;
using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Reports;

/// <summary>
/// The words a distinct bug is shown with on the screen and the page: its message in one concrete
/// line (never a masked signature), its kind in words, the states that show it, and, for a kind
/// beyond history, why it matters (docs/FINDINGS.md).
/// </summary>
public static partial class BugText
{
    [GeneratedRegex(@"^MODEL ASSERTION \([^)]*\):\s*")]
    private static partial Regex ModelPrefix();

    [GeneratedRegex(@"\s*\[((?:[0-9a-f]{8,}=[^,\]]+(?:, )?)+)\]")]
    private static partial Regex SymbolMap();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"data-race in \S+ / \S+: (read|write)( \(marked\))? to (\S+) of \d+ bytes by cpu\d+ at step (\d+), (read|write)( \(marked\))? by cpu\d+ at step (\d+)")]
    private static partial Regex DataRace();

    [GeneratedRegex(@"^at quiescence: ([A-F]) is (partially mapped|underused)")]
    private static partial Regex LostSplit();

    /// <summary>
    /// The oracle's message as one concrete line: its first line, without the "MODEL ASSERTION (...)"
    /// preface (the kind's words say it), with the addresses a symbol map names replaced by their names
    /// and the map dropped ("prev->next should be A, but was memcg1.queue").
    /// </summary>
    public static string Title(string message)
    {
        var line = ModelPrefix().Replace(message.Split('\n')[0], "");
        var map = SymbolMap().Match(line);
        if (map.Success)
        {
            line = line.Remove(map.Index, map.Length);
            foreach (var pair in map.Groups[1].Value.Split(", "))
            {
                int eq = pair.IndexOf('=');
                line = Regex.Replace(line, $@"\b{pair[..eq]}\b", pair[(eq + 1)..]);
            }
        }
        return Spaces().Replace(line, " ").Trim();
    }

    /// <summary>
    /// The kind in words: "list-corruption", "wrong-lock, a model assertion (the kernel shows
    /// accounting)", "data-race, beyond history"; "known" when every finding is one of its state's
    /// known findings.
    /// </summary>
    public static string Kind(DistinctBug bug)
    {
        var words = BugKinds.Name(bug.Kind);
        if (bug.IsModelAssertion)
            words += bug.KernelShows is { } k ? $", a model assertion (the kernel shows {k})" : ", a model assertion (no kernel report found)";
        if (bug.IsBeyondHistory)
            words += ", beyond history";
        if (bug.IsKnown)
            words += ", known";
        return words;
    }

    /// <summary>The states in the hunt's order, a run of three or more consecutive ones as "first to last".</summary>
    public static string States(IReadOnlyList<Variant> states, IReadOnlyList<Variant> order)
    {
        var at = states.Select(s => (s, i: order.ToList().IndexOf(s))).ToList();
        var parts = new List<string>();
        for (int k = 0; k < at.Count;)
        {
            int j = k;
            while (j + 1 < at.Count && at[j].i >= 0 && at[j + 1].i == at[j].i + 1)
                j++;
            parts.Add(j - k >= 2 ? $"{at[k].s.Name} to {at[j].s.Name}" : string.Join(", ", at.Skip(k).Take(j - k + 1).Select(x => x.s.Name)));
            k = j + 1;
        }
        return string.Join(", ", parts);
    }

    /// <summary>The bug of another kind in one of <paramref name="bug"/>'s states with the same racing accesses, if any: the race is real.</summary>
    static DistinctBug? Real(DistinctBug bug, IReadOnlyList<DistinctBug> all) =>
        all.FirstOrDefault(b => b.Kind != bug.Kind && b.Race.Accesses == bug.Race.Accesses && b.States.Intersect(bug.States).Any());

    /// <summary>The verdict of a data race only KCSAN_STRICT reports, no other oracle firing on its accesses.</summary>
    public const string StrictOnly = "benign, strict only";

    /// <summary>
    /// <see cref="Why"/> in at most 22 characters: "real race: bug 14", "benign, strict only",
    /// "benign, READ_ONCE()", "pages unreclaimed", "store after free".
    /// </summary>
    public static string Verdict(DistinctBug bug, IReadOnlyList<DistinctBug> all) => bug.Kind switch
    {
        BugKind.DataRace when Real(bug, all) is { } real => $"real race: bug {real.Number}",
        BugKind.DataRace when bug.Representative.Finding.Outcome.Message.Contains("KCSAN_STRICT only", StringComparison.Ordinal) => StrictOnly,
        BugKind.DataRace => "benign, READ_ONCE()",
        BugKind.LostDeferredSplit => "pages unreclaimed",
        _ => "store after free",
    };

    /// <summary>
    /// Why a bug of a kind beyond history matters, in one line; null for the other kinds. A data race:
    /// the two accesses, and whether marking them is the fix (no other oracle fires on the same two
    /// accesses) or the race is real (one does: <paramref name="all"/> has a bug of another kind with
    /// the same accesses in one of its states). A lost deferred split: what stays unreclaimed. The
    /// lost race's write: where the store lands and what the kernel would show later.
    /// </summary>
    public static string? Why(DistinctBug bug, IReadOnlyList<DistinctBug> all)
    {
        var f = bug.Representative;
        var o = f.Finding.Outcome;
        switch (bug.Kind)
        {
            case BugKind.DataRace:
            {
                var real = Real(bug, all);
                var m = DataRace().Match(o.Message);
                string accesses = bug.Race.Accesses;
                if (m.Success)
                {
                    string Side(string step) => f.Race.Sides.FirstOrDefault(s => s.Step.ToString(System.Globalization.CultureInfo.InvariantCulture) == step)?.Name ?? "?";
                    accesses = $"{Side(m.Groups[4].Value)} {m.Groups[1].Value}s {m.Groups[3].Value}{(m.Groups[2].Success ? " (marked)" : "")}, " +
                               $"{Side(m.Groups[7].Value)} {m.Groups[5].Value}s it{(m.Groups[6].Success ? " (marked)" : "")}";
                }
                if (real is not null)
                    return $"{accesses}: real, the same accesses show {BugKinds.Name(real.Kind)} (bug {real.Number})";
                return o.Message.Contains("KCSAN_STRICT only", StringComparison.Ordinal)
                    ? $"{accesses}: WRITE_ONCE() on the write (or data_race()) is the fix; only KCSAN_STRICT reports it"
                    : $"{accesses}: READ_ONCE() on the plain read (or data_race()) is the fix; no other oracle fires there";
            }
            case BugKind.LostDeferredSplit:
            {
                var m = LostSplit().Match(o.Message);
                var name = m.Success ? m.Groups[1].Value : "the folio";
                var spec = f.Finding.Scenario.Folios.FirstOrDefault(x => x.Name == name);
                var size = spec is null ? "" : $" (order {spec.Order}, {1 << spec.Order} pages)";
                var pages = m.Success && m.Groups[2].Value == "underused" ? "zero-filled" : "unmapped";
                return $"{name}{size} is on no deferred split queue: its {pages} pages stay allocated until it is freed whole";
            }
            case BugKind.LostRaceWriteAfterFree:
                return "a store into the freed folio (_deferred_list.prev is page[2]'s mapping on 64-bit): " +
                       "later \"Bad page state ... non-NULL mapping\" or a corrupted new folio";
            default:
                return null;
        }
    }
}
