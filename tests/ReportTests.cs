using System.Diagnostics;
using System.IO.Compression;
using System.Text.RegularExpressions;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using NUnit.Framework;
using MmFuzz.Engine;
using MmFuzz.Schedules;
using MmFuzz.Search;
using MmFuzz.Reports;

namespace MmFuzz.Tests;

/// <summary>
/// The two report forms: the mail form (plain ASCII, at most 100 columns, the oracle's message and
/// the replay command) and the HTML page, rendered in headless Chromium for every regression file
/// and for a list corruption: the DOM after the script ran (steps, CPUs, a drawing of every folio and
/// queue head, exactly one highlighted pointer; no SVG text on another text or a pointer, no broken
/// identifier, arrow keys that step), a screenshot that is not blank, and another drawing when another
/// step is selected.
/// </summary>
[TestFixture]
public partial class ReportTests
{
    static IEnumerable<TestCaseData> Regressions()
    {
        foreach (var f in Directory.GetFiles(Path.Combine(Repo.Root(), "corpus", "regressions"), "*.schedule").Order())
            yield return new TestCaseData(f).SetName(Path.GetFileName(f));
    }

    static IEnumerable<TestCaseData> Pages()
    {
        foreach (var c in Regressions())
            yield return new TestCaseData(c.Arguments[0]).SetName("page " + c.TestName);
        yield return new TestCaseData("list-corruption").SetName("page list-corruption (mm-2024-03 seed-mail-batch, hunted)");
    }

    /// <summary>A regression file's report, recorded by replaying it.</summary>
    static Report FromFile(string path)
    {
        var file = ScheduleFile.Parse(File.ReadAllText(path), path);
        return Report.Record(Variants.Find(file.Variant)!, file.ResolveScenario(), file.Steps, file.OraclesOff);
    }

    /// <summary>
    /// A list corruption (no regression file records one): mm-2024-03's batch free unlinking A from the
    /// scan's list under the node's lock, found by a fixed-seed PCT hunt with the oracles that fire
    /// earlier (wrong-lock, data-race, accounting) turned off.
    /// </summary>
    static Report ListCorruption()
    {
        var off = new HashSet<BugKind> { BugKind.WrongLock, BugKind.DataRace, BugKind.Accounting, BugKind.LostRaceWriteAfterFree };
        var r = Hunter.Pct(Variants.Mm2024_03, [Catalog.SeedMailBatch], new HuntOptions(new Budget(60, 20_000), Seed: 1, Ignore: off));
        Assert.That(r.Bug, Is.Not.Null, "the fixed-seed hunt finds a bug");
        Assert.That(r.Bug!.Outcome.Kind, Is.EqualTo(BugKind.ListCorruption), r.Bug.Outcome.Message);
        return Report.Record(Variants.Mm2024_03, r.Bug.Scenario, r.Bug.Steps, off);
    }

    static Report Case(string name) => name == "list-corruption" ? ListCorruption() : FromFile(name);

    [TestCaseSource(nameof(Regressions)), Category("quick")]
    public void MailFormIsPlainAsciiAndEndsInTheOracleAndTheReplayCommand(string path)
    {
        var report = FromFile(path);
        var mail = MailFormatter.Format(report, $"dotnet run --project fuzz -c Release -- replay {path}");
        var lines = mail.TrimEnd('\n').Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(lines[^2..], Is.EqualTo(new[] { "Replay:", $"    dotnet run --project fuzz -c Release -- replay {path}" }), "the command on one line, never wrapped");
            foreach (var l in lines[..^1])
            {
                Assert.That(l.Length, Is.LessThanOrEqualTo(100), l);
                Assert.That(l.All(c => c is >= ' ' and <= '~'), Is.True, $"not plain ASCII: {l}");
            }
            Assert.That(MailFormatter.FitsMail(mail), Is.True);
            // One '~' per preemption, at the start of a cell.
            Assert.That(Regex.Matches(report.Trace, @"(^|\s)~ ", RegexOptions.Multiline).Count, Is.EqualTo(report.Preemptions), report.Trace);
            // The oracle's message (wrapped) and then the replay command close the mail.
            var flat = Regex.Replace(mail, @"\s+", " ");
            Assert.That(flat, Does.Contain(Regex.Replace(report.Outcome.Message, @"\s+", " ")));
            Assert.That(flat.IndexOf(report.Outcome.Message[..20], StringComparison.Ordinal), Is.LessThan(flat.IndexOf("Replay:", StringComparison.Ordinal)));
            Assert.That(flat, Does.EndWith($"replay {path} "));
            // Lock held at every list or length write, so a wrong-lock finding is visible in the text
            // (a run whose only list writes are INIT_LIST_HEAD()s, such as the lost race, has none to show).
            if (report.Outcome.Kind == BugKind.WrongLock)
                Assert.That(report.Trace, Does.Contain("[holds ").Or.Contain("[no lock]"));
        });
    }

    [Test, Category("quick")]
    public void ReplayWithFormatMailPrintsOnlyTheMailAndWritesThePage()
    {
        var path = Directory.GetFiles(Path.Combine(Repo.Root(), "corpus", "regressions"), "*.schedule").Order().First();
        var html = Path.Combine(Path.GetTempPath(), $"mmfuzz-report-{Guid.NewGuid():N}.html");
        var (rc, text) = CliRun.Run("replay", path, "--format", "mail", "--html", html);
        try
        {
            Assert.That(rc, Is.EqualTo(0), text);
            Assert.That(MailFormatter.FitsMail(text.TrimEnd('\n')), Is.True, text);
            Assert.That(text, Does.Not.Contain("== "), "--format mail prints only the mail");
            Assert.That(text.TrimEnd(), Does.EndWith(Path.GetFileName(path)));
            var page = File.ReadAllText(html);
            Assert.That(page, Does.StartWith("<!DOCTYPE html>"));
            Assert.That(Regex.IsMatch(page, "<(script|link|img)[^>]+(src|href)="), Is.False, "the page loads nothing");
        }
        finally
        {
            File.Delete(html);
        }
    }

    [Test, Category("quick")]
    public void MinimizeWithFormatMailPrintsTheMailOfTheWrittenFileAndWritesThePage()
    {
        var source = Directory.GetFiles(Path.Combine(Repo.Root(), "corpus", "regressions"), "*-v6.9-migrate-neighbour.schedule").Order().First();
        var dir = Path.Combine(Path.GetTempPath(), $"mmfuzz-minimize-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var input = Path.Combine(dir, "in.schedule");
        var output = Path.Combine(dir, "out.schedule");
        var html = Path.Combine(dir, "page.html");
        // Its recorded prefix up to the last context switch: not minimal, so minimize writes the result.
        File.WriteAllText(input, CorpusTests.PrefixOf(ScheduleFile.Parse(File.ReadAllText(source), source)).Render());
        var (rc, text) = CliRun.Run("minimize", input, "-o", output, "--format", "mail", "--html", html);
        try
        {
            Assert.That(rc, Is.EqualTo(0), text);
            Assert.That(MailFormatter.FitsMail(text.TrimEnd('\n')), Is.True, text);
            Assert.That(text, Does.Not.Contain("== "), "--format mail prints only the mail");
            Assert.That(text, Does.Contain("accounting"));
            Assert.That(text.TrimEnd(), Does.EndWith(Path.GetFileName(output)), "the replay command names the written file");
            Assert.That(File.ReadAllText(html), Does.StartWith("<!DOCTYPE html>"));
            Assert.That(ScheduleFile.Parse(File.ReadAllText(output), output).Expect, Is.EqualTo(BugKind.Accounting));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test, Category("quick")]
    public void ListCorruptionHighlightsTheStalePointerTheOracleRead()
    {
        var report = ListCorruption();
        Assert.That(report.Culprit, Is.Not.Null);
        var c = report.Culprit!.Value;
        Assert.That(c.Field, Is.AnyOf("next", "prev"));
        // The pointer the CONFIG_DEBUG_LIST check read last, named in its message.
        var name = report.Nodes[c.Node].Kind == NodeKind.Queue ? $"{report.Nodes[c.Node].Name}.queue" : report.Nodes[c.Node].Name;
        Assert.That(report.Outcome.Message, Does.Contain($"={name}"), $"{c.ElementId} {report.Outcome.Message}");
    }

    [Test, Category("quick")]
    public void PageForTheLongestRegressionTakesUnderOneSecond()
    {
        var longest = Directory.GetFiles(Path.Combine(Repo.Root(), "corpus", "regressions"), "*.schedule")
            .MaxBy(f => ScheduleFile.Parse(File.ReadAllText(f), f).Steps.Count)!;
        HtmlReport.Render(FromFile(longest), "warm-up");
        var sw = Stopwatch.StartNew();
        var page = HtmlReport.Render(FromFile(longest), "replay");
        sw.Stop();
        Assert.That(sw.Elapsed.TotalSeconds, Is.LessThan(1.0), $"{longest}: {sw.Elapsed.TotalMilliseconds:F0} ms");
        Assert.That(page.Length, Is.LessThan(1_000_000), "the page stays small");
    }

    // ---- in the browser ----

    static string Chromium()
    {
        foreach (var name in new[] { "chromium", "chromium-browser" })
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                var p = Path.Combine(dir, name);
                if (File.Exists(p))
                    return p;
            }
        const string message = "needs Debian's chromium (apt-get install -y chromium; .ci/run installs it)";
        // A fresh machine has only the .NET SDK: the browser test reports itself ignored there; CI
        // (.ci/run sets MMFUZZ_REQUIRE_PACKAGES=1) requires it.
        if (Environment.GetEnvironmentVariable("MMFUZZ_REQUIRE_PACKAGES") == "1")
            Assert.Fail(message);
        Assert.Ignore(message);
        return "";
    }

    /// <summary>The SVG elements marked as the culprit.</summary>
    static MatchCollection Highlighted(string drawing) => Regex.Matches(drawing, "<(path|text)\\b[^>]*\\bclass=\"[^\"]*\\bbad\\b[^\"]*\"[^>]*>");

    static string Drawing(string dom)
    {
        int a = dom.IndexOf("<div id=\"drawing\">", StringComparison.Ordinal);
        Assert.That(a, Is.GreaterThanOrEqualTo(0), "the page has a drawing");
        int b = dom.IndexOf("</svg>", a, StringComparison.Ordinal);
        Assert.That(b, Is.GreaterThan(a), "the script drew an SVG into the drawing");
        return dom[a..(b + 6)];
    }

    [TestCaseSource(nameof(Pages)), Category("browser")]
    public async Task PageRendersInChromium(string name)
    {
        var chromium = Chromium();
        var report = Case(name);
        var dir = Directory.CreateTempSubdirectory("mmfuzz-page-");
        try
        {
            var page = Path.Combine(dir.FullName, "report.html");
            var html = HtmlReport.Render(report, "replay");
            File.WriteAllText(page, html);
            var checkedPage = Path.Combine(dir.FullName, "checked.html");
            File.WriteAllText(checkedPage, WithChecks(html));
            var url = new Uri(page).AbsoluteUri;
            int steps = report.Events.Count;
            int other = report.RaceStart != steps ? report.RaceStart : 0;
            var png = Path.Combine(dir.FullName, "shot.png");
            var (checkedDom, otherDom) = (Browser.Dom(chromium, new Uri(checkedPage).AbsoluteUri), Browser.Dom(chromium, $"{url}#step={other}"));
            await Task.WhenAll(checkedDom, otherDom, Browser.Screenshot(chromium, url, png, 1400, 900));
            var (dom, domOther) = (await checkedDom, await otherDom);
            var drawing = Drawing(dom);
            var drawingOther = Drawing(domOther);
            var checks = ReadChecks(dom);
            Assert.Multiple(() =>
            {
                Assert.That(Regex.Matches(dom, "<tr class=\"step").Count, Is.EqualTo(steps), "one timeline row per step");
                Assert.That(Regex.Matches(dom, "<th class=\"cpu\">").Count, Is.EqualTo(report.Scenario.Cpus.Length), "one column per CPU");
                Assert.That(dom, Does.Contain($"<body data-step=\"{steps}\""), "opens at the step where the oracle fired");
                Assert.That(Regex.IsMatch(dom, $"<tr class=\"step[^\"]* sel\"[^>]*data-step=\"{steps}\""), Is.True, "the oracle's step is selected");
                for (int i = 0; i < report.Nodes.Count; i++)
                    if (report.Nodes[i].Kind is NodeKind.Folio or NodeKind.Queue)
                        Assert.That(drawing, Does.Contain($"id=\"n{i}\" data-name=\"{report.Nodes[i].Name}\""), $"{report.Nodes[i].Name} is drawn");
                var bad = Highlighted(drawing);
                if (report.Culprit is not null)
                    Assert.That(bad.Count, Is.EqualTo(1), "exactly one highlighted field");
                if (report.Outcome.Kind == BugKind.ListCorruption)
                    Assert.That(bad.Count == 1 && Regex.IsMatch(bad[0].Value, "<path id=\"n\\d+-(next|prev)\""), Is.True, $"exactly one highlighted pointer: {string.Join(" | ", bad.Select(m => m.Value))}");
                Assert.That(domOther, Does.Contain($"<body data-step=\"{other}\""), "#step=N selects step N");
                Assert.That(drawingOther, Is.Not.EqualTo(drawing), $"step {other} draws other lists than step {steps}");
                Assert.That(Highlighted(drawingOther).Count, Is.EqualTo(0), "the culprit is marked only where the oracle fired");
                Assert.That(checks.Overlaps, Is.Empty, "no two SVG texts overlap in the rendered drawings");
                Assert.That(checks.Outside, Is.Empty, "every line stays inside its box");
                Assert.That(checks.Crossings, Is.Empty, "no pointer runs through a text");
                Assert.That(checks.Broken, Is.Empty, "no identifier breaks over two lines");
                Assert.That(checks.Keys, Is.EqualTo(ExpectedKeys(steps)), "the arrow keys step through the timeline and update #step and the drawing");
            });
            var (w, h, colours, nonWhite) = PngStats(File.ReadAllBytes(png));
            Assert.That((w, h), Is.EqualTo((1400, 900)));
            Assert.That(colours, Is.GreaterThan(20), "the screenshot is not blank (distinct colours)");
            Assert.That(nonWhite, Is.GreaterThan(0.03), "the screenshot is not blank (share of non-white pixels)");
        }
        finally
        {
            dir.Delete(true);
        }
    }

    /// <summary>Decodes an 8-bit RGB or RGBA PNG (what Chromium writes): size, distinct colours, share of non-white pixels.</summary>
    static (int W, int H, int Colours, double NonWhite) PngStats(byte[] png)
    {
        Assert.That(png.Take(8).ToArray(), Is.EqualTo(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }), "a PNG");
        int pos = 8, w = 0, h = 0, bpp = 0;
        var idat = new MemoryStream();
        while (pos < png.Length)
        {
            int len = (png[pos] << 24) | (png[pos + 1] << 16) | (png[pos + 2] << 8) | png[pos + 3];
            var type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            if (type == "IHDR")
            {
                w = (png[pos + 8] << 24) | (png[pos + 9] << 16) | (png[pos + 10] << 8) | png[pos + 11];
                h = (png[pos + 12] << 24) | (png[pos + 13] << 16) | (png[pos + 14] << 8) | png[pos + 15];
                Assert.That(png[pos + 16], Is.EqualTo(8), "8-bit PNG");
                bpp = png[pos + 17] switch { 2 => 3, 6 => 4, var t => throw new AssertionException($"PNG colour type {t}") };
                Assert.That(png[pos + 20], Is.EqualTo(0), "not interlaced");
            }
            else if (type == "IDAT")
                idat.Write(png, pos + 8, len);
            pos += 12 + len;
        }
        idat.Position = 0;
        var raw = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
            z.CopyTo(raw);
        var data = raw.ToArray();
        int stride = w * bpp;
        Assert.That(data.Length, Is.EqualTo(h * (stride + 1)), "PNG data size");
        var prev = new byte[stride];
        var cur = new byte[stride];
        var colours = new HashSet<int>();
        long nonWhite = 0;
        for (int y = 0; y < h; y++)
        {
            int f = data[y * (stride + 1)];
            for (int x = 0; x < stride; x++)
            {
                int raw8 = data[y * (stride + 1) + 1 + x];
                int a = x >= bpp ? cur[x - bpp] : 0, b = prev[x], c = x >= bpp ? prev[x - bpp] : 0;
                int pred = f switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new AssertionException($"PNG filter {f}"),
                };
                cur[x] = (byte)(raw8 + pred);
            }
            for (int x = 0; x < w; x++)
            {
                int rgb = (cur[x * bpp] << 16) | (cur[x * bpp + 1] << 8) | cur[x * bpp + 2];
                colours.Add(rgb);
                if (rgb != 0xffffff)
                    nonWhite++;
            }
            (prev, cur) = (cur, prev);
        }
        return (w, h, colours.Count, (double)nonWhite / ((long)w * h));
    }

    static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
