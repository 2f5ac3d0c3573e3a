using System.Text.RegularExpressions;

namespace MmFuzz.C;

/// <summary>
/// A unified diff (<c>git diff</c>, <c>diff -u</c>) applied to the C the front end reads, in memory:
/// a patch under review over a tree or a state's rendering, without touching the files. Hunks apply
/// where their context matches, at the line they name or nearby; a hunk that does not apply is one
/// line naming the patch's line and the file's.
/// </summary>
public static partial class CPatch
{
    [GeneratedRegex(@"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")]
    private static partial Regex HunkHeader();

    sealed record Hunk(int PatchLine, int OldStart, List<string> Old, List<string> New);

    /// <summary>How far from its stated line a hunk's context is looked for.</summary>
    const int Fuzz = 200;

    /// <summary>
    /// <paramref name="files"/> with <paramref name="patch"/> (shown as <paramref name="patchPath"/>)
    /// applied. Every file the patch names must be among them (matched by path, without git's a/ b/).
    /// </summary>
    public static IReadOnlyList<CSource> Apply(IReadOnlyList<CSource> files, string patch, string patchPath)
    {
        var result = files.ToList();
        var lines = patch.Replace("\r\n", "\n").Split('\n');
        int i = 0, touched = 0;
        while (i < lines.Length)
        {
            if (!lines[i].StartsWith("--- ", StringComparison.Ordinal) || i + 1 >= lines.Length || !lines[i + 1].StartsWith("+++ ", StringComparison.Ordinal))
            {
                i++;
                continue;
            }
            string target = PathOf(lines[i + 1][4..]);
            int at = result.FindIndex(f => Same(f.Path, target));
            if (at < 0)
                throw new CError($"{patchPath}:{i + 2}: the patch changes {target}, which is not among the C read ({string.Join(", ", files.Select(f => f.Path))})");
            i += 2;
            var hunks = new List<Hunk>();
            while (i < lines.Length && HunkHeader().Match(lines[i]) is { Success: true } h)
            {
                var hunk = new Hunk(i + 1, int.Parse(h.Groups[1].Value), [], []);
                int oldCount = h.Groups[2].Success ? int.Parse(h.Groups[2].Value) : 1, newCount = h.Groups[4].Success ? int.Parse(h.Groups[4].Value) : 1;
                i++;
                while (i < lines.Length && (hunk.Old.Count < oldCount || hunk.New.Count < newCount))
                {
                    var l = lines[i];
                    if (l.StartsWith('\\'))
                    {
                        i++;        // "\ No newline at end of file"
                        continue;
                    }
                    char c = l.Length == 0 ? ' ' : l[0];
                    string body = l.Length == 0 ? "" : l[1..];
                    if (c == ' ') { hunk.Old.Add(body); hunk.New.Add(body); }
                    else if (c == '-') hunk.Old.Add(body);
                    else if (c == '+') hunk.New.Add(body);
                    else
                        throw new CError($"{patchPath}:{i + 1}: a hunk line must start with ' ', '-' or '+' (the hunk at line {hunk.PatchLine} is short)");
                    i++;
                }
                if (hunk.Old.Count != oldCount || hunk.New.Count != newCount)
                    throw new CError($"{patchPath}:{hunk.PatchLine}: the hunk promises {oldCount} old and {newCount} new lines but holds {hunk.Old.Count} and {hunk.New.Count}");
                hunks.Add(hunk);
            }
            if (hunks.Count == 0)
                throw new CError($"{patchPath}:{i + 1}: no hunk (@@ -N,M +N,M @@) after the header of {target}");
            result[at] = result[at] with { Text = ApplyHunks(result[at], hunks, patchPath) };
            touched++;
        }
        if (touched == 0)
            throw new CError($"{patchPath}: not a unified diff (no '--- a/FILE' and '+++ b/FILE' lines)");
        return result;
    }

    static string ApplyHunks(CSource file, List<Hunk> hunks, string patchPath)
    {
        bool finalNewline = file.Text.EndsWith('\n');
        var text = file.Text.Replace("\r\n", "\n").Split('\n').ToList();
        if (finalNewline)
            text.RemoveAt(text.Count - 1);
        int shift = 0;
        foreach (var h in hunks)
        {
            int expected = Math.Max(0, h.OldStart - 1 + shift);
            int found = -1;
            for (int d = 0; d <= Fuzz && found < 0; d++)
                foreach (int cand in new[] { expected - d, expected + d })
                    if (cand >= 0 && Matches(text, cand, h.Old))
                    {
                        found = cand;
                        break;
                    }
            if (found < 0)
                throw new CError($"{patchPath}:{h.PatchLine}: the hunk does not apply to {file.Path} near line {h.OldStart}: its context is not there");
            text.RemoveRange(found, h.Old.Count);
            text.InsertRange(found, h.New);
            shift = found - (h.OldStart - 1) + h.New.Count - h.Old.Count;
        }
        return string.Join('\n', text) + (finalNewline ? "\n" : "");
    }

    static bool Matches(List<string> text, int at, List<string> old)
    {
        if (at + old.Count > text.Count)
            return false;
        for (int k = 0; k < old.Count; k++)
            if (text[at + k].TrimEnd() != old[k].TrimEnd())
                return false;
        return true;
    }

    static string PathOf(string header)
    {
        var p = header.Split('\t')[0].Trim();
        if (p.StartsWith("a/", StringComparison.Ordinal) || p.StartsWith("b/", StringComparison.Ordinal))
            p = p[2..];
        return p;
    }

    static bool Same(string path, string target) =>
        path == target || path.EndsWith("/" + target, StringComparison.Ordinal) || target.EndsWith("/" + path, StringComparison.Ordinal);
}
