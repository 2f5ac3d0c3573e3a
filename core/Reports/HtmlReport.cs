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
/// The layout is computed here: one row per list head, its entries in <c>next</c> order; folios no
/// walk reaches go to a last row. Each distinct memory state is drawn once as an SVG string; the page
/// maps steps to drawings and the script only swaps them and marks the accessed field.
/// </remarks>
public static class HtmlReport
{
    const int BoxW = 124, BoxH = 66, ColW = 164, RowH = 140, Left = 40, Top = 34;

    /// <summary>Renders <paramref name="report"/> as a page; <paramref name="replayCommand"/> goes into the header.</summary>
    public static string Render(Report report, string replayCommand)
    {
        var svgs = new List<string>();
        var index = new Dictionary<string, int>();
        var map = new int[report.States.Count];
        var heads = Heads(report);
        for (int k = 0; k < report.States.Count; k++)
        {
            var svg = Draw(report, report.States[k], heads);
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
        sb.Append("<style>").Append(Css).Append("</style></head>\n<body data-step=\"").Append(oracle).Append("\">\n");
        sb.Append("<header><h1>").Append(E(report.Variant.Name)).Append(" / ").Append(E(report.Scenario.Name)).Append(": <span class=\"kind\">")
          .Append(E(o.IsBug ? BugKinds.Name(o.Kind) : "no oracle fired")).Append("</span></h1>\n<dl>");
        Row(sb, "kernel state", E(report.Variant.KernelState));
        Row(sb, "scenario", E(report.Scenario.Description));
        Row(sb, "schedule", $"{report.Events.Count} steps, {report.Preemptions} preemption(s), {report.Scenario.Cpus.Length} CPUs" +
            (report.OraclesOff.Count > 0 ? E($", oracles off: {string.Join(",", report.OraclesOff.Select(BugKinds.Name))}") : ""));
        if (o.IsBug)
            Row(sb, "oracle", $"<code id=\"message\">{E(o.Cpu > 0 ? $"CPU {o.Cpu}: " : "")}{E(o.Message)}</code>");
        Row(sb, "history", Commits(History.Of(report.Variant)?.Source ?? ""));
        Row(sb, "replay", $"<code>{E(replayCommand)}</code>");
        sb.Append("</dl></header>\n<main><section id=\"timeline\"><table>\n<thead><tr><th>step</th>");
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
                    sb.Append("<div class=\"op\">").Append(E(t.Operation)).Append("</div>");
                    lastAction = "";
                }
                bool newAction = k == 0 || report.Events[k - 1].Cpu != e.Cpu || report.Events[k - 1].ActionSeq != e.ActionSeq || t.Action != lastAction;
                lastAction = t.Action;
                if (newAction && t.Action.Length > 0)
                    sb.Append("<span class=\"act\">").Append(E(t.Action)).Append("</span> ");
                sb.Append(E(t.Detail)).Append("</td>");
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

    static void Row(StringBuilder sb, string name, string html) => sb.Append("<dt>").Append(name).Append("</dt><dd>").Append(html).Append("</dd>\n");

    static string E(string s) => WebUtility.HtmlEncode(s);

    /// <summary>The history text with commit ids linked to their upstream commit.</summary>
    static string Commits(string history) =>
        Regex.Replace(E(history), "\\b[0-9a-f]{12}\\b", m => $"<a href=\"https://git.kernel.org/linus/{m.Value}\">{m.Value}</a>");

    /// <summary>The heads drawn: the three queues and the on-stack list of every CPU that runs a scan.</summary>
    static List<int> Heads(Report r)
    {
        var heads = new List<int>();
        for (int i = 0; i < r.Nodes.Count; i++)
        {
            var n = r.Nodes[i];
            if (n.Kind == NodeKind.Queue)
                heads.Add(i);
            else if (n.Kind == NodeKind.StackList && int.Parse(n.Name[3..n.Name.IndexOf('.')], CultureInfo.InvariantCulture) is var cpu
                     && r.Scenario.Cpus[cpu - 1].Any(op => op.Kind == OpKind.Scan))
                heads.Add(i);
        }
        return heads;
    }

    /// <summary>Draws one memory state: rows of lists in <c>next</c> order, then every pointer.</summary>
    static string Draw(Report r, NodeState[] s, List<int> heads)
    {
        var nodes = r.Nodes;
        var pos = new (int X, int Y)?[nodes.Count];
        var placed = new bool[nodes.Count];
        var rows = new List<(string Label, List<int> Members)>();
        foreach (var h in heads)
        {
            var members = new List<int> { h };
            placed[h] = true;
            int cur = h;
            for (int guard = 0; guard < nodes.Count; guard++)
            {
                int nx = s[cur].Next.Node;
                if (nx < 0 || placed[nx] || nodes[nx].Kind != NodeKind.Folio)
                    break;
                members.Add(nx);
                placed[nx] = true;
                cur = nx;
            }
            rows.Add((nodes[h].Kind == NodeKind.Queue ? $"{nodes[h].Name}->deferred_split_queue" : $"CPU {nodes[h].Name[3..nodes[h].Name.IndexOf('.')]}'s on-stack LIST_HEAD(list)", members));
        }
        var rest = Enumerable.Range(0, nodes.Count).Where(i => !placed[i] && nodes[i].Kind == NodeKind.Folio).ToList();
        if (rest.Count > 0)
            rows.Add(("on no list reached from a head", rest.Prepend(-1).ToList()));
        int maxCols = rows.Max(row => row.Members.Count);
        for (int ri = 0; ri < rows.Count; ri++)
            for (int ci = 0; ci < rows[ri].Members.Count; ci++)
                if (rows[ri].Members[ci] >= 0)
                    pos[rows[ri].Members[ci]] = (Left + ci * ColW, Top + ri * RowH);
        int width = Left + maxCols * ColW + 60, height = Top + rows.Count * RowH;
        var sb = new StringBuilder(4096);
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(width).Append("\" height=\"").Append(height)
          .Append("\" viewBox=\"0 0 ").Append(width).Append(' ').Append(height).Append("\">")
          .Append("<defs><marker id=\"ah\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto-start-reverse\">")
          .Append("<path d=\"M0,0L10,5L0,10z\" fill=\"context-stroke\"/></marker></defs>");
        for (int ri = 0; ri < rows.Count; ri++)
            sb.Append("<text class=\"rowlabel\" x=\"").Append(Left).Append("\" y=\"").Append(Top + ri * RowH - 14).Append("\">").Append(E(rows[ri].Label)).Append("</text>");
        for (int i = 0; i < nodes.Count; i++)
            if (pos[i] is { } p)
                Box(sb, i, nodes[i], s[i], p.X, p.Y);
        for (int i = 0; i < nodes.Count; i++)
            if (pos[i] is { } p)
            {
                Pointer(sb, i, "next", s[i].Next, p, pos, s[i].Live);
                Pointer(sb, i, "prev", s[i].Prev, p, pos, s[i].Live);
            }
        sb.Append("</svg>");
        return sb.ToString();
    }

    static void Box(StringBuilder sb, int i, ListNode n, NodeState st, int x, int y)
    {
        string cls = n.Kind switch { NodeKind.Folio => "folio", NodeKind.Queue => "head queue", _ => "head stack" };
        if (st.Live == Liveness.Freed) cls += " freed";
        if (st.Live == Liveness.OutOfScope) cls += " oos";
        sb.Append("<g class=\"node ").Append(cls).Append("\" id=\"n").Append(i).Append("\" data-name=\"").Append(E(n.Name)).Append("\">")
          .Append("<rect x=\"").Append(x).Append("\" y=\"").Append(y).Append("\" width=\"").Append(BoxW).Append("\" height=\"").Append(BoxH).Append("\" rx=\"4\"/>");
        void Text(int line, string id, string text, string extra = "")
        {
            sb.Append("<text x=\"").Append(x + 8).Append("\" y=\"").Append(y + 16 + line * 15).Append('"');
            if (id.Length > 0) sb.Append(" id=\"n").Append(i).Append('-').Append(id).Append('"');
            if (extra.Length > 0) sb.Append(" class=\"").Append(extra).Append('"');
            sb.Append('>').Append(E(text)).Append("</text>");
        }
        switch (n.Kind)
        {
            case NodeKind.Folio:
                Text(0, "", st.Live == Liveness.Freed ? $"folio {n.Name}  FREED" : $"folio {n.Name}", "title");
                Text(1, "ref", $"_refcount={st.Refcount}");
                Text(2, "flags", (st.Locked ? "locked " : "") + (st.PartiallyMapped ? "partially_mapped" : st.Locked ? "" : "unlocked"));
                Text(3, "memcg", st.Memcg.Length == 0 ? "uncharged" : $"memcg_data={st.Memcg}");
                break;
            case NodeKind.Queue:
                Text(0, "", $"{n.Name} queue", "title");
                Text(1, "len", $"split_queue_len={st.Len}");
                Text(2, "lock", st.LockHolder == 0 ? "lock free" : $"lock held by CPU {st.LockHolder}");
                break;
            default:
                Text(0, "", n.Name, "title");
                Text(1, "", st.Live == Liveness.Live ? "LIST_HEAD on the stack" : "frame returned");
                break;
        }
        sb.Append("</g>");
    }

    static void Pointer(StringBuilder sb, int i, string field, Link link, (int X, int Y) p, (int X, int Y)?[] pos, Liveness live)
    {
        bool next = field == "next";
        double sx = next ? p.X + BoxW : p.X, sy = next ? p.Y + 20 : p.Y + BoxH - 14;
        string d;
        string label = "";
        double lx = 0, ly = 0;
        if (link.Node == i)
        {
            // Self-linked (an empty list or a folio on no list): a small loop.
            d = next
                ? F($"M{sx},{sy} C{sx + 28},{sy} {sx + 28},{p.Y - 16} {sx - 14},{p.Y}")
                : F($"M{sx},{sy} C{sx - 28},{sy} {sx - 28},{p.Y + BoxH + 16} {sx + 14},{p.Y + BoxH}");
        }
        else if (link.Node >= 0 && pos[link.Node] is { } t)
        {
            double tx = next ? t.X : t.X + BoxW, ty = next ? t.Y + 20 : t.Y + BoxH - 14;
            bool straight = ty == sy && (next ? tx > sx && tx - sx < ColW : tx < sx && sx - tx < ColW);
            if (straight)
                d = F($"M{sx},{sy} L{tx},{ty}");
            else
            {
                double bend = 50 + Math.Abs(tx - sx) * 0.15;
                d = ty == sy
                    ? F($"M{sx},{sy} C{sx + (next ? 30 : -30)},{sy + (next ? -bend : bend)} {tx + (next ? -30 : 30)},{ty + (next ? -bend : bend)} {tx},{ty}")
                    : F($"M{sx},{sy} C{sx + (next ? 70 : -70)},{sy} {tx + (next ? -70 : 70)},{ty} {tx},{ty}");
            }
        }
        else
        {
            // LIST_POISON, NULL or anything that is no drawn list_head: an arrow to a labelled stub.
            lx = next ? sx + 12 : sx - 12;
            ly = next ? p.Y - 12 : p.Y + BoxH + 22;
            d = F($"M{sx},{sy} L{lx},{ly}");
            label = link.Symbol;
        }
        string cls = "ptr " + field + (link.Symbol.StartsWith("LIST_POISON", StringComparison.Ordinal) ? " poison" : "") + (live == Liveness.Live ? "" : " dead");
        sb.Append("<path id=\"n").Append(i).Append('-').Append(field).Append("\" class=\"").Append(cls).Append("\" d=\"").Append(d)
          .Append("\" marker-end=\"url(#ah)\"><title>").Append(E($"{field} = {link.Symbol}")).Append("</title></path>");
        if (label.Length > 0)
            sb.Append("<text class=\"stub").Append(label.StartsWith("LIST_POISON", StringComparison.Ordinal) ? " poison" : "").Append("\" x=\"")
              .Append(F($"{lx}")).Append("\" y=\"").Append(F($"{(next ? ly - 3 : ly + 12)}")).Append("\" text-anchor=\"").Append(next ? "start" : "end").Append("\">")
              .Append(E(label)).Append("</text>");
    }

    static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    const string Css = """
        body{font:13px/1.35 system-ui,sans-serif;margin:0;color:#222;background:#fff}
        header{padding:8px 14px;background:#f3f3f6;border-bottom:1px solid #ccc}
        h1{font-size:17px;margin:0 0 6px}.kind{color:#b00}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0}dt{font-weight:600}dd{margin:0}
        code{font:12px ui-monospace,monospace;white-space:pre-wrap;word-break:break-all}
        main{display:flex;gap:10px;align-items:flex-start}
        #timeline{flex:0 0 46%;max-height:calc(100vh - 150px);overflow:auto;border-right:1px solid #ccc;position:relative}
        table{border-collapse:collapse;font:11.5px ui-monospace,monospace;width:100%;table-layout:fixed}th:first-child{width:44px}
        th{position:sticky;top:0;background:#e8e8ee;text-align:left;padding:2px 4px}
        td{padding:1px 4px;vertical-align:top;border-bottom:1px solid #eee;overflow-wrap:anywhere}
        tr{cursor:pointer}tr:hover{background:#f4f8ff}tr.sel{background:#ffe9a8}
        tr.pre td:first-child{color:#b00;font-weight:700}
        .op{font-weight:700;color:#035}.act{color:#063}
        #view{flex:1;position:sticky;top:0;overflow:auto;max-height:100vh}
        nav{padding:6px 0}button{margin-right:4px}
        #legend span{margin-right:10px}.ln{color:#1565c0}.lp{color:#e65100}.lb{color:#d00;font-weight:700}.la{background:#bff5bf}.lf{color:#888;text-decoration:line-through}
        svg text{font:11px ui-monospace,monospace}
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
        function go(k){location.hash='step='+Math.max(0,Math.min(n,k));}
        document.querySelector('tbody').addEventListener('click',function(e){var tr=e.target.closest('tr');if(tr)go(+tr.getAttribute('data-step'));});
        document.getElementById('first').onclick=function(){go(0);};
        document.getElementById('prev').onclick=function(){go(cur-1);};
        document.getElementById('next').onclick=function(){go(cur+1);};
        document.getElementById('race').onclick=function(){go(D.race);};
        document.getElementById('fired').onclick=function(){go(D.oracle);};
        document.addEventListener('keydown',function(e){if(e.key=='ArrowDown'||e.key=='j'){go(cur+1);e.preventDefault();}if(e.key=='ArrowUp'||e.key=='k'){go(cur-1);e.preventDefault();}});
        window.addEventListener('hashchange',fromHash);
        fromHash();
        })();
        """;
}
