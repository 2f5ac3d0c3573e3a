namespace MmFuzz.Reports;

/// <summary>
/// What a person decided about a finding, kept beside its schedule (<c>X.schedule</c> and
/// <c>X.notes</c>) for the mail <see cref="FindingMail"/> writes: the subject, who to write to, the
/// commit it fixes, why the kernel can reach it, what the kernel would print, and the fix in prose
/// with the diff that checks it. Everything the tool can compute (the states and releases it shows
/// in, the trace, the message, whether the fix holds) is not written here.
/// </summary>
/// <remarks>
/// Format: a first line <c>mmfuzz-notes 1</c>; then one field per line, <c>KEY TEXT</c>; the
/// paragraph fields (<c>summary</c>, <c>kernel-prints</c>, <c>fix</c>) take their text on the lines
/// after the key, each indented by two spaces, a line of two spaces alone separating paragraphs;
/// <c>#</c> starts a comment line.
/// </remarks>
public sealed record FindingNotes
{
    /// <summary>The first line of a notes file.</summary>
    public const string Magic = "mmfuzz-notes 1";

    /// <summary>The mail's subject, without the "[BUG]" prefix.</summary>
    public required string Subject { get; init; }

    /// <summary>The To: addresses.</summary>
    public required IReadOnlyList<string> To { get; init; }

    /// <summary>The Cc: addresses.</summary>
    public IReadOnlyList<string> Cc { get; init; } = [];

    /// <summary>The commit that introduced the bug, as a Fixes: tag's value (<c>HASH ("title")</c>).</summary>
    public required string Fixes { get; init; }

    /// <summary>Why the kernel can reach it, in one line; a judgement, and the mail says so.</summary>
    public required string Reachability { get; init; }

    /// <summary>What happens, in the reporter's words (paragraphs).</summary>
    public required IReadOnlyList<string> Summary { get; init; }

    /// <summary>What the kernel itself would print, and when (paragraphs).</summary>
    public required IReadOnlyList<string> KernelPrints { get; init; }

    /// <summary>The suggested fix in prose (paragraphs).</summary>
    public required IReadOnlyList<string> Fix { get; init; }

    /// <summary>The diff that checks the fix, relative to the notes file: applied to <see cref="FixBase"/>'s C.</summary>
    public required string FixPatch { get; init; }

    /// <summary>The C the fix applies to, relative to the repository root (a state's rendering, <c>corpus/kernels/v6.13</c>).</summary>
    public required string FixBase { get; init; }

    static readonly string[] Singles = ["subject", "to", "cc", "fixes", "reachability", "fix-patch", "fix-base"];
    static readonly string[] Blocks = ["summary", "kernel-prints", "fix"];

    /// <summary>Parses <paramref name="text"/>; an error names <paramref name="path"/> and the line.</summary>
    /// <exception cref="FormatException">The text is not a notes file; the message is one line.</exception>
    public static FindingNotes Parse(string text, string path)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        if (lines[0].Trim() != Magic)
            throw new FormatException($"{path}:1: expected '{Magic}' as the first line");
        var single = new Dictionary<string, List<string>>();
        var blocks = new Dictionary<string, List<string>>();
        List<string>? block = null;     // the paragraphs of the block being read
        bool newParagraph = false;
        for (int i = 1; i < lines.Length; i++)
        {
            string line = lines[i], where = $"{path}:{i + 1}";
            if (line.StartsWith("  ", StringComparison.Ordinal))
            {
                if (block is null)
                    throw new FormatException($"{where}: an indented line outside summary, kernel-prints or fix");
                var body = line[2..].TrimEnd();
                if (body.Length == 0)
                    newParagraph = true;
                else if (newParagraph || block.Count == 0)
                {
                    block.Add(body);
                    newParagraph = false;
                }
                else
                    block[^1] += " " + body;
                continue;
            }
            block = null;
            if (line.Trim().Length == 0 || line.StartsWith('#'))
                continue;
            int space = line.IndexOf(' ');
            string key = space < 0 ? line : line[..space], value = space < 0 ? "" : line[(space + 1)..].Trim();
            if (Blocks.Contains(key))
            {
                if (value.Length > 0)
                    throw new FormatException($"{where}: '{key}' takes its text on the indented lines after it");
                if (blocks.ContainsKey(key))
                    throw new FormatException($"{where}: '{key}' given twice");
                blocks[key] = block = [];
                newParagraph = false;
            }
            else if (Singles.Contains(key))
            {
                if (value.Length == 0)
                    throw new FormatException($"{where}: '{key}' needs a value");
                if (single.ContainsKey(key) && key is not ("to" or "cc"))
                    throw new FormatException($"{where}: '{key}' given twice");
                (single.TryGetValue(key, out var l) ? l : single[key] = []).Add(value);
            }
            else
                throw new FormatException($"{where}: unknown field '{key}' (expected {string.Join(", ", Singles.Concat(Blocks))})");
        }
        string One(string key) => single.TryGetValue(key, out var v) ? v[0] : throw new FormatException($"{path}: no '{key}' line");
        IReadOnlyList<string> Paragraphs(string key) =>
            blocks.TryGetValue(key, out var v) && v.Count > 0 ? v : throw new FormatException($"{path}: no '{key}' text (indented lines after a '{key}' line)");
        return new FindingNotes
        {
            Subject = One("subject"),
            To = single.TryGetValue("to", out var to) ? to : throw new FormatException($"{path}: no 'to' line"),
            Cc = single.GetValueOrDefault("cc") ?? [],
            Fixes = One("fixes"),
            Reachability = One("reachability"),
            FixPatch = One("fix-patch"),
            FixBase = One("fix-base"),
            Summary = Paragraphs("summary"),
            KernelPrints = Paragraphs("kernel-prints"),
            Fix = Paragraphs("fix"),
        };
    }

    /// <summary>The notes file beside a schedule: <c>X.schedule</c> has <c>X.notes</c>.</summary>
    public static string PathFor(string schedulePath) => Path.ChangeExtension(schedulePath, ".notes");
}
