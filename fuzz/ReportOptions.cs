using System.CommandLine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Engine;
using MmFuzz.Schedules;
using MmFuzz.Reports;

namespace MmFuzz.Cli;

/// <summary>
/// <c>--format text|mail</c>, <c>--html FILE</c> and <c>--force</c>, shared by every verb that ends in
/// a failing schedule (hunt, replay, minimize): a verb adds them with <see cref="AddTo"/>, reads them
/// once with <see cref="Read"/>, and calls <see cref="Emit"/> per schedule.
/// </summary>
public sealed class ReportOptions
{
    readonly Option<string> format = Opt.OneOf("--format", "text", "text: the table and traces; mail: only the mail-ready trace", "text", "mail");
    readonly Option<string?> html = Opt.Path("--html", "FILE", "also write each failing schedule as a self-contained HTML page (FILE, FILE-2, ...)");
    readonly Option<bool> force = Opt.Flag("--force", "let --html replace an existing page (never a .schedule)");

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public ReportOptions AddTo(Command command)
    {
        command.Add(format);
        command.Add(html);
        command.Add(force);
        return this;
    }

    /// <summary>The values given; the pages a hunt may write are checked before it runs.</summary>
    public Reporter Read(ParseResult p)
    {
        var page = p.GetValue(html);
        bool forced = p.GetValue(force);
        if (page is not null)
            Files.CheckNew("--html", page, forced);
        return new Reporter(p.GetValue(format) == "mail", page, forced);
    }
}

/// <summary>Prints a failing schedule's mail form and writes its page, as <see cref="ReportOptions"/> asked.</summary>
public sealed class Reporter(bool mail, string? html, bool force)
{
    /// <summary>Print only the mail form (no table, no other text on stdout).</summary>
    public bool Mail { get; } = mail;

    /// <summary>Where to write the HTML page, or null.</summary>
    public string? Html { get; } = html;

    int pages;

    /// <summary>
    /// Replays <paramref name="steps"/> once with snapshots, prints the mail form (after
    /// <paramref name="textHeader"/> unless <c>--format mail</c>) and writes the HTML page when asked.
    /// The first page goes to the <c>--html</c> file, later ones (a hunt with several findings) to
    /// FILE-2.html, FILE-3.html, ... Returns the report.
    /// </summary>
    public Report Emit(Variant variant, Scenario scenario, IReadOnlyList<ScheduleStep> steps, IReadOnlySet<BugKind> oraclesOff,
        string replayCommand, string? textHeader, bool printMail = true) =>
        Emit(Report.Record(variant, scenario, steps, oraclesOff), replayCommand, textHeader, printMail);

    /// <summary>As the other overload, for a report already recorded.</summary>
    public Report Emit(Report report, string replayCommand, string? textHeader, bool printMail = true)
    {
        if (printMail)
        {
            if (!Mail && textHeader is not null)
            {
                Console.WriteLine(textHeader);
                Console.WriteLine();
            }
            Console.Write(MailFormatter.Format(report, replayCommand));
            Console.WriteLine();
        }
        if (Html is not null)
        {
            var path = ++pages == 1 ? Html : Path.ChangeExtension(Html, null) + $"-{pages}" + (Path.GetExtension(Html) is { Length: > 0 } ext ? ext : ".html");
            Files.Write("--html", path, HtmlReport.Render(report, replayCommand), force);
            Console.Error.WriteLine($"wrote {path}");
        }
        return report;
    }
}
