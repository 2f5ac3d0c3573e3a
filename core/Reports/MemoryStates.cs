using MmFuzz.Kernel;
using MmFuzz.Scenarios;

namespace MmFuzz.Reports;

/// <summary>Snapshots of the drawn lists of a <see cref="World"/>.</summary>
public sealed class MemoryStates
{
    readonly World world;
    readonly Dictionary<nint, int> byList = new();

    /// <summary>The nodes of <paramref name="world"/>: node0, memcg1, memcg2, every CPU's on-stack list, then the folios.</summary>
    public MemoryStates(World world)
    {
        this.world = world;
        var nodes = new List<ListNode>();
        var a = world.Arena;
        foreach (var (q, name) in new[] { (QueueId.Node0, "node0"), (QueueId.Memcg1, "memcg1"), (QueueId.Memcg2, "memcg2") })
        {
            var head = world.Queue(q).SplitQueue.Addr;
            nodes.Add(new ListNode(name, NodeKind.Queue, a.ObjectAt(head), head));
        }
        for (int cpu = 0; cpu < world.Scenario.Cpus.Length; cpu++)
        {
            var l = world.StackList(cpu).Addr;
            nodes.Add(new ListNode($"cpu{cpu + 1}.list", NodeKind.StackList, a.ObjectAt(l), l));
        }
        for (int i = 0; i < world.Scenario.Folios.Length; i++)
        {
            var f = world.Folio(i);
            nodes.Add(new ListNode(world.Scenario.Folios[i].Name, NodeKind.Folio, a.ObjectAt(f.Addr), f.DeferredList.Addr));
        }
        Nodes = nodes;
        for (int i = 0; i < nodes.Count; i++)
            byList[nodes[i].List] = i;
    }

    /// <summary>The drawn nodes, in a fixed order.</summary>
    public IReadOnlyList<ListNode> Nodes { get; }

    /// <summary>Index of the node with arena object <paramref name="obj"/>, or -1.</summary>
    public int NodeOfObject(int obj)
    {
        for (int i = 0; i < Nodes.Count; i++)
            if (Nodes[i].Object == obj)
                return i;
        return -1;
    }

    /// <summary>Reads every node's state from the arena now.</summary>
    public NodeState[] Capture()
    {
        var a = world.Arena;
        var states = new NodeState[Nodes.Count];
        for (int i = 0; i < Nodes.Count; i++)
        {
            var n = Nodes[i];
            var next = LinkOf((nint)a.Read(n.List, 8));
            var prev = LinkOf((nint)a.Read(n.List + Offsets.ListPrev, 8));
            var live = a.LivenessOf(n.Object);
            switch (n.Kind)
            {
                case NodeKind.Folio:
                {
                    var f = new FolioPtr(n.List - Offsets.FolioDeferredList);
                    ulong flags = a.Read(f.Addr + Offsets.FolioFlags, 8);
                    var memcg = (nint)a.Read(f.Addr + Offsets.FolioMemcgData, 8);
                    int mo = memcg == 0 ? -1 : a.ObjectAt(memcg);
                    states[i] = new NodeState(next, prev, live, (int)(uint)a.Read(f.Addr + Offsets.FolioRefcount, 4),
                        (flags & (1UL << PageFlags.PG_locked)) != 0,
                        FolioWords.PartiallyMapped(a.Read(f.Addr + Offsets.FolioPartiallyMapped, 8)),
                        memcg == 0 ? "" : mo >= 0 ? a.Objects[mo].Name : world.Symbols.Symbol(memcg), 0, 0);
                    break;
                }
                case NodeKind.Queue:
                {
                    nint queue = n.List - Offsets.QueueList;
                    states[i] = new NodeState(next, prev, live, 0, false, false, "", (long)a.Read(queue + Offsets.QueueLen, 8), (int)a.Read(queue, 4));
                    break;
                }
                default:
                    states[i] = new NodeState(next, prev, live, 0, false, false, "", 0, 0);
                    break;
            }
        }
        return states;
    }

    Link LinkOf(nint p) => new(byList.TryGetValue(p, out var i) ? i : -1, world.Symbols.Symbol(p));
}
