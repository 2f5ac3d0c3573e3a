using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MmFuzz.Memory;
using MmFuzz.Scenarios;
using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Reports;

/// <summary>
/// The HTML form of a report: one self-contained page (inline CSS, JS and SVG; nothing loaded from
/// the network) with a header, the schedule as a timeline with one column per CPU, and a drawing of
/// every list involved — queue heads, the scans' on-stack heads, the folios with refcount, flags and
/// memcg, <c>next</c> and <c>prev</c> arrows, freed folios and poison pointers marked — at the step
/// selected in the timeline. It opens at the step where the oracle fired, with the pointer the
/// finding points at highlighted; <c>#step=N</c> in the URL selects step N (0: the initial state).
/// </summary>
/// <remarks>
/// <see cref="ListLayout"/> lays out every state (no label on another label, a pointer or a box
/// edge); each distinct state is drawn once as an SVG string, the page maps steps to drawings and the
/// script only swaps them and marks the accessed field. The drawing after step N shows the memory
/// after N's store. The arrow keys step through the timeline (Left/Up: previous, Right/Down: next,
/// Home/End), as do clicks on a row and the buttons; each updates <c>#step=N</c>.
/// </remarks>
public static class HtmlReport
{
    /// <summary>Renders <paramref name="report"/> as a page; <paramref name="replayCommand"/> goes into the header.</summary>
    public static string Render(Report report, string replayCommand)
    {
        var svgs = new List<string>();
        var index = new Dictionary<string, int>();
        var map = new int[report.States.Count];
        var scenes = ListLayout.Lay(report);
        for (int k = 0; k < scenes.Count; k++)
        {
            var svg = Svg(scenes[k]);
            if (!index.TryGetValue(svg, out var i))
            {
                i = svgs.Count;
                svgs.Add(svg);
                index[svg] = i;
            }
            map[k] = i;
        }
        int oracle = report.Events.Count;
        var data = new
        {
            svgs,
            map,
            oracle,
            race = Math.Min(report.RaceStart, oracle),
            acc = report.Accessed.Select(a => a?.ElementId).ToArray(),
            bad = report.Culprit?.ElementId,
        };
        var o = report.Outcome;
        var sb = new StringBuilder(64 * 1024);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
        sb.Append("<title>").Append(E($"{report.Variant.Name} / {report.Scenario.Name}: {(o.IsBug ? BugKinds.Name(o.Kind) : "no bug")}")).Append("</title>\n");
        sb.Append("<style>").Append(Css).Append(DrawingCss).Append("</style></head>\n<body data-step=\"").Append(oracle).Append("\">\n");
        sb.Append("<header><h1>").Append(E(report.Variant.Name)).Append(" / ").Append(E(report.Scenario.Name)).Append(": <span class=\"kind\">")
          .Append(E(o.IsBug ? BugKinds.Name(o.Kind) : "no oracle fired")).Append("</span></h1>\n<dl>");
        Row(sb, "kernel state", E(report.Variant.KernelState));
        Row(sb, "scenario", E(report.Scenario.Description));
        Row(sb, "schedule", $"{report.Events.Count} steps, {report.Preemptions} preemption(s), {report.Scenario.Cpus.Length} CPUs" +
            (report.OraclesOff.Count > 0 ? E($", oracles off: {string.Join(",", report.OraclesOff.Select(BugKinds.Name))}") : ""));
        if (o.IsBug)
            Row(sb, "oracle", $"<code id=\"message\">{Code(o.Cpu > 0 ? $"CPU {o.Cpu}: {o.Message}" : o.Message)}</code>");
        Row(sb, "history", Commits(History.Of(report.Variant)?.Source ?? ""));
        Row(sb, "replay", $"<code class=\"cmd\">{E(replayCommand)}</code>");
        sb.Append("</dl></header>\n<main><section id=\"timeline\"><table style=\"min-width:calc(44px + ").Append(report.Scenario.Cpus.Length).Append(" * ")
          .Append(Unbreakable(report.Texts.SelectMany(t => new[] { t.Operation, t.Action + " " + t.Detail })) + 2).Append("ch)\">\n<thead><tr><th>step</th>");
        for (int c = 1; c <= report.Scenario.Cpus.Length; c++)
            sb.Append("<th class=\"cpu\">CPU ").Append(c).Append("</th>");
        sb.Append("</tr></thead><tbody>\n<tr class=\"init\" data-step=\"0\"><td>0</td><td colspan=\"").Append(report.Scenario.Cpus.Length)
          .Append("\">initial state</td></tr>\n");
        var lastOp = new int[report.Scenario.Cpus.Length];
        Array.Fill(lastOp, -1);
        string lastAction = "";
        for (int k = 0; k < report.Events.Count; k++)
        {
            var e = report.Events[k];
            var t = report.Texts[k];
            sb.Append("<tr class=\"step").Append(e.Preempted ? " pre" : "").Append("\" id=\"s").Append(k + 1).Append("\" data-step=\"").Append(k + 1)
              .Append("\"><td>").Append(k + 1).Append(e.Preempted ? " ~" : "").Append("</td>");
            for (int c = 0; c < report.Scenario.Cpus.Length; c++)
            {
                if (c != e.Cpu)
                {
                    sb.Append("<td></td>");
                    continue;
                }
                sb.Append("<td class=\"run\">");
                if (lastOp[c] != e.Pc)
                {
                    lastOp[c] = e.Pc;
                    sb.Append("<div class=\"op\">").Append(Code(t.Operation)).Append("</div>");
                    lastAction = "";
                }
                bool newAction = k == 0 || report.Events[k - 1].Cpu != e.Cpu || report.Events[k - 1].ActionSeq != e.ActionSeq || t.Action != lastAction;
                lastAction = t.Action;
                if (newAction && t.Action.Length > 0)
                    sb.Append("<span class=\"act\">").Append(Code(t.Action)).Append("</span> ");
                sb.Append(Code(t.Detail)).Append("</td>");
            }
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody></table></section>\n<section id=\"view\"><nav>")
          .Append("<button id=\"first\">initial</button><button id=\"prev\">&larr; prev</button><button id=\"next\">next &rarr;</button>")
          .Append("<button id=\"race\">first step of the race (").Append(data.race).Append(")</button>")
          .Append("<button id=\"fired\">oracle fired (").Append(oracle).Append(")</button> <span id=\"cur\"></span></nav>\n")
          .Append("<div id=\"legend\"><span class=\"ln\">&rarr; next</span> <span class=\"lp\">&rarr; prev</span> <span class=\"lb\">pointer that went wrong</span> ")
          .Append("<span class=\"la\">field accessed at this step</span> <span class=\"lf\">freed folio</span></div>\n")
          .Append("<div id=\"drawing\"></div></section></main>\n");
        sb.Append("<script type=\"application/json\" id=\"data\">").Append(JsonSerializer.Serialize(data)).Append("</script>\n");
        sb.Append("<script>").Append(Script).Append("</script>\n</body></html>\n");
        return sb.ToString();
    }

    /// <summary>
    /// The drawing of the lists after the oracle's step (the corrupting one), the field the finding
    /// points at marked "bad", as one SVG whose element ids start with <paramref name="prefix"/> (so
    /// several fit in one page: the findings index).
    /// </summary>
    public static string Drawing(Report report, string prefix) => Svg(ListLayout.Lay(report)[^1], prefix, report.Culprit?.ElementId);

    static void Row(StringBuilder sb, string name, string html) => sb.Append("<dt>").Append(name).Append("</dt><dd>").Append(html).Append("</dd>\n");

    static string E(string s) => WebUtility.HtmlEncode(s);

    /// <summary>
    /// Code text for the timeline and the oracle's message: HTML-encoded, with line breaks allowed only
    /// between tokens (after "(" or "," and after a "." that a name follows) and never inside an
    /// identifier or an arrow ("A-&gt;memcg_data" stays whole); the CSS breaks nothing else.
    /// </summary>
    static string Code(string s)
    {
        var sb = new StringBuilder(s.Length + 16);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i], after = i + 1 < s.Length ? s[i + 1] : ' ';
            if (c == '-' && after == '>')
            {
                sb.Append("<span class=\"nb\">-&gt;</span>");
                i++;
                continue;
            }
            sb.Append(c switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", '"' => "&quot;", '\'' => "&#39;", _ => c.ToString() });
            if (BreaksAfter(s, i))
                sb.Append("<wbr>");
        }
        return sb.ToString();
    }


    /// <summary>Whether <see cref="Code"/> lets a line break after <c>s[i]</c>: after a call's "(", a ","
    /// or a "." followed by a name ("memcg1.<c>|</c>split_queue_lock"), never between two name characters.</summary>
    static bool BreaksAfter(string s, int i)
    {
        char c = s[i], before = i > 0 ? s[i - 1] : ' ', after = i + 1 < s.Length ? s[i + 1] : ' ';
        return after is not (' ' or ')') && c switch
        {
            '(' => char.IsAsciiLetterOrDigit(before) || before == '_',
            ',' => true,
            '.' => char.IsAsciiLetter(after) || after == '_',
            _ => false,
        };
    }

    /// <summary>The longest stretch of <see cref="Code"/> text that cannot break (at least 12), in characters.</summary>
    static int Unbreakable(IEnumerable<string> texts)
    {
        int longest = 12;
        foreach (var s in texts)
            for (int i = 0, run = 0; i < s.Length; i++)
            {
                run = s[i] == ' ' ? 0 : run + 1;
                longest = Math.Max(longest, run);
                if (BreaksAfter(s, i))
                    run = 0;
            }
        return longest;
    }

    /// <summary>The history text with commit ids linked to their upstream commit.</summary>
    static string Commits(string history) =>
        Regex.Replace(E(history), "\\b[0-9a-f]{12}\\b", m => $"<a href=\"https://git.kernel.org/linus/{m.Value}\">{m.Value}</a>");

    /// <summary>
    /// One laid-out state as SVG: row labels, boxes with their lines, pointers with arrowheads, stub
    /// labels; every id prefixed with <paramref name="prefix"/>, and the element whose unprefixed id is
    /// <paramref name="bad"/> marked "bad" (the page's script marks it itself, at the oracle's step).
    /// </summary>
    static string Svg(Scene scene, string prefix = "", string? bad = null)
    {
        string Class(string id, string cls) => id == bad ? (cls.Length == 0 ? "bad" : cls + " bad") : cls;
        var sb = new StringBuilder(4096);
        sb.Append(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{scene.Width}\" height=\"{scene.Height}\" viewBox=\"0 0 {scene.Width} {scene.Height}\">"))
          .Append("<defs><marker id=\"").Append(prefix).Append("ah\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto-start-reverse\">")
          .Append("<path d=\"M0,0L10,5L0,10z\" fill=\"context-stroke\"/></marker></defs>");
        foreach (var n in scene.Nodes)
        {
            sb.Append("<g class=\"node ").Append(n.Class).Append("\" id=\"").Append(prefix).Append('n').Append(n.Node).Append("\" data-name=\"").Append(E(n.Name)).Append("\">")
              .Append(F($"<rect x=\"{n.Box.X}\" y=\"{n.Box.Y}\" width=\"{n.Box.W}\" height=\"{n.Box.H}\" rx=\"4\"/>"));
            foreach (var t in n.Lines)
                Text(sb, t, prefix, t.Id is { } id ? Class(id, t.Class) : t.Class);
            sb.Append("</g>");
        }
        foreach (var p in scene.Pointers)
        {
            var id = $"n{p.Node}-{p.Field}";
            sb.Append("<path id=\"").Append(prefix).Append(id).Append("\" class=\"").Append(Class(id, p.Class)).Append("\" d=\"");
            for (int k = 0; k < p.Points.Count; k++)
                sb.Append(k == 0 ? 'M' : 'L').Append(F($"{p.Points[k].X:0.##},{p.Points[k].Y:0.##}"));
            sb.Append("\" marker-end=\"url(#").Append(prefix).Append("ah)\"><title>").Append(E($"{p.Field} = {p.Target}")).Append("</title></path>");
        }
        foreach (var t in scene.Labels)
            Text(sb, t, prefix, t.Class);
        return sb.Append("</svg>").ToString();
    }

    static void Text(StringBuilder sb, SceneText t, string prefix, string cls)
    {
        sb.Append("<text");
        if (t.Id is not null)
            sb.Append(" id=\"").Append(prefix).Append(t.Id).Append('"');
        if (cls.Length > 0)
            sb.Append(" class=\"").Append(cls).Append('"');
        sb.Append(F($" x=\"{t.X:0.##}\" y=\"{t.Y:0.##}\">")).Append(E(t.Text)).Append("</text>");
    }

    static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    const string Css = """
        body{font:13px/1.35 system-ui,sans-serif;margin:0;color:#222;background:#fff}
        header{padding:8px 14px;background:#f3f3f6;border-bottom:1px solid #ccc}
        h1{font-size:17px;margin:0 0 6px}.kind{color:#b00}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0}dt{font-weight:600}dd{margin:0;min-width:0}
        code{font:12px ui-monospace,monospace;white-space:pre-wrap;overflow-wrap:normal;word-break:normal}
        code.cmd{white-space:pre;display:block;overflow-x:auto}.nb{white-space:nowrap}
        main{display:flex;gap:10px;align-items:flex-start}
        #timeline{flex:0 0 46%;max-height:calc(100vh - 150px);overflow:auto;border-right:1px solid #ccc;position:relative}
        table{border-collapse:collapse;font:11.5px ui-monospace,monospace;width:100%;table-layout:fixed}th:first-child{width:44px}
        th{position:sticky;top:0;background:#e8e8ee;text-align:left;padding:2px 4px}
        td{padding:1px 4px;vertical-align:top;border-bottom:1px solid #eee;overflow-wrap:normal;word-break:normal}
        tr{cursor:pointer}tr:hover{background:#f4f8ff}tr.sel{background:#ffe9a8}
        tr.pre td:first-child{color:#b00;font-weight:700}
        .op{font-weight:700;color:#035}.act{color:#063}
        #view{flex:1;position:sticky;top:0;overflow:auto;max-height:100vh}
        nav{padding:6px 0}button{margin-right:4px}
        #legend span{margin-right:10px}.ln{color:#1565c0}.lp{color:#e65100}.lb{color:#d00;font-weight:700}.la{background:#bff5bf}.lf{color:#888;text-decoration:line-through}
        """;

    /// <summary>The CSS of the list drawings (<see cref="Drawing"/>), for a page that shows them.</summary>
    public const string DrawingCss = """
        svg text{font:11px "DejaVu Sans Mono","Liberation Mono",monospace;white-space:pre}
        .rowlabel{font-weight:700;fill:#555}
        .node rect{fill:#fff;stroke:#333;stroke-width:1.2}
        .head.queue rect{fill:#e3edf9}.head.stack rect{fill:#eef7e6}
        .freed rect{fill:#ddd;stroke:#888;stroke-dasharray:5 3}.freed text{fill:#777}
        .oos rect{fill:#eee;stroke-dasharray:3 3}
        .title{font-weight:700}
        .ptr{fill:none;stroke-width:1.6}.ptr.next{stroke:#1565c0}.ptr.prev{stroke:#e65100}
        .ptr.dead{stroke-dasharray:4 3}
        .stub{fill:#555}.stub.poison,.ptr.poison{fill:#a0a;stroke:#a0a}
        .acc{stroke:#2e7d32 !important;stroke-width:4 !important}
        text.acc{fill:#2e7d32;font-weight:700;stroke:none !important}
        .bad{stroke:#d00 !important;stroke-width:5 !important}
        text.bad{fill:#d00;font-weight:700;stroke:none !important}
        """;

    const string Script = """
        (function(){
        var D=JSON.parse(document.getElementById('data').textContent);
        var n=D.map.length-1,cur=-1;
        function show(k){
          k=Math.max(0,Math.min(n,k|0));cur=k;
          var dr=document.getElementById('drawing');dr.innerHTML=D.svgs[D.map[k]];
          if(k>0&&D.acc[k-1]){var a=document.getElementById(D.acc[k-1]);if(a)a.classList.add('acc');}
          if(k==D.oracle&&D.bad){var b=document.getElementById(D.bad);if(b){b.classList.remove('acc');b.classList.add('bad');}}
          var old=document.querySelectorAll('tr.sel');for(var i=0;i<old.length;i++)old[i].classList.remove('sel');
          var row=document.querySelector('tr[data-step="'+k+'"]');
          if(row){row.classList.add('sel');var tl=document.getElementById('timeline');
            if(row.offsetTop<tl.scrollTop||row.offsetTop>tl.scrollTop+tl.clientHeight-30)tl.scrollTop=row.offsetTop-tl.clientHeight/2;}
          document.body.setAttribute('data-step',k);
          document.getElementById('cur').textContent=(k==0?'initial state':'after step '+k+' of '+n)+(k==D.oracle&&D.bad?' (oracle fired)':'');
        }
        function fromHash(){var m=/step=(\d+)/.exec(location.hash);show(m?+m[1]:D.oracle);}
        function go(k){k=Math.max(0,Math.min(n,k|0));show(k);if(location.hash!='#step='+k)location.hash='step='+k;}
        document.querySelector('tbody').addEventListener('click',function(e){var tr=e.target.closest('tr');if(tr)go(+tr.getAttribute('data-step'));});
        document.getElementById('first').onclick=function(){go(0);};
        document.getElementById('prev').onclick=function(){go(cur-1);};
        document.getElementById('next').onclick=function(){go(cur+1);};
        document.getElementById('race').onclick=function(){go(D.race);};
        document.getElementById('fired').onclick=function(){go(D.oracle);};
        var keys={ArrowRight:1,ArrowDown:1,j:1,ArrowLeft:-1,ArrowUp:-1,k:-1};
        document.addEventListener('keydown',function(e){
          if(e.altKey||e.ctrlKey||e.metaKey||e.shiftKey||e.defaultPrevented)return;
          if(keys[e.key]){go(cur+keys[e.key]);e.preventDefault();}
          else if(e.key=='Home'){go(0);e.preventDefault();}else if(e.key=='End'){go(n);e.preventDefault();}
        });
        window.addEventListener('hashchange',fromHash);
        fromHash();
        })();
        """;
}
