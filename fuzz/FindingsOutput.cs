using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Reports;
using MmFuzz.Search;

namespace MmFuzz.Cli;

/// <summary>
/// What <c>hunt</c> and <c>verify</c> print and write about their findings, the same for both: each
/// finding replayed once (<see cref="Report.Record"/>), its mail trace (<c>.txt</c>) and page
/// (<c>.html</c>) written beside its <c>.schedule</c>; the verdict table's lines, counted; then one
/// screen of distinct bugs (<see cref="FindingsScreen"/>: the table and the bugs together at most
/// <see cref="ScreenLines"/> lines), the traces with <c>--traces</c> (or <c>--format mail</c>), the
/// pages with <c>--html</c>, <c>index.html</c> in the findings folder, and with <c>--json</c> one
/// object per distinct bug.
/// </summary>
/// <param name="reports">The <c>--format</c> and <c>--html</c> options.</param>
/// <param name="json">Print JSON instead of text.</param>
/// <param name="traces">Print every finding's trace after the bugs.</param>
/// <param name="states">The states searched, in order.</param>
sealed class FindingsOutput(Reporter reports, bool json, bool traces, IReadOnlyList<Variant> states)
{
    /// <summary>The screen: the verdict table and the distinct bugs fit in this many lines.</summary>
    public const int ScreenLines = 60;

    readonly List<FoundBug> found = [];
    readonly List<(FoundBug Bug, string Header)> headers = [];
    readonly List<VerdictRow> rows = [];
    int printed;

    /// <summary>Whether text goes to the screen (neither <c>--json</c> nor <c>--format mail</c>).</summary>
    public bool Text => !json && !reports.Mail;

    /// <summary>The folder findings were written to, if any: <c>index.html</c> goes there.</summary>
    public string? Folder { get; set; }

    /// <summary>Prints a line of the verdict table (when <see cref="Text"/>).</summary>
    public void Print(string line)
    {
        if (!Text)
            return;
        Console.WriteLine(line);
        printed++;
    }

    /// <summary>
    /// Records the findings of one search (<see cref="HuntResult.All"/>, each with its file and replay
    /// command) and writes each one's trace and page beside its file.
    /// </summary>
    /// <param name="r">The search's result.</param>
    /// <param name="family">The family or scenario searched.</param>
    /// <param name="replays">Per finding of <see cref="HuntResult.All"/>: its file, or null, and its replay command.</param>
    /// <param name="header">Per finding: the line heading its trace.</param>
    public IReadOnlyList<FoundBug> Record(HuntResult r, string family, IReadOnlyList<(string? File, string Replay)> replays, Func<Finding, string> header)
    {
        var recorded = new List<FoundBug>();
        foreach (var (f, (file, replay)) in r.All.Zip(replays))
        {
            var report = Report.Record(f);
            var head = header(f) + (f.Minimized is { } m ? $"\n   {m}" : "") +
                       (r.Comparisons.TryGetValue(f, out var c) ? $"\n   against {c.Baseline.Name}: {c.Label} ({c.How})" : "");
            bool beside = file is not null
                && WriteNew(Path.ChangeExtension(file, ".txt"), $"{head}\n\n{MailFormatter.Format(report, replay)}")
                && WriteNew(Path.ChangeExtension(file, ".html"), HtmlReport.Render(report, replay));
            var bug = new FoundBug
            {
                Finding = f, Family = family, Report = report, Replay = replay, File = file, HasTraceAndPage = beside,
                Comparison = r.Comparisons.GetValueOrDefault(f),
            };
            recorded.Add(bug);
            headers.Add((bug, head));
        }
        found.AddRange(recorded);
        return recorded;
    }

    /// <summary>Creates <paramref name="path"/> with <paramref name="text"/>; false when it exists already (never overwritten).</summary>
    static bool WriteNew(string path, string text)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            using var writer = new StreamWriter(stream);
            writer.Write(text);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    /// <summary>The verdict table's head for a hunt.</summary>
    public static readonly string HuntHead = $"{"variant",-11} {"family",-16} {"expected",-8} {"observed",-8} {"kind",-19} {"seconds",9} {"executions",10} {"bugs",4} {"beyond",6}";

    /// <summary>
    /// The verdict row of one search, printed (when <see cref="Text"/>) and kept for the index: history's
    /// verdict, what was found in words ("bug", "none", "known" when every bug of history's kinds is a
    /// known finding), the headline kind (the first the kernel reports, else the first model assertion,
    /// so named), and how many distinct bugs of history's kinds and beyond it found.
    /// </summary>
    public VerdictRow Row(Variant v, string family, Judgement verdict, double seconds, long executions, bool interrupted, IReadOnlyList<FoundBug> recorded)
    {
        var bugs = recorded.Where(b => !History.IsBeyondHistory(v, b.Finding.Kind)).ToList();
        var headline = bugs.FirstOrDefault(b => DistinctBug.IsKernelVisible(b.Finding.Outcome)) ?? bugs.FirstOrDefault();
        string kind = headline is null ? "-" : BugKinds.Name(headline.Finding.Kind) + (DistinctBug.IsModelAssertionOf(headline.Finding.Outcome) ? ", model" : "");
        string observed = (bugs.Count == 0 ? "none" : bugs.All(b => b.Reading == Reading.Known) ? "known" : "bug") + (interrupted ? "?" : "");
        var row = new VerdictRow(v.Name, family, Json.ExpectedName(verdict.Expected), observed, kind, seconds, executions,
            bugs.Select(b => b.Race.Key).Distinct().Count(),
            recorded.Where(b => History.IsBeyondHistory(v, b.Finding.Kind)).Select(b => b.Race.Key).Distinct().Count(), verdict.AsHistory);
        rows.Add(row);
        Print($"{v.Name,-11} {family,-16} {row.Expected,-8} {row.Observed,-8} {kind,-19} {seconds,9:F3} {executions,10} {row.Bugs,4} {row.Beyond,6}");
        if (interrupted)
            Print($"{"",-11} {"",-16} interrupted after {seconds:F1} s: the row shows what was found so far");
        else if (!verdict.AsHistory)
            Print($"{"",-11} {"",-16} NOT history's verdict ({Json.ExpectedName(verdict.Expected)} expected)");
        return row;
    }

    /// <summary>
    /// After the last search: the distinct bugs on the screen (or as JSON), the traces when asked, the
    /// pages of <c>--html</c>, and <c>index.html</c> in <see cref="Folder"/>.
    /// </summary>
    /// <param name="command">The command line, for the index page.</param>
    public void Finish(string command)
    {
        var bugs = DistinctBug.Of(found, states, KernelView.Search);
        var where = Folder is null ? null : Folder.TrimEnd('/') + "/";
        if (json)
            foreach (var b in bugs)
                Console.WriteLine(Json.Bug(b, bugs));
        else if (Text && bugs.Count > 0)
        {
            Console.WriteLine();
            foreach (var line in FindingsScreen.Lines(bugs, states, found.Count, where, ScreenLines - printed - 1))
                Console.WriteLine(line);
        }
        foreach (var (bug, head) in headers)
        {
            bool print = reports.Mail || Text && traces;
            if (print && !reports.Mail)
                Console.WriteLine();
            reports.Emit(bug.Report, bug.Replay, head, print);
        }
        if (Folder is not null)
        {
            var index = Path.Combine(Folder, "index.html");
            File.WriteAllText(index, FindingsIndex.Render(rows, bugs, states, command));
            Console.Error.WriteLine($"wrote {index}");
        }
    }
}
