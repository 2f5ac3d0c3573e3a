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
}
