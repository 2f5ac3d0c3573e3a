using System.Text.RegularExpressions;
using NUnit.Framework;

namespace MmFuzz.Tests;

/// <summary>
/// The README is a front door: one screen, and its "How it runs" diagram names calls and files that
/// exist, so a newcomer who follows an arrow lands in the code it names.
/// </summary>
[TestFixture, Category("quick")]
public class ReadmeTests
{
    static string Readme() => File.ReadAllText(Path.Combine(Repo.Root(), "README.md"));

    static string Diagram()
    {
        var m = Regex.Match(Readme(), @"## How it runs.*?```\n(.*?)```", RegexOptions.Singleline);
        Assert.That(m.Success, "README has a How it runs diagram");
        return m.Groups[1].Value;
    }

    static readonly Lazy<string[]> Sources = new(() =>
        new[] { "core", "fuzz", "properties", "zoo" }
            .SelectMany(d => Directory.GetFiles(Path.Combine(Repo.Root(), d), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/"))
            .ToArray());

    [Test]
    public void IsOneScreen() => Assert.That(Readme().Split('\n').Length, Is.LessThanOrEqualTo(150));

    [Test]
    public void EveryCallTheDiagramNamesExists()
    {
        var calls = Regex.Matches(Diagram(), @"\b([A-Z]\w+)\.([A-Z]\w+)\b(?=\(| |,|$)").Select(m => (Type: m.Groups[1].Value, Member: m.Groups[2].Value)).Distinct().ToList();
        Assert.That(calls, Has.Count.GreaterThan(10), "the diagram names the calls it draws");
        var missing = new List<string>();
        foreach (var (type, member) in calls)
        {
            var declaring = Sources.Value.Where(f => Regex.IsMatch(File.ReadAllText(f), $@"\b(class|record|struct|interface)\s+{type}\b")).ToList();
            if (!declaring.Any(f => Regex.IsMatch(File.ReadAllText(f), $@"\b{member}\s*(\(|<)|\b{member}\s*=>|\b{member}\s*{{")))
                missing.Add($"{type}.{member}");
        }
        Assert.That(missing, Is.Empty, "calls the README's diagram names that no source declares");
    }

    [Test]
    public void EveryFileTheDiagramNamesExists()
    {
        var root = Repo.Root();
        var paths = Regex.Matches(Diagram(), @"\b(?:core|fuzz|corpus|properties)/[\w/.*]+").Select(m => m.Value.TrimEnd('.', ',', ':')).Distinct().ToList();
        Assert.That(paths, Has.Count.GreaterThan(10));
        var missing = paths.Where(p =>
        {
            var full = Path.Combine(root, p.Replace("*", ""));
            if (p.Contains('*'))
                return !Directory.Exists(Path.GetDirectoryName(full)!);
            return !File.Exists(full) && !Directory.Exists(full);
        }).ToList();
        Assert.That(missing, Is.Empty, "paths the README's diagram names that do not exist");
    }
}
