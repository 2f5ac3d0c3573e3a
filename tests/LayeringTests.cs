using System.Text.RegularExpressions;
using NUnit.Framework;

namespace MmFuzz.Tests;

/// <summary>
/// The core's folders are layers: each namespace may use only the ones before it in
/// <see cref="Layers"/>, so there is no cycle between them (the engine knows the oracle and strategy
/// contracts it calls, never an oracle or a strategy). Checked on the source: every <c>using
/// MmFuzz.X;</c> and every qualified <c>MmFuzz.X.</c> or <c>X.Type</c> reference outside comments.
/// </summary>
[TestFixture, Category("quick")]
public class LayeringTests
{
    /// <summary>The layers, lowest first.</summary>
    static readonly string[] Layers = ["Memory", "Engine", "Scenarios", "Kernel", "C", "Oracles", "Schedules", "Strategies", "Search", "Reports"];

    /// <summary>A file's layer: the first folder under core/, so a layer's rooms (core/Kernel/Ports/...) are that layer.</summary>
    static string Layer(string core, string file) => Path.GetRelativePath(core, file).Split(Path.DirectorySeparatorChar)[0];

    static IEnumerable<(string From, string To, string File)> References()
    {
        var core = Path.Combine(Repo.Root(), "core");
        var qualified = new Regex(@"\b(?:MmFuzz\.)?(" + string.Join("|", Layers) + @")\.[A-Z]\w*");
        foreach (var file in Directory.GetFiles(core, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/") && !f.Contains("/bin/")))
        {
            var from = Layer(core, file);
            if (!Layers.Contains(from))
                continue;
            foreach (var line in File.ReadLines(file))
            {
                var code = line.Split("//")[0];
                var import = Regex.Match(code, @"^using MmFuzz\.(\w+);");
                if (import.Success)
                    yield return (from, import.Groups[1].Value, file);
                else if (!code.TrimStart().StartsWith("namespace "))
                    foreach (Match m in qualified.Matches(code))
                        yield return (from, m.Groups[1].Value, file);
            }
        }
    }

    [Test]
    public void EachNamespaceUsesOnlyTheLayersBelowIt()
    {
        var refs = References().ToList();
        foreach (var layer in Layers)
            Assert.That(Directory.GetFiles(Path.Combine(Repo.Root(), "core", layer), "*.cs", SearchOption.AllDirectories), Is.Not.Empty, $"core/{layer} has code");
        var upward = refs.Where(r => r.From != r.To && Array.IndexOf(Layers, r.To) > Array.IndexOf(Layers, r.From))
            .Select(r => $"{r.From} -> {r.To} ({Path.GetFileName(r.File)})").Distinct().ToList();
        Assert.That(upward, Is.Empty, "a reference up the layers (Memory < Engine < Scenarios < Kernel < Oracles < Schedules < Strategies < Search < Reports)");
    }

    [Test]
    public void NoSourceFileOutsideTheTestsIsOver400Lines()
    {
        var root = Repo.Root();
        var big = new[] { "core", "fuzz", "properties", "zoo" }
            .SelectMany(d => Directory.GetFiles(Path.Combine(root, d), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/"))
            .Select(f => (File: Path.GetRelativePath(root, f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > 400)
            .Select(f => $"{f.File}: {f.Lines} lines");
        Assert.That(big, Is.Empty);
    }
}
