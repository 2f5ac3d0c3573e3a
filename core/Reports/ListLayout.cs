using System.Globalization;
using MmFuzz.Memory;
using MmFuzz.Scenarios;

namespace MmFuzz.Reports;

/// <summary>
/// Lays out the report's lists, one <see cref="Scene"/> per recorded state: one row per list head (the
/// three queues, then the on-stack list of every CPU that runs a scan), its entries in <c>next</c>
/// order, and a last row for folios no head reaches.
/// </summary>
/// <remarks>
/// The layout keeps text and pointers apart by construction and <see cref="Scene.Collisions"/> checks
/// it. A row is, from the top: its label; a line for the labels of <c>next</c> pointers to no drawn
/// node ("NULL", "LIST_POISON1"); the lanes of the <c>next</c> pointers that are not a straight arrow
/// to the right-hand neighbour; the boxes; the lanes of such <c>prev</c> pointers; a line for the
/// labels of <c>prev</c> stubs. A pointer leaves its box sideways into the gap between columns,
/// turns into a lane of its own, and enters its target from above (<c>next</c>) or below
/// (<c>prev</c>); between rows it runs in a gutter left of every row, where there is no text. Self
/// links are small loops at a corner. Lanes, stub lines and gutter lanes are reserved for the most
/// any state needs, so the rows and columns stay put while the steps are stepped through.
/// </remarks>
public static class ListLayout
{
    const double BoxH = 66, Gap = 44, LaneStep = 8, Exit = 10, LoopRise = 7, StubLine = 16, LabelLine = 16, RowGap = 12;

    enum Route : byte { Straight, Loop, Lane, Cross, Stub }

    sealed record Plan(int Node, string Field, Link Link, Route Route, int SourceRow, int TargetRow)
    {
        public int Lane { get; set; }
        public int TargetLane { get; set; }
        public int Gutter { get; set; }
        public int Entry { get; set; }
    }

    sealed record Layout(List<(string Label, List<int> Members)> Rows, int[] Row, int[] Col, List<Plan> Plans);

    /// <summary>The scenes of every state in <see cref="Report.States"/>, in order, all of one size.</summary>
    public static IReadOnlyList<Scene> Lay(Report r)
    {
        var heads = Heads(r);
        var layouts = r.States.Select(s => Place(r, s, heads)).ToList();
        // Lanes, stub lines and gutter lanes: as many as the busiest state needs.
        int rows = heads.Count + 1, gutters = 0;
        var nextLanes = new int[rows];
        var prevLanes = new int[rows];
        var nextStubs = new bool[rows];
        var prevStubs = new bool[rows];
        foreach (var l in layouts)
            foreach (var p in l.Plans)
            {
                bool next = p.Field == "next";
                if (p.Route is Route.Lane or Route.Cross)
                    (next ? nextLanes : prevLanes)[p.SourceRow] = Math.Max((next ? nextLanes : prevLanes)[p.SourceRow], p.Lane + 1);
                if (p.Route == Route.Cross)
                {
                    (next ? nextLanes : prevLanes)[p.TargetRow] = Math.Max((next ? nextLanes : prevLanes)[p.TargetRow], p.TargetLane + 1);
                    gutters = Math.Max(gutters, p.Gutter + 1);
                }
                if (p.Route == Route.Stub)
                    (next ? nextStubs : prevStubs)[p.SourceRow] = true;
            }
        double boxW = 16 + SceneText.CharWidth * r.States.SelectMany(s => Enumerable.Range(0, r.Nodes.Count).SelectMany(i => Lines(r.Nodes[i], s[i]))).Max(t => t.Text.Length);
        double left = 20 + LaneStep * gutters;
        // The rows' vertical extents: label, next stubs, next lanes, boxes, prev lanes, prev stubs.
        var boxTop = new double[rows];
        var labelY = new double[rows];
        var nextStubY = new double[rows];
        var prevStubY = new double[rows];
        double y = 4;
        for (int i = 0; i < rows; i++)
        {
            labelY[i] = y + SceneText.Ascent;
            y += LabelLine;
            nextStubY[i] = y + SceneText.Ascent;
            if (nextStubs[i])
                y += StubLine;
            boxTop[i] = y + 12 + LaneStep * nextLanes[i];
            y = boxTop[i] + BoxH + 12 + LaneStep * prevLanes[i] + 4;
            prevStubY[i] = y + SceneText.Ascent;
            if (prevStubs[i])
                y += StubLine;
            y += RowGap;
        }
        var scenes = layouts.Select((l, k) => Draw(r, r.States[k], l, boxW, left, boxTop, labelY, nextStubY, prevStubY)).ToList();
        double width = scenes.Max(s => s.Width), height = scenes.Max(s => s.Height);
        return scenes.Select(s => s with { Width = width, Height = height }).ToList();
    }

    /// <summary>The heads drawn: the three queues and the on-stack list of every CPU that runs a scan.</summary>
    static List<int> Heads(Report r)
    {
        var heads = new List<int>();
        for (int i = 0; i < r.Nodes.Count; i++)
        {
            var n = r.Nodes[i];
            if (n.Kind == NodeKind.Queue)
                heads.Add(i);
            else if (n.Kind == NodeKind.StackList && r.Scenario.Cpus[CpuOf(n) - 1].Any(op => op.Kind == OpKind.Scan))
                heads.Add(i);
        }
        return heads;
    }

    static int CpuOf(ListNode n) => int.Parse(n.Name[3..n.Name.IndexOf('.')], CultureInfo.InvariantCulture);

    /// <summary>Rows and columns of one state, and how every pointer goes, with its lanes.</summary>
    static Layout Place(Report r, NodeState[] s, List<int> heads)
    {
        var nodes = r.Nodes;
        var row = Enumerable.Repeat(-1, nodes.Count).ToArray();
        var col = new int[nodes.Count];
        var rows = new List<(string, List<int>)>();
        foreach (var h in heads)
        {
            var members = new List<int> { h };
            row[h] = rows.Count;
            for (int cur = h, guard = 0; guard < nodes.Count; guard++)
            {
                int nx = s[cur].Next.Node;
                if (nx < 0 || row[nx] >= 0 || nodes[nx].Kind != NodeKind.Folio)
                    break;
                row[nx] = rows.Count;
                col[nx] = members.Count;
                members.Add(nx);
                cur = nx;
            }
            rows.Add((nodes[h].Kind == NodeKind.Queue ? $"{nodes[h].Name}->deferred_split_queue" : $"CPU {CpuOf(nodes[h])}'s on-stack LIST_HEAD(list)", members));
        }
        var rest = Enumerable.Range(0, nodes.Count).Where(i => row[i] < 0 && nodes[i].Kind == NodeKind.Folio).ToList();
        for (int k = 0; k < rest.Count; k++)
            (row[rest[k]], col[rest[k]]) = (heads.Count, k);
        if (rest.Count > 0)
            rows.Add(("on no list reached from a head", rest));
        var plans = new List<Plan>();
        for (int i = 0; i < nodes.Count; i++)
        {
            if (row[i] < 0)
                continue;
            foreach (var (field, link) in new[] { ("next", s[i].Next), ("prev", s[i].Prev) })
            {
                int t = link.Node;
                int step = field == "next" ? 1 : -1;
                var route = t == i ? Route.Loop
                    : t < 0 || row[t] < 0 ? Route.Stub
                    : row[t] != row[i] ? Route.Cross
                    : col[t] == col[i] + step ? Route.Straight : Route.Lane;
                plans.Add(new Plan(i, field, link, route, row[i], t >= 0 ? row[t] : -1));
            }
        }
        // Lanes: per row and side, the shortest span nearest the boxes; a pointer between rows takes a
        // lane in both rows and a gutter lane, the shortest vertical run nearest the rows.
        double Span(Plan p) => p.Route == Route.Cross ? 1000 + Math.Abs(col[p.Node]) : Math.Abs(col[p.Link.Node] - col[p.Node]);
        foreach (var side in plans.Where(p => p.Route is Route.Lane or Route.Cross).GroupBy(p => (p.SourceRow, p.Field)))
        {
            int lane = 0;
            foreach (var p in side.OrderBy(Span).ThenBy(p => p.Node))
                p.Lane = lane++;
        }
        foreach (var p in plans.Where(p => p.Route == Route.Cross))
            p.TargetLane = plans.Count(q => (q.Route is Route.Lane or Route.Cross) && q.SourceRow == p.TargetRow && q.Field == p.Field)
                + plans.Where(q => q.Route == Route.Cross && q.TargetRow == p.TargetRow && q.Field == p.Field).TakeWhile(q => q != p).Count();
        int gutter = 0;
        foreach (var p in plans.Where(p => p.Route == Route.Cross).OrderBy(p => Math.Abs(p.TargetRow - p.SourceRow)).ThenBy(p => p.Node))
            p.Gutter = gutter++;
        foreach (var into in plans.Where(p => p.Route is Route.Lane or Route.Cross).GroupBy(p => (p.Link.Node, p.Field)))
        {
            int e = 0;
            foreach (var p in into.OrderBy(p => p.Node))
                p.Entry = e++;
        }
        return new Layout(rows, row, col, plans);
    }

    static Scene Draw(Report r, NodeState[] s, Layout l, double boxW, double left, double[] boxTop, double[] labelY, double[] nextStubY, double[] prevStubY)
    {
        var labels = new List<SceneText>();
        var boxes = new Rect?[r.Nodes.Count];
        var drawn = new List<SceneNode>();
        for (int ri = 0; ri < l.Rows.Count; ri++)
        {
            int rowIndex = l.Row[l.Rows[ri].Members[0]];
            labels.Add(new SceneText(l.Rows[ri].Label, left, labelY[rowIndex], "rowlabel", null));
            foreach (var i in l.Rows[ri].Members)
            {
                var box = new Rect(left + l.Col[i] * (boxW + Gap), boxTop[rowIndex], boxW, BoxH);
                boxes[i] = box;
                drawn.Add(Node(r.Nodes[i], i, s[i], box));
            }
        }
        var pointers = new List<ScenePointer>();
        foreach (var p in l.Plans)
        {
            var b = boxes[p.Node]!.Value;
            bool next = p.Field == "next";
            // next leaves the right edge near the top, prev the left edge near the bottom.
            var from = next ? new Point(b.Right, b.Y + 20) : new Point(b.X, b.Bottom - 14);
            double outX = next ? b.Right + Exit : b.X - Exit;
            double LaneY(int row, int lane) => next ? boxTop[row] - 14 - LaneStep * lane : boxTop[row] + BoxH + 14 + LaneStep * lane;
            var pts = new List<Point> { from };
            switch (p.Route)
            {
                case Route.Straight:
                {
                    var t = boxes[p.Link.Node]!.Value;
                    pts.Add(next ? new Point(t.X, from.Y) : new Point(t.Right, from.Y));
                    break;
                }
                case Route.Loop:
                {
                    double turn = next ? b.Y - LoopRise : b.Bottom + LoopRise, inX = next ? b.Right - 14 : b.X + 14;
                    pts.AddRange([new(outX, from.Y), new(outX, turn), new(inX, turn), new(inX, next ? b.Y : b.Bottom)]);
                    break;
                }
                case Route.Lane or Route.Cross:
                {
                    var t = boxes[p.Link.Node]!.Value;
                    double inX = next ? t.X + 14 + 9 * p.Entry : t.Right - 14 - 9 * p.Entry;
                    double laneY = LaneY(p.SourceRow, p.Lane);
                    pts.AddRange([new(outX, from.Y), new(outX, laneY)]);
                    if (p.Route == Route.Cross)
                    {
                        double gutterX = left - 18 - LaneStep * p.Gutter, targetY = LaneY(p.TargetRow, p.TargetLane);
                        pts.AddRange([new(gutterX, laneY), new(gutterX, targetY)]);
                        laneY = targetY;
                    }
                    pts.AddRange([new(inX, laneY), new(inX, next ? t.Y : t.Bottom)]);
                    break;
                }
                default:
                {
                    // A pointer to no drawn list_head: up (next) or down (prev) to its label on the row's stub line.
                    var text = new SceneText(p.Link.Symbol, next ? b.Right + 2 : b.X - 12,
                        next ? nextStubY[p.SourceRow] : prevStubY[p.SourceRow], "stub" + (Poison(p.Link) ? " poison" : ""), null);
                    labels.Add(text);
                    pts.AddRange([new(outX, from.Y), new(outX, next ? text.Bounds.Bottom + 2 : text.Bounds.Y - 2)]);
                    break;
                }
            }
            string cls = "ptr " + p.Field + (Poison(p.Link) ? " poison" : "") + (s[p.Node].Live == Liveness.Live ? "" : " dead");
            pointers.Add(new ScenePointer(p.Node, p.Field, pts, cls, p.Link.Symbol));
        }
        double width = Math.Max(drawn.Max(n => n.Box.Right), labels.Max(t => t.Bounds.Right)) + 20;
        double height = Math.Max(drawn.Max(n => n.Box.Bottom), labels.Max(t => t.Bounds.Bottom)) + 30;
        return new Scene(Math.Ceiling(width), Math.Ceiling(height), labels, drawn, pointers);
    }

    static bool Poison(Link l) => l.Symbol.StartsWith("LIST_POISON", StringComparison.Ordinal);

    static SceneNode Node(ListNode n, int i, NodeState st, Rect box)
    {
        string cls = n.Kind switch { NodeKind.Folio => "folio", NodeKind.Queue => "head queue", _ => "head stack" };
        if (st.Live == Liveness.Freed)
            cls += " freed";
        if (st.Live == Liveness.OutOfScope)
            cls += " oos";
        var lines = Lines(n, st).Select((t, k) => t with { X = box.X + 8, Y = box.Y + 16 + 15 * k, Id = t.Id is null ? null : $"n{i}-{t.Id}" }).ToList();
        return new SceneNode(i, n.Name, box, cls, lines);
    }

    /// <summary>The lines of a node's box (position 0, ids the bare field names).</summary>
    static IEnumerable<SceneText> Lines(ListNode n, NodeState st)
    {
        SceneText T(string text, string? id = null, string cls = "") => new(text, 0, 0, cls, id);
        switch (n.Kind)
        {
            case NodeKind.Folio:
                yield return T(st.Live == Liveness.Freed ? $"folio {n.Name} FREED" : $"folio {n.Name}", cls: "title");
                yield return T($"_refcount={st.Refcount}", "ref");
                yield return T((st.Locked ? "locked " : "") + (st.PartiallyMapped ? "partially_mapped" : st.Locked ? "" : "unlocked"), "flags");
                yield return T(st.Memcg.Length == 0 ? "uncharged" : $"memcg_data={st.Memcg}", "memcg");
                break;
            case NodeKind.Queue:
                yield return T($"{n.Name} queue", cls: "title");
                yield return T($"split_queue_len={st.Len}", "len");
                yield return T(st.LockHolder == 0 ? "lock free" : $"lock held by CPU {st.LockHolder}", "lock");
                break;
            default:
                yield return T(n.Name, cls: "title");
                yield return T(st.Live == Liveness.Live ? "LIST_HEAD on the stack" : "frame returned");
                break;
        }
    }
}
