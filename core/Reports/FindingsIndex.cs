using System.Globalization;
using System.Net;
using System.Text;
using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Reports;

/// <summary>One row of a hunt's or a verification's verdict table, for the screen and the index page.</summary>
/// <param name="State">The kernel state.</param>
/// <param name="Family">The family or scenario searched.</param>
/// <param name="Expected">History's verdict in words ("bug", "none", "unknown").</param>
/// <param name="Observed">What was found in words ("bug", "none", "known": only known findings of history's kinds).</param>
/// <param name="Kind">The headline kind ("-" for none).</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="Executions">Executions run.</param>
/// <param name="Bugs">Distinct bugs of history's kinds.</param>
/// <param name="Beyond">Distinct bugs of kinds beyond history.</param>
/// <param name="AsHistory">Whether the verdict is history's.</param>
public sealed record VerdictRow(string State, string Family, string Expected, string Observed, string Kind, double Seconds, long Executions,
    int Bugs, int Beyond, bool AsHistory);

/// <summary>
/// <c>index.html</c> of a findings folder: one self-contained page (inline CSS, JS and SVG; loads
/// nothing) with the verdict of every state and family, and one row per distinct bug and state: its
/// kind in words, message, racing accesses, preemptions, CPUs, how many raw findings it stands for,
/// the drawing of the lists after its corrupting step (<see cref="HtmlReport.Drawing"/>), why it
/// matters when it is beyond history, and links to its page, mail trace and schedule, then to every
/// other finding it stands for. The bug table sorts by a click on a column head and filters by text,
/// state and kind (plain JS).
/// </summary>
public static class FindingsIndex
{
    /// <summary>The page for <paramref name="rows"/> and <paramref name="bugs"/>; <paramref name="command"/> is the command that made it.</summary>
    public static string Render(IReadOnlyList<VerdictRow> rows, IReadOnlyList<DistinctBug> bugs, IReadOnlyList<Variant> states, string command)
    {
        var sb = new StringBuilder(256 * 1024);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>MmFuzz findings: ")
          .Append(bugs.Count).Append(" distinct bug(s)</title>\n<style>").Append(Css).Append(HtmlReport.DrawingCss).Append("</style></head>\n<body>\n");
        sb.Append("<header><h1>MmFuzz findings</h1><code class=\"cmd\">").Append(E(command)).Append("</code></header>\n");
        sb.Append("<h2>Verdicts</h2>\n<table id=\"verdicts\"><thead><tr><th>state</th><th>family</th><th>history</th><th>found</th><th>kind</th>")
          .Append("<th>seconds</th><th>executions</th><th>bugs</th><th>beyond history</th><th>verdict</th></tr></thead><tbody>\n");
        foreach (var r in rows)
            sb.Append("<tr class=\"").Append(r.AsHistory ? "ok" : "differs").Append("\"><td>").Append(E(r.State)).Append("</td><td>").Append(E(r.Family))
              .Append("</td><td>").Append(E(r.Expected)).Append("</td><td>").Append(E(r.Observed)).Append("</td><td>").Append(E(r.Kind))
              .Append("</td><td>").Append(F($"{r.Seconds:F1}")).Append("</td><td>").Append(r.Executions).Append("</td><td>").Append(r.Bugs)
              .Append("</td><td>").Append(r.Beyond).Append("</td><td>").Append(r.AsHistory ? "history's" : "NOT history's").Append("</td></tr>\n");
        int raw = bugs.Sum(b => b.Count);
        sb.Append("</tbody></table>\n<h2>Distinct bugs</h2>\n<p id=\"summary\">").Append(bugs.Count).Append(" distinct bug(s) from ").Append(raw)
          .Append(" raw finding(s), one row per bug and state: findings are one bug when their kind and their racing accesses ")
          .Append("(function and statement of each CPU, from the minimal trace; for one CPU's bug, what it went wrong on) are the same. Click a column head to sort.</p>\n");
        var beyond = bugs.Where(b => b.IsBeyondHistory).Select(b => b.Kind).Distinct().ToList();
        if (beyond.Count > 0)
        {
            sb.Append("<p>Kinds beyond history (no fix in history names them; they never change a verdict):</p><ul id=\"beyond\">");
            foreach (var k in beyond)
                sb.Append("<li><b>").Append(E(BugKinds.Name(k))).Append("</b>: ").Append(E(FindingsScreen.KindLine(k))).Append("</li>");
            sb.Append("</ul>\n");
        }
        sb.Append("<div id=\"controls\"><input id=\"filter\" type=\"search\" placeholder=\"filter: any text\"> <select id=\"state\"><option value=\"\">every state</option>");
        foreach (var s in states.Where(s => bugs.Any(b => b.States.Contains(s))))
            sb.Append("<option>").Append(E(s.Name)).Append("</option>");
        sb.Append("</select> <select id=\"kind\"><option value=\"\">every kind</option>");
        foreach (var k in bugs.Select(b => BugKinds.Name(b.Kind)).Distinct())
            sb.Append("<option>").Append(E(k)).Append("</option>");
        sb.Append("</select> <span id=\"shown\"></span></div>\n<table id=\"bugs\"><thead><tr>")
          .Append("<th data-type=\"num\">bug</th><th>state</th><th>kind</th><th>message</th><th>racing accesses</th>")
          .Append("<th data-type=\"num\">preemptions</th><th data-type=\"num\">CPUs</th><th data-type=\"num\">findings</th><th data-type=\"none\">files</th><th data-type=\"none\">drawing after the corrupting step</th></tr></thead><tbody>\n");
        int drawing = 0;
        foreach (var b in bugs)
            foreach (var g in b.Groups)
                BugRow(sb, b, g, bugs, ++drawing);
        sb.Append("</tbody></table>\n<script>").Append(Script).Append("</script>\n</body></html>\n");
        return sb.ToString();
    }

    static void BugRow(StringBuilder sb, DistinctBug b, BugGroup g, IReadOnlyList<DistinctBug> all, int n)
    {
        var r = g.Representative;
        var f = r.Finding;
        sb.Append("<tr class=\"bug\" data-state=\"").Append(E(g.State.Name)).Append("\" data-kind=\"").Append(E(BugKinds.Name(b.Kind))).Append("\">")
          .Append("<td>").Append(b.Number).Append("</td><td>").Append(E(g.State.Name)).Append("</td><td class=\"kind\">").Append(E(BugText.Kind(b))).Append("</td>")
          .Append("<td><code class=\"msg\">").Append(E(f.Outcome.Message)).Append("</code>");
        if (BugText.Why(b, all) is { } why)
            sb.Append("<p class=\"why\">Why it matters: ").Append(E(why)).Append("</p>");
        if (r.Comparison is { } c)
            sb.Append("<p class=\"vs\">").Append(E($"against {c.Baseline.Name}: {c.Label} ({c.How})")).Append("</p>");
        sb.Append("</td><td><code>").Append(string.Join("<br>", g.Race.Sides.Select(s => E($"CPU {s.Cpu}: {s.Name}")))).Append("</code>")
          .Append(g.Race.Qualifier is { } q ? $"<br>{E(q)}" : "").Append("</td>")
          .Append("<td>").Append(f.Preemptions).Append("</td><td>").Append(f.Scenario.Cpus.Length).Append("</td><td>").Append(g.Members.Count).Append("</td>")
          .Append("<td class=\"files\">").Append(Links(r));
        var others = g.Members.Where(m => m != r).ToList();
        if (others.Count > 0)
        {
            sb.Append("<details><summary>").Append(others.Count).Append(" more finding(s)</summary><ul>");
            foreach (var m in others)
                sb.Append("<li>").Append(E($"{m.Finding.Scenario.Name}, {m.Finding.Steps.Count} steps, {m.Finding.Preemptions} preemption(s): ")).Append(Links(m)).Append("</li>");
            sb.Append("</ul></details>");
        }
        var signatures = g.Signatures;
        if (signatures.Count > 1)
        {
            sb.Append("<details><summary>").Append(signatures.Count).Append(" raw signatures merged</summary><ul>");
            foreach (var s in signatures)
                sb.Append("<li><code>").Append(E(s)).Append("</code></li>");
            sb.Append("</ul></details>");
        }
        sb.Append("</td><td class=\"drawing\">").Append(HtmlReport.Drawing(r.Report, $"d{n}-")).Append("</td></tr>\n");
    }

    /// <summary>Links to a finding's page, mail trace and schedule (relative: the index sits beside them), or its replay command.</summary>
    static string Links(FoundBug m)
    {
        if (m.File is null)
            return $"<code class=\"cmd\">{E(m.Replay)}</code>";
        var links = new List<string>();
        if (m.PageFile is { } page)
            links.Add($"<a class=\"page\" href=\"{E(Uri.EscapeDataString(Path.GetFileName(page)))}\">page</a>");
        if (m.TraceFile is { } trace)
            links.Add($"<a class=\"trace\" href=\"{E(Uri.EscapeDataString(Path.GetFileName(trace)))}\">trace</a>");
        links.Add($"<a class=\"schedule\" href=\"{E(Uri.EscapeDataString(Path.GetFileName(m.File)))}\">{E(Path.GetFileName(m.File))}</a>");
        return string.Join(" ", links);
    }

    static string E(string s) => WebUtility.HtmlEncode(s);

    static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    const string Css = """
        body{font:13px/1.35 system-ui,sans-serif;margin:0 14px 20px;color:#222;background:#fff}
        header{padding:8px 0;border-bottom:1px solid #ccc}h1{font-size:18px;margin:0 0 4px}h2{font-size:15px;margin:14px 0 6px}
        code{font:12px ui-monospace,monospace;white-space:pre-wrap}code.cmd{white-space:pre;display:block;overflow-x:auto}
        table{border-collapse:collapse;margin-bottom:8px}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
        th{background:#e8e8ee;position:sticky;top:0}#bugs th{cursor:pointer}#bugs th[data-type=none]{cursor:default}#bugs th.asc::after{content:" \25B2"}#bugs th.desc::after{content:" \25BC"}
        tr.differs td{background:#fde2e2}.kind{color:#b00;font-weight:600}.why{margin:4px 0 0;color:#444}.vs{margin:4px 0 0}
        td.drawing svg{max-width:420px;max-height:340px;width:auto;height:auto}td.files a{margin-right:6px}#controls{margin:6px 0}#shown{color:#555}
        """;

    const string Script = """
        (function(){
        var body=document.querySelector('#bugs tbody'),rows=[].slice.call(body.rows),heads=document.querySelectorAll('#bugs th');
        function cell(tr,i,num){var t=tr.cells[i].textContent.trim();return num?parseFloat(t)||0:t.toLowerCase();}
        [].forEach.call(heads,function(th,i){if(th.getAttribute('data-type')=='none')return;th.addEventListener('click',function(){
          var num=th.getAttribute('data-type')=='num',dir=th.classList.contains('asc')?-1:1;
          [].forEach.call(heads,function(h){h.classList.remove('asc','desc');});th.classList.add(dir>0?'asc':'desc');
          rows.slice().sort(function(a,b){var x=cell(a,i,num),y=cell(b,i,num);return (x<y?-1:x>y?1:0)*dir;}).forEach(function(tr){body.appendChild(tr);});
        });});
        var filter=document.getElementById('filter'),state=document.getElementById('state'),kind=document.getElementById('kind');
        function apply(){var q=filter.value.toLowerCase(),n=0;
          rows.forEach(function(tr){var on=(!q||tr.textContent.toLowerCase().indexOf(q)>=0)&&(!state.value||tr.getAttribute('data-state')==state.value)
            &&(!kind.value||tr.getAttribute('data-kind')==kind.value);tr.style.display=on?'':'none';if(on)n++;});
          document.getElementById('shown').textContent=n+' of '+rows.length+' shown';}
        filter.addEventListener('input',apply);state.addEventListener('change',apply);kind.addEventListener('change',apply);apply();
        })();
        """;
}
