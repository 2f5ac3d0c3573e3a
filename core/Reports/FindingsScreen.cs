using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Reports;

/// <summary>
/// The distinct bugs of a hunt or a verification on one screen, after its verdict table: each bug of
/// history's kinds in two lines (its kind in words, the states that show it, the racing functions,
/// preemptions, CPUs, how many raw findings it stands for and its file; then its message, concrete),
/// then one line per kind beyond history (<see cref="History.BeyondHistoryKinds"/>: what it is and
/// why it matters) followed by its bugs, each with why it matters. Every line is at most <see cref="Width"/> columns; when the bugs do
/// not fit in the lines given, the bugs beyond history are told per kind only, then each bug in one
/// line, then the last ones are left to the index page (which the last line names).
/// </summary>
public static class FindingsScreen
{
    /// <summary>The widest line.</summary>
    public const int Width = 100;

    /// <summary>What a kind beyond history is, in a few words (the kind's own "why it matters").</summary>
    public static string KindLine(BugKind kind) => kind switch
    {
        BugKind.DataRace => "KCSAN; benign unless another oracle fires on the same accesses",
        BugKind.LostDeferredSplit => "silent: a THP on no queue is never split, its pages stay",
        BugKind.LostRaceWriteAfterFree => "a store into a freed struct page, reported later",
        _ => BugKinds.Name(kind),
    };

    /// <summary>The head of the bugs' table: the columns of each bug's first line.</summary>
    public const string Head = "bug kind                   preempt CPUs found file racing functions";

    /// <summary>
    /// The lines for <paramref name="bugs"/>, at most <paramref name="maxLines"/> of them (at least two).
    /// </summary>
    /// <param name="bugs">The distinct bugs (<see cref="DistinctBug.Of"/>).</param>
    /// <param name="states">The states searched, in order.</param>
    /// <param name="rawFindings">How many raw findings there were.</param>
    /// <param name="where">Where the files are ("mmfuzz-findings/"), or null when none were written.</param>
    /// <param name="maxLines">The most lines to print.</param>
    public static IReadOnlyList<string> Lines(IReadOnlyList<DistinctBug> bugs, IReadOnlyList<Variant> states, int rawFindings, string? where, int maxLines)
    {
        if (bugs.Count == 0)
            return [];
        var head = Fit($"{bugs.Count} distinct bug{(bugs.Count == 1 ? "" : "s")} ({rawFindings} raw finding{(rawFindings == 1 ? "" : "s")})" +
                       (where is null ? "; traces: --traces" : $"; files: {where}NNNN-*; all: {where}index.html"));
        List<string>? best = null;
        foreach (var level in Enum.GetValues<Level>())
        {
            var lines = new List<string> { head, Head };
            lines.AddRange(Layout(bugs, states, level));
            best = lines;
            if (lines.Count <= maxLines)
                return lines;
        }
        // Still too long: keep the first lines and say where the rest are.
        var all = best!;
        var cut = all.Take(Math.Max(1, maxLines - 1)).ToList();
        cut.Add(Fit($"... {all.Count - cut.Count} more line(s): {(where is null ? "--json or --traces" : $"{where}index.html")} has every bug"));
        return cut;
    }

    /// <summary>
    /// How much each bug gets, from most to least: two lines each; one line for a bug beyond history;
    /// benign KCSAN_STRICT-only races counted on their kind's line; every bug beyond history counted
    /// there; one line for every bug.
    /// </summary>
    enum Level { Full, BeyondInOneLine, StrictRacesCounted, BeyondPerKind, OneLine }

    static IEnumerable<string> Layout(IReadOnlyList<DistinctBug> bugs, IReadOnlyList<Variant> states, Level level)
    {
        foreach (var b in bugs.Where(b => !b.IsBeyondHistory))
        {
            var r = b.Representative;
            var first = $"{First(b, r)}{b.Race.Described}";
            var model = !b.IsModelAssertion ? "" : b.KernelShows is { } k ? $"; the kernel shows {k}" : "; no kernel report found";
            if (first.Length + model.Length <= Width)
                (first, model) = (first + model, "");
            if (level == Level.OneLine)
            {
                yield return Fit($"{first}{(r.Comparison is { } vs ? $" [{vs.Label}]" : "")}");
                continue;
            }
            yield return Fit(first);
            yield return Fit($"    {BugText.States(b.States, states)}{(b.IsKnown ? ", known" : "")}{(r.Comparison is { } c ? $" [{c.Label}]" : "")}{model}: " +
                             BugText.Title(r.Finding.Outcome.Message));
        }
        var beyond = bugs.Where(b => b.IsBeyondHistory).ToList();
        foreach (var kind in beyond.Select(b => b.Kind).Distinct())
        {
            var ofKind = beyond.Where(b => b.Kind == kind).ToList();
            var counted = level >= Level.BeyondPerKind ? ofKind
                : level == Level.StrictRacesCounted ? ofKind.Where(b => BugText.Verdict(b, bugs) == BugText.StrictOnly).ToList() : [];
            var note = counted.Count == 0 ? "" : counted.Count == ofKind.Count ? $", bugs {Numbers(counted)}"
                : $"; {counted.Count} {BugText.StrictOnly}: bugs {Numbers(counted)}";
            yield return Fit($"  {BugKinds.Name(kind)}, beyond history ({ofKind.Count}{note}): {KindLine(kind)}");
            foreach (var b in ofKind.Except(counted))
            {
                yield return Fit($"{First(b, b.Representative, BugText.Verdict(b, bugs))}{b.Race.Described}");
                if (level == Level.Full)
                    yield return Fit($"    {BugText.States(b.States, states)}: {BugText.Why(b, bugs)}");
            }
        }
    }

    /// <summary>
    /// The columns of a bug's first line up to its racing functions (<see cref="Head"/>): the kind ("(model)"
    /// for a model assertion; a bug beyond history, under its kind's line, shows its verdict instead),
    /// preemptions and CPUs of the minimal trace, raw findings, and the file's number.
    /// </summary>
    static string First(DistinctBug b, FoundBug r, string? verdict = null)
    {
        var kind = verdict ?? BugKinds.Name(b.Kind) + (b.IsModelAssertion ? " (model)" : "");
        var file = r.File is { } f && Path.GetFileName(f) is { Length: > 4 } name && name[..4].All(char.IsAsciiDigit) ? name[..4] : "-";
        return $"{b.Number,3} {kind,-22} {r.Finding.Preemptions,7} {r.Finding.Scenario.Cpus.Length,4} {b.Count,5} {file,-4} ";
    }

    /// <summary>"16-24" for consecutive numbers, runs of three or more so; else "16, 18".</summary>
    static string Numbers(IReadOnlyList<DistinctBug> bugs)
    {
        var parts = new List<string>();
        for (int k = 0; k < bugs.Count;)
        {
            int j = k;
            while (j + 1 < bugs.Count && bugs[j + 1].Number == bugs[j].Number + 1)
                j++;
            parts.Add(j - k >= 2 ? $"{bugs[k].Number}-{bugs[j].Number}" : string.Join(", ", bugs.Skip(k).Take(j - k + 1).Select(b => b.Number)));
            k = j + 1;
        }
        return string.Join(", ", parts);
    }

    /// <summary><paramref name="line"/> cut to <see cref="Width"/> columns, ending in "..." when cut.</summary>
    public static string Fit(string line) => line.Length <= Width ? line : line[..(Width - 3)].TrimEnd() + "...";
}
