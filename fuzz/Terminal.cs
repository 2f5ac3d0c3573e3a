using System.Diagnostics;
using Spectre.Console;

namespace MmFuzz.Cli;

/// <summary>
/// What a person at a terminal sees: a live progress bar or spinner on stderr while a long verb
/// works (hunt, verify, bench, minimize, triage) and tables drawn by Spectre.Console on stdout.
/// Redirected, or run in-process by the tests, the same verbs print plain lines and no progress, so
/// logs and pipes stay greppable.
/// </summary>
static class Terminal
{
    /// <summary>Whether stderr is a terminal of this process (set once by <see cref="Cli.RunAsync"/>).</summary>
    public static bool ErrInteractive { get; set; }

    /// <summary>Whether stdout is a terminal of this process.</summary>
    public static bool OutInteractive { get; set; }

    // Spectre decides interactivity from all three streams at once; decide per stream ourselves.
    static IAnsiConsole Over(TextWriter writer) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(writer),
        Ansi = AnsiSupport.Yes,
        ColorSystem = ColorSystemSupport.Detect,
        Interactive = InteractionSupport.Yes,
    });

    /// <summary>
    /// Runs <paramref name="work"/> with a progress bar over <paramref name="seconds"/> (a spinner when
    /// null) titled <paramref name="title"/>; the work may set a note shown after the title.
    /// </summary>
    public static T Progress<T>(string title, double? seconds, Func<Action<string>, T> work)
    {
        if (!ErrInteractive)
            return work(_ => { });
        T result = default!;
        var columns = seconds is null
            ? new ProgressColumn[] { new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ElapsedTimeColumn() }
            : [new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn()];
        Over(Console.Error).Progress().AutoClear(true).HideCompleted(true).Columns(columns).Start(ctx =>
        {
            var task = ctx.AddTask(Markup.Escape(title), maxValue: seconds ?? 1);
            task.IsIndeterminate = seconds is null;
            string? note = null;
            var job = Task.Run(() => work(s => note = s));
            var clock = Stopwatch.StartNew();
            while (!job.Wait(200))
            {
                if (seconds is { } total)
                    task.Value = Math.Min(clock.Elapsed.TotalSeconds, total);
                if (note is { } n)
                    task.Description = Markup.Escape($"{title}: {n}");
            }
            task.Value = task.MaxValue;
            result = job.GetAwaiter().GetResult();
        });
        return result;
    }

    /// <summary>A table: drawn on a terminal, aligned plain columns otherwise.</summary>
    public static void Table(string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.ToList();
        if (OutInteractive)
        {
            var table = new Table().Border(TableBorder.Rounded);
            foreach (var h in header)
                table.AddColumn(new TableColumn(Markup.Escape(h)));
            foreach (var r in all)
                table.AddRow(r.Select(c => Markup.Escape(c)).ToArray());
            Over(Console.Out).Write(table);
            return;
        }
        var widths = header.Select((h, i) => Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length))).ToArray();
        Console.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var r in all)
            Console.WriteLine(string.Join("  ", r.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
    }
}
