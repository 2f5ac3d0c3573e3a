using System.Text;

namespace MmFuzz.C.Translate;

/// <summary>Indented C# text.</summary>
public sealed class CodeWriter
{
    readonly StringBuilder sb = new();
    int indent;

    /// <summary>Writes one line at the current indentation.</summary>
    public void Line(string text = "")
    {
        if (text.Length > 0)
            sb.Append(' ', indent * 4).Append(text);
        sb.Append('\n');
    }

    /// <summary>Opens a block: <c>{</c> and one level in.</summary>
    public void Open(string? head = null)
    {
        if (head is not null)
            Line(head);
        Line("{");
        indent++;
    }

    /// <summary>Closes a block.</summary>
    public void Close(string tail = "}")
    {
        indent--;
        Line(tail);
    }

    /// <inheritdoc/>
    public override string ToString() => sb.ToString();
}
