using System.Globalization;

namespace MmFuzz.Reports;

/// <summary>A point of the drawing (SVG user units, y down).</summary>
public readonly record struct Point(double X, double Y);

/// <summary>An axis-aligned rectangle of the drawing.</summary>
public readonly record struct Rect(double X, double Y, double W, double H)
{
    /// <summary>Right edge.</summary>
    public double Right => X + W;

    /// <summary>Bottom edge.</summary>
    public double Bottom => Y + H;

    /// <summary>Whether the interiors of the two rectangles meet.</summary>
    public bool Overlaps(Rect o) => X < o.Right && o.X < Right && Y < o.Bottom && o.Y < Bottom;

    /// <summary>Whether <paramref name="o"/> lies inside this rectangle.</summary>
    public bool Contains(Rect o) => o.X >= X && o.Right <= Right && o.Y >= Y && o.Bottom <= Bottom;

    /// <summary>The rectangle grown by <paramref name="d"/> on every side (shrunk when negative).</summary>
    public Rect Inflate(double d) => new(X - d, Y - d, W + 2 * d, H + 2 * d);

    /// <summary>Whether the segment from <paramref name="a"/> to <paramref name="b"/> passes through the interior (Liang-Barsky clipping).</summary>
    public bool Crosses(Point a, Point b)
    {
        double t0 = 0, t1 = 1, dx = b.X - a.X, dy = b.Y - a.Y;
        foreach (var (p, q) in new[] { (-dx, a.X - X), (dx, Right - a.X), (-dy, a.Y - Y), (dy, Bottom - a.Y) })
        {
            if (p == 0)
            {
                if (q <= 0)
                    return false;       // parallel to this edge and outside it (or on it)
                continue;
            }
            double t = q / p;
            if (p < 0)
                t0 = Math.Max(t0, t);
            else
                t1 = Math.Min(t1, t);
            if (t0 >= t1)
                return false;
        }
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"[{X:0.#},{Y:0.#} {W:0.#}x{H:0.#}]");
}

/// <summary>One line of text in the drawing, in the 11px monospace font the page sets for SVG text.</summary>
/// <param name="Text">What it says.</param>
/// <param name="X">Left end (every text is anchored at its start).</param>
/// <param name="Y">Baseline.</param>
/// <param name="Class">CSS classes ("" for none).</param>
/// <param name="Id">Element id, for the lines the page highlights ("n3-ref"), or null.</param>
public sealed record SceneText(string Text, double X, double Y, string Class, string? Id)
{
    /// <summary>Width of one character: DejaVu Sans Mono advances 0.602 em, 6.62px at 11px; rounded up.</summary>
    public const double CharWidth = 6.7;

    /// <summary>The glyph box above the baseline (the font's ascent, 0.93 em, rounded up).</summary>
    public const double Ascent = 10.5;

    /// <summary>The glyph box below the baseline (descent, 0.24 em, rounded up).</summary>
    public const double Descent = 3;

    /// <summary>The box the text covers.</summary>
    public Rect Bounds => new(X, Y - Ascent, Text.Length * CharWidth, Ascent + Descent);
}

/// <summary>A drawn node: its box and the lines inside it.</summary>
/// <param name="Node">Index into <see cref="Report.Nodes"/>.</param>
/// <param name="Name">Its name ("A", "memcg1", "cpu1.list").</param>
/// <param name="Box">The box.</param>
/// <param name="Class">CSS classes ("folio freed", "head queue").</param>
/// <param name="Lines">Its lines, each inside the box.</param>
public sealed record SceneNode(int Node, string Name, Rect Box, string Class, IReadOnlyList<SceneText> Lines);

/// <summary>A drawn <c>next</c> or <c>prev</c> pointer: a polyline with an arrowhead at its last point.</summary>
/// <param name="Node">Index of the node the pointer belongs to.</param>
/// <param name="Field">"next" or "prev".</param>
/// <param name="Points">The polyline, from the node's edge to the target's edge (or a stub's label).</param>
/// <param name="Class">CSS classes ("ptr next poison").</param>
/// <param name="Target">The pointer's value as the trace names it ("A", "NULL", "LIST_POISON1").</param>
public sealed record ScenePointer(int Node, string Field, IReadOnlyList<Point> Points, string Class, string Target);

/// <summary>
/// One memory state laid out: node boxes, every pointer routed, the row labels and the labels of
/// pointers that point at no drawn node. <see cref="Collisions"/> checks the geometry.
/// </summary>
/// <param name="Width">Width of the drawing.</param>
/// <param name="Height">Height of the drawing.</param>
/// <param name="Labels">Row labels and stub labels ("NULL", "LIST_POISON1").</param>
/// <param name="Nodes">The node boxes.</param>
/// <param name="Pointers">The pointers.</param>
public sealed record Scene(double Width, double Height, IReadOnlyList<SceneText> Labels, IReadOnlyList<SceneNode> Nodes, IReadOnlyList<ScenePointer> Pointers)
{
    /// <summary>Every text of the drawing: labels and the lines in the boxes.</summary>
    public IEnumerable<SceneText> Texts => Labels.Concat(Nodes.SelectMany(n => n.Lines));

    /// <summary>
    /// What the layout got wrong, in words (empty when nothing): two texts that overlap, a line that
    /// leaves its box, a label on a box, a pointer through a text or through a box, anything outside
    /// the drawing.
    /// </summary>
    public IReadOnlyList<string> Collisions()
    {
        var found = new List<string>();
        var texts = Texts.ToList();
        var canvas = new Rect(0, 0, Width, Height);
        for (int i = 0; i < texts.Count; i++)
        {
            if (!canvas.Contains(texts[i].Bounds))
                found.Add($"\"{texts[i].Text}\" {texts[i].Bounds} leaves the drawing {canvas}");
            for (int j = i + 1; j < texts.Count; j++)
                if (texts[i].Bounds.Overlaps(texts[j].Bounds))
                    found.Add($"\"{texts[i].Text}\" {texts[i].Bounds} overlaps \"{texts[j].Text}\" {texts[j].Bounds}");
        }
        foreach (var n in Nodes)
        {
            if (!canvas.Contains(n.Box))
                found.Add($"box {n.Name} {n.Box} leaves the drawing");
            foreach (var l in n.Lines)
                if (!n.Box.Inflate(-2).Contains(l.Bounds))
                    found.Add($"\"{l.Text}\" {l.Bounds} leaves the box of {n.Name} {n.Box}");
            foreach (var l in Labels)
                if (l.Bounds.Overlaps(n.Box))
                    found.Add($"label \"{l.Text}\" {l.Bounds} is on the box of {n.Name} {n.Box}");
        }
        foreach (var p in Pointers)
            for (int k = 1; k < p.Points.Count; k++)
            {
                var (a, b) = (p.Points[k - 1], p.Points[k]);
                if (!canvas.Contains(new Rect(Math.Min(a.X, b.X), Math.Min(a.Y, b.Y), Math.Abs(b.X - a.X), Math.Abs(b.Y - a.Y))))
                    found.Add($"{Nodes.First(n => n.Node == p.Node).Name}.{p.Field} leaves the drawing");
                foreach (var t in texts)
                    if (t.Bounds.Crosses(a, b))
                        found.Add($"{Nodes.First(n => n.Node == p.Node).Name}.{p.Field} (= {p.Target}) crosses \"{t.Text}\" {t.Bounds}");
                foreach (var n in Nodes)
                    if (n.Box.Inflate(-1).Crosses(a, b))
                        found.Add($"{Nodes.First(n => n.Node == p.Node).Name}.{p.Field} (= {p.Target}) crosses the box of {n.Name}");
            }
        return found;
    }
}
