using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Engine;
using MmFuzz.Schedules;
using MmFuzz.Reports;

namespace MmFuzz.Cli;

/// <summary>
/// <c>--format text|mail</c> and <c>--html FILE</c>, shared by every verb that ends in a failing
/// schedule (hunt, replay, minimize): a verb allows <see cref="Names"/>, parses once, and calls
/// <see cref="Emit"/> per schedule.
/// </summary>
public sealed class ReportOptions(bool mail, string? html)
{
    /// <summary>Print only the mail form (no table, no other text on stdout).</summary>
    public bool Mail { get; } = mail;

    /// <summary>Where to write the HTML page, or null.</summary>
    public string? Html { get; } = html;

    /// <summary>The option names to add to a verb's <see cref="Options.Allow"/>.</summary>
    public static readonly string[] Names = ["format", "html"];

    int pages;

    /// <summary>Reads the options; an unknown format is a usage error.</summary>
    public static ReportOptions Parse(Options o)
    {
        var format = o.Get("format") ?? "text";
        if (format is not ("text" or "mail"))
            throw new UsageException($"unknown format '{format}' (valid: text, mail)");
        var html = o.Get("html");
        if (html is { Length: 0 })
            throw new UsageException("--html needs a file name");
        return new ReportOptions(format == "mail", html);
    }

    /// <summary>
    /// Replays <paramref name="steps"/> once with snapshots, prints the mail form (after
    /// <paramref name="textHeader"/> unless <c>--format mail</c>) and writes the HTML page when asked.
    /// The first page goes to the <c>--html</c> file, later ones (a hunt with several findings) to
    /// FILE-2.html, FILE-3.html, ... Returns the report.
    /// </summary>
    public Report Emit(Variant variant, Scenario scenario, IReadOnlyList<ScheduleStep> steps, IReadOnlySet<BugKind> oraclesOff,
        string replayCommand, string? textHeader, bool printMail = true)
    {
        var report = Report.Record(variant, scenario, steps, oraclesOff);
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
            File.WriteAllText(path, HtmlReport.Render(report, replayCommand));
            Console.Error.WriteLine($"wrote {path}");
        }
        return report;
    }
}
