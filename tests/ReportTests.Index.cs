using System.Text.Json;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace MmFuzz.Tests;

/// <summary>
/// index.html of a hunt's findings folder, in headless Chromium: a verdict row per state, a row per
/// distinct bug and state with its drawing (the culprit marked), links to a page, a trace and a
/// schedule that exist beside it, every schedule of the folder linked; a click on a column head sorts
/// the rows, the state and kind menus and the text box filter them.
/// </summary>
public partial class ReportTests
{
    sealed record IndexChecks(int Verdicts, int Rows, int Drawings, int Bad, double[] Asc, double[] Desc, string State, string[] VisibleStates,
        string Shown, int TextShown, bool TextAllMatch, string[] Hrefs);

    /// <summary>Runs in the index after its script: sorts by preemptions twice, filters by the first state, then by text; writes what it saw into &lt;pre id="checks"&gt;.</summary>
    const string IndexCheckScript = """
        (function(){
        function rows(){return [].slice.call(document.querySelectorAll('#bugs tbody tr'));}
        function visible(){return rows().filter(function(r){return r.style.display!='none';});}
        var out={verdicts:document.querySelectorAll('#verdicts tbody tr').length,rows:rows().length,
          drawings:rows().filter(function(r){return r.querySelector('td.drawing svg');}).length,bad:document.querySelectorAll('#bugs svg .bad').length};
        var heads=[].slice.call(document.querySelectorAll('#bugs th')),pre=heads.findIndex(function(h){return h.textContent=='preemptions';});
        function col(){return rows().map(function(r){return +r.cells[pre].textContent;});}
        heads[pre].click();out.asc=col();heads[pre].click();out.desc=col();
        var st=document.getElementById('state');st.value=st.options[1].value;st.dispatchEvent(new Event('change'));
        out.state=st.value;out.visibleStates=visible().map(function(r){return r.getAttribute('data-state');});out.shown=document.getElementById('shown').textContent;
        st.value='';st.dispatchEvent(new Event('change'));
        var f=document.getElementById('filter');f.value='lockdep_assert_held';f.dispatchEvent(new Event('input'));
        out.textShown=visible().length;out.textAllMatch=visible().every(function(r){return r.textContent.indexOf('lockdep_assert_held')>=0;});
        out.hrefs=[].map.call(document.querySelectorAll('#bugs a[href]'),function(a){return a.getAttribute('href');});
        var p=document.createElement('pre');p.id='checks';p.textContent=JSON.stringify(out);document.body.appendChild(p);
        })();
        """;

    [Test, Category("browser")]
    public async Task IndexPageRendersSortsAndFiltersInChromium()
    {
        var chromium = Chromium();
        var dir = Directory.CreateTempSubdirectory("mmfuzz-index-");
        try
        {
            var (rc, stdout, stderr) = CliRun.RunAll("hunt", "--variant", "mm-2024-03,v6.12-rc1,v6.13", "--executions", "20000", "--jobs", "1", "--out", dir.FullName);
            Assert.That(rc, Is.Zero, stdout + stderr);
            var html = File.ReadAllText(Path.Combine(dir.FullName, "index.html"));
            Assert.That(Regex.IsMatch(html, "<(script|link|img)[^>]+(src|href)="), Is.False, "the page loads nothing");
            var page = Path.Combine(dir.FullName, "checked.html");
            File.WriteAllText(page, html.Replace("</body>", "<script>" + IndexCheckScript + "</script>\n</body>", StringComparison.Ordinal));
            var shot = Path.Combine(dir.FullName, "index.png");
            var dom = await Browser.Dom(chromium, new Uri(page).AbsoluteUri);
            await Browser.Screenshot(chromium, new Uri(Path.Combine(dir.FullName, "index.html")).AbsoluteUri, shot, 1400, 900);
            var m = Regex.Match(dom, "<pre id=\"checks\">(.*?)</pre>", RegexOptions.Singleline);
            Assert.That(m.Success, "the check script ran");
            var c = JsonSerializer.Deserialize<IndexChecks>(System.Net.WebUtility.HtmlDecode(m.Groups[1].Value), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
            int bugRows = Regex.Matches(html, "<tr class=\"bug\"").Count;
            var schedules = Directory.GetFiles(dir.FullName, "*.schedule").Select(Path.GetFileName).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(c.Verdicts, Is.EqualTo(3), "a verdict row per state");
                Assert.That(c.Rows, Is.EqualTo(bugRows).And.GreaterThan(3), "a row per distinct bug and state");
                Assert.That(c.Drawings, Is.EqualTo(c.Rows), "every row draws the lists after its corrupting step");
                Assert.That(c.Bad, Is.GreaterThan(0), "the field a finding points at is marked");
                Assert.That(c.Asc, Is.Ordered.Ascending, "a click sorts by preemptions");
                Assert.That(c.Desc, Is.Ordered.Descending, "a second click the other way");
                Assert.That(c.VisibleStates, Is.Not.Empty.And.All.EqualTo(c.State), "the state menu filters");
                Assert.That(c.Shown, Is.EqualTo($"{c.VisibleStates.Length} of {c.Rows} shown"));
                Assert.That(c.TextShown, Is.GreaterThan(0).And.LessThan(c.Rows), "the text box filters");
                Assert.That(c.TextAllMatch, Is.True);
                foreach (var href in c.Hrefs)
                    Assert.That(File.Exists(Path.Combine(dir.FullName, Uri.UnescapeDataString(href))), $"{href} exists beside index.html");
                foreach (var s in schedules)
                    Assert.That(c.Hrefs, Does.Contain(s), $"every finding is linked: {s}");
                Assert.That(c.Hrefs.Count(h => h.EndsWith(".html", StringComparison.Ordinal)), Is.EqualTo(schedules.Count), "each finding's page");
                Assert.That(c.Hrefs.Count(h => h.EndsWith(".txt", StringComparison.Ordinal)), Is.EqualTo(schedules.Count), "each finding's mail trace");
            });
            var (w, h, colours, nonWhite) = PngStats(File.ReadAllBytes(shot));
            Assert.That((w, h), Is.EqualTo((1400, 900)));
            Assert.That(colours, Is.GreaterThan(20), "the screenshot is not blank");
            Assert.That(nonWhite, Is.GreaterThan(0.03));
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
