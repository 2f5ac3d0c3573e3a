using System.Text;
using MmFuzz.Engine;

namespace MmFuzz.Reports;

/// <summary>
/// The mail form of a report: a short header (kernel state, scenario, what fired, how many
/// preemptions), a legend, the column-per-CPU trace of <see cref="TraceFormatter"/>, the oracle's
/// kernel-style message and the command that replays it. Plain ASCII, at most <see cref="Width"/> columns except the replay command, which is never wrapped.
/// </summary>
public static class MailFormatter
{
    /// <summary>Maximum line width.</summary>
    public const int Width = 100;

    /// <summary>Formats <paramref name="report"/>, ending in <paramref name="replayCommand"/>.</summary>
    public static string Format(Report report, string replayCommand)
    {
        var sb = new StringBuilder();
        var o = report.Outcome;
        string what = o.IsBug ? BugKinds.Name(o.Kind) : "no oracle fired";
        TraceFormatter.Wrap(sb, $"{report.Variant.Name} ({report.Variant.KernelState}), scenario {report.Scenario.Name}: {what}, " +
                                $"{report.Events.Count} steps, {report.Preemptions} preemption(s)" +
                                (report.OraclesOff.Count > 0 ? $", oracles off: {string.Join(",", report.OraclesOff.Select(BugKinds.Name))}" : ""), Width);
        TraceFormatter.Wrap(sb, report.Scenario.Description, Width);
        sb.AppendLine();
        TraceFormatter.Wrap(sb, "Legend: '~' the scheduler preempted the CPU that ran before; x=y a store; (x=y) a pointer read; " +
                                "-> the entry a list walk reached; [holds L] / [no lock] the spinlocks held while a list or " +
                                "split_queue_len is written.", Width);
        sb.AppendLine();
        var trace = report.Trace.TrimEnd('\n');
        sb.AppendLine(trace);
        sb.AppendLine();
        // The command is one line whatever its length: a wrapped command pasted into a shell runs half of it.
        sb.AppendLine("Replay:");
        sb.AppendLine("    " + replayCommand);
        var text = sb.ToString();
        return Ascii(text);
    }

    /// <summary>Replaces anything outside printable ASCII (a scenario description's arrow, say) so the mail is plain ASCII.</summary>
    public static string Ascii(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
            sb.Append(c switch
            {
                '\n' => "\n",
                '\u2192' => "->",
                '\u2014' or '\u2013' => "-",
                '\u2018' or '\u2019' => "'",
                '\u201c' or '\u201d' => "\"",
                _ when c is >= ' ' and <= '~' => c.ToString(),
                _ => "?",
            });
        return sb.ToString();
    }

    /// <summary>True when every line of <paramref name="text"/> is plain printable ASCII of at most <paramref name="width"/> columns.</summary>
    public static bool FitsMail(string text, int width = Width)
    {
        var lines = text.Split('\n');
        // The line after "Replay:" is the command: never wrapped, so it may be longer.
        return lines.Select((l, i) => (l, command: i > 0 && lines[i - 1] == "Replay:"))
            .All(x => (x.command || x.l.Length <= width) && x.l.All(c => c is >= ' ' and <= '~'));
    }
}
