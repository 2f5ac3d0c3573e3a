using System.Text.Json;
using System.Text.RegularExpressions;
using MmFuzz.Engine;
using MmFuzz.Reports;
using NUnit.Framework;

namespace MmFuzz.Tests;

/// <summary>
/// The page's drawing, checked without a browser: after every step it draws the state the timeline
/// says the step left (a store an oracle stopped included), the field the oracle names is the one
/// highlighted, and the computed layout puts no label over another label, a pointer or its box's edge.
/// </summary>
public partial class ReportTests
{
    static IEnumerable<TestCaseData> RegressionsAndFindings()
    {
        foreach (var dir in new[] { "regressions", "findings" })
            foreach (var f in Directory.GetFiles(Path.Combine(Repo.Root(), "corpus", dir), "*.schedule").Order())
                yield return new TestCaseData(f).SetName($"{dir}/{Path.GetFileName(f)}");
        yield return new TestCaseData("list-corruption").SetName("list-corruption (mm-2024-03 seed-mail-batch, hunted)");
    }

    /// <summary>The page's drawings and which one each step shows (the data the page's script reads).</summary>
    static (string[] Svgs, int[] Map, string? Bad) PageData(string page)
    {
        var m = Regex.Match(page, "<script type=\"application/json\" id=\"data\">(.*?)</script>", RegexOptions.Singleline);
        Assert.That(m.Success, "the page carries its data");
        using var doc = JsonDocument.Parse(m.Groups[1].Value);
        var root = doc.RootElement;
        return (root.GetProperty("svgs").EnumerateArray().Select(e => e.GetString()!).ToArray(),
                root.GetProperty("map").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                root.GetProperty("bad").ValueKind == JsonValueKind.Null ? null : root.GetProperty("bad").GetString());
    }

    /// <summary>The text of the SVG element with id <paramref name="id"/> (a pointer's title, a field's line).</summary>
    static string ElementText(string svg, string id)
    {
        var m = Regex.Match(svg, $"<(path|text|polyline)\\b[^>]*\\bid=\"{id}\"[^>]*>(.*?)</\\1>", RegexOptions.Singleline);
        Assert.That(m.Success, $"the drawing has {id}");
        return System.Net.WebUtility.HtmlDecode(Regex.Replace(m.Groups[2].Value, "<[^>]+>", ""));
    }

    [TestCaseSource(nameof(RegressionsAndFindings)), Category("quick")]
    public void EachStepDrawsTheStateAfterItsStore(string path)
    {
        var report = Case(path);
        var (svgs, map, _) = PageData(HtmlReport.Render(report, "replay"));
        Assert.That(map, Has.Length.EqualTo(report.Events.Count + 1), "a drawing for the initial state and after every step");
        int checkedStores = 0;
        Assert.Multiple(() =>
        {
            for (int k = 1; k <= report.Events.Count; k++)
            {
                var e = report.Events[k - 1];
                if (report.Accessed[k - 1] is not { } f || !e.Access.Writes || e.Failed)
                    continue;
                var svg = svgs[map[k]];
                var detail = report.Texts[k - 1].Detail;
                var state = report.States[k][f.Node];
                var where = $"step {k} ({detail}) of {Path.GetFileName(path)}";
                switch (f.Field)
                {
                    case "next" or "prev" when e.Access.Op == AccessOp.Store:
                    {
                        // "A.next=memcg1.queue": the timeline's value is the recorded one and the drawn one.
                        var value = detail[(detail.LastIndexOf('=') + 1)..];
                        Assert.That((f.Field == "next" ? state.Next : state.Prev).Symbol, Is.EqualTo(value), where);
                        Assert.That(ElementText(svg, f.ElementId), Is.EqualTo($"{f.Field} = {value}"), where);
                        checkedStores++;
                        break;
                    }
                    case "len" when e.Access.Op == AccessOp.Store:
                    {
                        var value = detail[(detail.LastIndexOf('=') + 1)..];
                        Assert.That(state.Len.ToString(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(value), where);
                        Assert.That(ElementText(svg, f.ElementId), Is.EqualTo($"split_queue_len={value}"), where);
                        checkedStores++;
                        break;
                    }
                    case "ref" when Regex.Match(detail, @"^ref -?\d+->(-?\d+)$") is { Success: true } m:
                        Assert.That(state.Refcount.ToString(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(m.Groups[1].Value), where);
                        Assert.That(ElementText(svg, f.ElementId), Is.EqualTo($"_refcount={m.Groups[1].Value}"), where);
                        checkedStores++;
                        break;
                }
            }
        });
        Assert.That(checkedStores, Is.GreaterThan(0), "the schedule stores to a drawn field");
    }

    [Test, Category("quick")]
    public void TheStoreTheWrongLockOracleStoppedIsDrawnAtItsStep()
    {
        // Step 27 of the seed mail through the batch path: lockdep warns on CPU 2's store to
        // memcg1.queue.prev, which the timeline shows as made ("memcg1.queue.prev=memcg1.queue").
        var report = FromFile(Path.Combine(Repo.Root(), "corpus", "regressions", "0002-mm-2024-03-seed-mail-batch.schedule"));
        Assert.That(report.Events, Has.Count.EqualTo(27));
        Assert.That(report.Texts[26].Detail, Is.EqualTo("memcg1.queue.prev=memcg1.queue"));
        int memcg1 = report.Nodes.ToList().FindIndex(n => n.Name == "memcg1");
        Assert.That(report.States[26][memcg1].Prev.Symbol, Is.EqualTo("A"), "before the store");
        Assert.That(report.States[27][memcg1].Prev.Symbol, Is.EqualTo("memcg1.queue"), "after the store");
    }

    [Test, Category("quick")]
    public void LostDeferredSplitHighlightsTheFlagNotTheRefcount()
    {
        var report = FromFile(Path.Combine(Repo.Root(), "corpus", "findings", "0002-v6.13-lost-deferred-split.schedule"));
        Assert.That(report.Outcome.Kind, Is.EqualTo(BugKind.LostDeferredSplit));
        Assert.That(report.Culprit, Is.Not.Null);
        var c = report.Culprit!.Value;
        Assert.That((report.Nodes[c.Node].Name, c.Field), Is.EqualTo(("A", "flags")), "the oracle names A's PG_partially_mapped");
        var (svgs, map, bad) = PageData(HtmlReport.Render(report, "replay"));
        Assert.That(bad, Is.EqualTo(c.ElementId));
        Assert.That(ElementText(svgs[map[^1]], c.ElementId), Does.Contain("partially_mapped"), "the highlighted line shows the flag");
    }

    [TestCaseSource(nameof(RegressionsAndFindings)), Category("quick")]
    public void LayoutPutsNoLabelOnALabelAPointerOrABoxEdge(string path)
    {
        var report = Case(path);
        var scenes = ListLayout.Lay(report);
        Assert.That(scenes, Has.Count.EqualTo(report.States.Count), "a scene per state");
        var problems = scenes.SelectMany((s, k) => s.Collisions().Select(c => $"step {k}: {c}")).ToList();
        Assert.That(problems, Is.Empty, string.Join("\n", problems.Take(20)));
        Assert.That(scenes.Select(s => (s.Width, s.Height)).Distinct().Count(), Is.EqualTo(1), "one size for every step");
    }

    [Test, Category("quick")]
    public void CollisionCheckSeesOverlapsAndCrossings()
    {
        // The check itself: a label on a label, a pointer through a label, a line out of its box.
        var a = new SceneText("NULL", 10, 20, "stub", null);
        var b = new SceneText("LIST_HEAD(list)", 20, 22, "rowlabel", null);
        var box = new SceneNode(0, "A", new Rect(10, 40, 60, 30), "folio", [new SceneText("_refcount=1234567", 18, 56, "", "n0-ref")]);
        var through = new ScenePointer(0, "next", [new Point(70, 50), new Point(90, 50), new Point(90, 5), new Point(40, 5), new Point(40, 40)], "ptr next", "A");
        var problems = new Scene(200, 100, [a, b], [box], [through]).Collisions();
        Assert.That(problems, Has.Some.Contains("\"NULL\"").And.Some.Contains("overlaps \"LIST_HEAD(list)\""));
        Assert.That(problems, Has.Some.Contains("leaves the box of A"));
        Assert.That(problems, Has.Some.Contains("A.next (= A) crosses \"LIST_HEAD(list)\""));
        Assert.That(new Scene(200, 100, [new SceneText("NULL", 100, 20, "stub", null)], [box with { Lines = [] }], [through]).Collisions(), Is.Empty);
    }

    /// <summary>
    /// What the page's check script (<see cref="CheckScript"/>) found in the rendered DOM: text boxes
    /// that overlap, lines out of their box, pointers through a text, identifiers broken over two lines,
    /// and where each key press took the page.
    /// </summary>
    sealed record DomChecks(string[] Overlaps, string[] Outside, string[] Crossings, string[] Broken, string[] Keys);

    /// <summary>The page with <see cref="CheckScript"/> run after its own script.</summary>
    static string WithChecks(string page) => page.Replace("</body>", "<script>" + CheckScript + "</script>\n</body>", StringComparison.Ordinal);

    static DomChecks ReadChecks(string dom)
    {
        var m = Regex.Match(dom, "<pre id=\"checks\">(.*?)</pre>", RegexOptions.Singleline);
        Assert.That(m.Success, "the check script ran");
        return JsonSerializer.Deserialize<DomChecks>(System.Net.WebUtility.HtmlDecode(m.Groups[1].Value), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
    }

    /// <summary>The key presses <see cref="CheckScript"/> makes from the oracle's step <paramref name="n"/>, and where each must land.</summary>
    static string[] ExpectedKeys(int n) =>
        [.. new[] { ("ArrowLeft", n - 1), ("ArrowLeft", n - 2), ("ArrowRight", n - 1), ("ArrowUp", n - 2), ("ArrowDown", n - 1), ("ArrowRight", n), ("ArrowRight", n) }
            .Select(k => $"{k.Item1} -> {k.Item2} #step={k.Item2} drawn")];

    /// <summary>
    /// Runs in the page after its script: draws every distinct state and measures the SVG texts
    /// (getBoundingClientRect) for overlaps, lines leaving their box and pointers (sampled every pixel
    /// with getPointAtLength) through a text; measures every identifier of the timeline and the oracle's
    /// message (a Range's client rects) for a line break inside it; then presses the arrow keys and
    /// records the step, the URL's #step and whether the drawing is the step's. Writes it all as JSON
    /// into &lt;pre id="checks"&gt;, which the page's DOM then holds.
    /// </summary>
    const string CheckScript = """
        (function(){
        var out={overlaps:[],outside:[],crossings:[],broken:[],keys:[]};
        var D=JSON.parse(document.getElementById('data').textContent),dr=document.getElementById('drawing');
        function meet(a,b){return Math.min(a.right,b.right)-Math.max(a.left,b.left)>0.5&&Math.min(a.bottom,b.bottom)-Math.max(a.top,b.top)>0.5;}
        function q(t){return '"'+t.textContent+'"';}
        for(var s=0;s<D.svgs.length;s++){
          dr.innerHTML=D.svgs[s];
          var m=dr.querySelector('svg').getScreenCTM(),ts=[].slice.call(dr.querySelectorAll('text')),rs=ts.map(function(t){return t.getBoundingClientRect();});
          for(var i=0;i<ts.length;i++){
            for(var j=i+1;j<ts.length;j++)if(meet(rs[i],rs[j]))out.overlaps.push('drawing '+s+': '+q(ts[i])+' and '+q(ts[j]));
            var g=ts[i].closest('g.node');
            if(g){var b=g.querySelector('rect').getBoundingClientRect();
              if(rs[i].left<b.left+1||rs[i].right>b.right-1||rs[i].top<b.top||rs[i].bottom>b.bottom)out.outside.push('drawing '+s+': '+q(ts[i])+' leaves '+g.getAttribute('data-name'));}
          }
          var ps=dr.querySelectorAll('path.ptr');
          for(var k=0;k<ps.length;k++){
            var p=ps[k],len=p.getTotalLength(),hit={};
            for(var l=0;l<=len;l++){
              var a=p.getPointAtLength(l),c=new DOMPoint(a.x,a.y).matrixTransform(m);
              for(var i=0;i<ts.length;i++){var r=rs[i];
                if(!hit[i]&&c.x>r.left+1&&c.x<r.right-1&&c.y>r.top+1&&c.y<r.bottom-1){hit[i]=1;out.crossings.push('drawing '+s+': '+p.id+' through '+q(ts[i]));}}
            }
          }
        }
        var cells=document.querySelectorAll('#timeline td, header code'),re=/[A-Za-z_][A-Za-z0-9_]*(?:->[A-Za-z_][A-Za-z0-9_]*)*/g;
        for(var i=0;i<cells.length;i++){
          var w=document.createTreeWalker(cells[i],NodeFilter.SHOW_TEXT),nodes=[],text='',n;
          while((n=w.nextNode())){nodes.push({n:n,at:text.length});text+=n.data;}
          function pos(o){for(var j=nodes.length-1;j>=0;j--)if(nodes[j].at<=o)return [nodes[j].n,o-nodes[j].at];}
          var mt;
          while((mt=re.exec(text))){
            var rg=document.createRange(),st=pos(mt.index),en=pos(mt.index+mt[0].length-1);
            rg.setStart(st[0],st[1]);rg.setEnd(en[0],en[1]+1);
            var rc=rg.getClientRects(),lo=1e9,hi=-1e9;
            for(var j=0;j<rc.length;j++)if(rc[j].width>0){lo=Math.min(lo,rc[j].top);hi=Math.max(hi,rc[j].top);}
            if(hi-lo>2)out.broken.push(mt[0]+' in "'+text+'"');
          }
        }
        function sig(el){var t=[].map.call(el.querySelectorAll('text'),function(x){return x.textContent;});
          return t.join('|')+[].map.call(el.querySelectorAll('path.ptr'),function(x){return x.getAttribute('d');}).join('|');}
        ['ArrowLeft','ArrowLeft','ArrowRight','ArrowUp','ArrowDown','ArrowRight','ArrowRight'].forEach(function(k){
          document.dispatchEvent(new KeyboardEvent('keydown',{key:k,bubbles:true,cancelable:true}));
          var st=+document.body.getAttribute('data-step'),want=document.createElement('div');want.innerHTML=D.svgs[D.map[st]];
          out.keys.push(k+' -> '+st+' '+location.hash+' '+(sig(dr)==sig(want)?'drawn':'not drawn'));
        });
        var pre=document.createElement('pre');pre.id='checks';pre.textContent=JSON.stringify(out);document.body.appendChild(pre);
        })();
        """;
}
