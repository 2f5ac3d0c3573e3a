using System.Text;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Schedules;
using MmFuzz.Search;

namespace MmFuzz.Reports;

/// <summary>
/// A finding written up for the list (<c>mmfuzz report --mail FILE</c>): the bug report a maintainer
/// reads, from a corpus file and its notes. The tool computes the states and releases the bug
/// shows in (<see cref="Sweep"/> over every history row), the minimal trace and the model's
/// message (a replay of the schedule), and whether the suggested fix holds (the same sweep over the
/// fix applied to the state's C); the notes (<see cref="FindingNotes"/>) say what a person decided:
/// the subject, the reachability judgement, what the kernel would print, the fix in prose, Fixes:.
/// </summary>
public static class FindingMail
{
    /// <summary>Width of the prose (the trace keeps <see cref="MailFormatter.Width"/>).</summary>
    public const int ProseWidth = 72;

    /// <summary>What the mail is made of.</summary>
    /// <param name="File">The schedule file's path as the mail names it (relative to the repository root).</param>
    /// <param name="Schedule">The corpus file.</param>
    /// <param name="Notes">Its notes.</param>
    /// <param name="Report">The schedule replayed, for the trace.</param>
    /// <param name="States">The sweep over every history row.</param>
    /// <param name="Fixed">The sweep of the fixed state (any bug).</param>
    /// <param name="FixCatalog">The catalog verified over the fixed state.</param>
    /// <param name="Bound">The bound of both sweeps.</param>
    /// <param name="Commands">The commands that replay the finding and write this mail.</param>
    public sealed record Parts(string File, ScheduleFile Schedule, FindingNotes Notes, Report Report, IReadOnlyList<SweepRow> States,
        SweepRow Fixed, CatalogCheck FixCatalog, int Bound, IReadOnlyList<string> Commands);

    /// <summary>The catalog verified over a fixed state: how many scenarios, schedules, whether every one exhausted, and the bugs of history's kinds found.</summary>
    public sealed record CatalogCheck(int Scenarios, long Executions, bool Exhausted, IReadOnlyList<string> Bugs)
    {
        /// <summary>No bug of history's kinds, every scenario exhausted.</summary>
        public bool Holds => Exhausted && Bugs.Count == 0;
    }

    /// <summary>The mail, plain ASCII.</summary>
    public static string Format(Parts m)
    {
        var sb = new StringBuilder();
        var n = m.Notes;
        var kind = BugKinds.Name(m.Schedule.Expect);
        sb.AppendLine($"Subject: [BUG] {n.Subject}");
        sb.AppendLine($"To: {string.Join(", ", n.To)}");
        for (int i = 0; i < n.Cc.Count; i++)   // one address a line, the header folded
            sb.AppendLine($"{(i == 0 ? "Cc: " : "    ")}{n.Cc[i]}{(i < n.Cc.Count - 1 ? "," : "")}");
        sb.AppendLine();
        foreach (var p in n.Summary)
            Paragraph(sb, p);

        var showing = m.States.Where(r => r.Shows).ToList();
        var released = showing.Select(r => Releases.Of(r.State)).Where(r => r?.First is not null).Cast<Releases>().ToList();
        Heading(sb, "Affected releases");
        if (released.Count == 0)
            Paragraph(sb, "None: no released kernel has the code of a state that shows it.");
        else
        {
            var longterm = released.SelectMany(r => r.Longterm).Distinct().ToList();
            Paragraph(sb, $"{string.Join("; ", released.Select(r => r.Span))} ({string.Join("; ", released.Select(r => r.Note))})." +
                          (longterm.Count > 0 ? $" Longterm stable branches still maintained with this code: {string.Join(", ", longterm)} {Releases.LongtermSource}." : ""));
        }
        Paragraph(sb, $"Reachability (a judgement, not proven by the tool): {n.Reachability}");

        Heading(sb, $"Where it shows: {kind} in the scenario below, explored exhaustively in each kernel state MmFuzz models " +
                    $"(with sleep sets, 0 to {m.Bound} preemptions, the model's own assertions off)");
        int w = m.States.Max(r => r.State.Name.Length);
        int rw = m.States.Max(r => (Releases.Of(r.State)?.Span ?? "").Length);
        foreach (var r in m.States)
            sb.AppendLine($"  {r.State.Name.PadRight(w)}  {(Releases.Of(r.State)?.Span ?? "").PadRight(rw)}  {Verdict(r, m.Bound)}");
        sb.AppendLine();

        Heading(sb, "What the kernel would print");
        foreach (var p in n.KernelPrints)
            Paragraph(sb, p);
        if (m.Schedule.Message is { } message)
        {
            Paragraph(sb, History.ModelAssertions.Contains(m.Schedule.Expect) ? "MmFuzz's own message (a model assertion: the kernel has no such check):" : "MmFuzz's own message:");
            foreach (var line in Fill(message, ProseWidth - 4))
                sb.AppendLine("    " + line);
            sb.AppendLine();
        }

        Heading(sb, $"The interleaving ({Plural(m.Report.Preemptions, "preemption")}, {m.Report.Events.Count} steps)");
        sb.Append(MailFormatter.Format(m.Report, m.Commands[0]));
        sb.AppendLine();

        Heading(sb, "Suggested fix");
        foreach (var p in n.Fix)
            Paragraph(sb, p);
        // Paths stand on lines of their own: a mail is the same text whether they are given relative or absolute.
        sb.AppendLine($"Checked with MmFuzz, every oracle on, the fix run as a kernel state ({m.Fixed.State.Name}):");
        Bullet(sb, $"the finding's scenario: {Verdict(m.Fixed, m.Bound)}, of any kind;");
        Bullet(sb, $"{Describe(m.FixCatalog, m.Bound)}.");
        sb.AppendLine("The fix, as a diff against MmFuzz's rendering of the functions (not a patch for the tree):");
        sb.AppendLine($"    {n.FixPatch}");
        sb.AppendLine("applied to:");
        sb.AppendLine($"    {n.FixBase}");
        sb.AppendLine();

        sb.AppendLine($"Fixes: {n.Fixes}");
        sb.AppendLine();
        if (m.Schedule.FoundBy is { } foundBy)
            Paragraph(sb, $"Found by {foundBy}.");
        sb.AppendLine("Reproduce (a clone of MmFuzz and the .NET SDK):");
        foreach (var c in m.Commands)
            sb.AppendLine("    " + c);
        return MailFormatter.Ascii(sb.ToString());
    }

    /// <summary>One state's line: "shows KIND at 2 preemptions", "clean up to 2 preemptions (exhausted, N schedules)".</summary>
    public static string Verdict(SweepRow r, int bound)
    {
        string others = r.Others.Count > 0 ? $"; on the way: {string.Join(", ", r.Others.Select(BugKinds.Name))}" : "";
        if (r.Shows)
            return $"shows it at {Plural(r.Preemptions!.Value, "preemption")}{others}";
        return r.Exhausted
            ? $"clean up to {bound} preemptions (exhausted, {r.Executions:N0} schedules){others}"
            : $"not shown in {r.Executions:N0} schedules (budget spent before exhausting){others}";
    }

    /// <summary>"the N catalog scenarios show no bug of history's kinds (exhausted at K preemptions, M schedules)", or what they show.</summary>
    public static string Describe(CatalogCheck c, int bound) =>
        c.Bugs.Count > 0 ? $"the catalog shows {string.Join(", ", c.Bugs)}"
        : c.Exhausted ? $"the {c.Scenarios} catalog scenarios: no bug of the kinds history records (exhausted at {bound} preemptions, {c.Executions:N0} schedules)"
        : $"the catalog shows no bug of history's kinds in {c.Executions:N0} schedules, but the budget ran out before every scenario was exhausted";

    static string Plural(int n, string what) => $"{n} {what}{(n == 1 ? "" : "s")}";

    static void Bullet(StringBuilder sb, string text)
    {
        bool first = true;
        foreach (var line in Fill(text, ProseWidth - 4))
        {
            sb.AppendLine((first ? "  - " : "    ") + line);
            first = false;
        }
    }

    static void Heading(StringBuilder sb, string text)
    {
        foreach (var line in Fill(text + ":", ProseWidth))
            sb.AppendLine(line);
    }

    static void Paragraph(StringBuilder sb, string text)
    {
        foreach (var line in Fill(text, ProseWidth))
            sb.AppendLine(line);
        sb.AppendLine();
    }

    /// <summary><paramref name="text"/> filled to <paramref name="width"/> columns at spaces (a longer word keeps its own line).</summary>
    public static IEnumerable<string> Fill(string text, int width)
    {
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }
            if (line.Length > 0)
                line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0)
            yield return line.ToString();
    }
}
