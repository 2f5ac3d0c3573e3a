using MmFuzz.Kernel;
using MmFuzz.Memory;
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

    /// <summary>
    /// Reads every node's state from the arena now; with <paramref name="store"/>, as if that store had
    /// happened too (a store an oracle stopped before it reached memory: the kernel would have made it).
    /// </summary>
    public NodeState[] Capture(PendingStore? store = null)
    {
        var a = new Overlay(world.Arena, store);
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

    /// <summary>The arena as read through one pending store (little-endian, byte-exact where they overlap).</summary>
    readonly struct Overlay(Arena arena, PendingStore? store)
    {
        public ulong Read(nint addr, int width)
        {
            ulong v = arena.Read(addr, width);
            if (store is not { } s || s.Addr >= addr + width || addr >= s.Addr + s.Width)
                return v;
            for (int b = 0; b < width; b++)
            {
                long off = addr + b - s.Addr;
                if (off < 0 || off >= s.Width)
                    continue;
                ulong sb = (s.Value >> (int)(8 * off)) & 0xff;
                v = (v & ~(0xffUL << (8 * b))) | (sb << (8 * b));
            }
            return v;
        }

        public Liveness LivenessOf(int obj) => arena.LivenessOf(obj);

        public int ObjectAt(nint addr) => arena.ObjectAt(addr);

        public IReadOnlyList<ArenaObject> Objects => arena.Objects;
    }

    Link LinkOf(nint p) => new(byList.TryGetValue(p, out var i) ? i : -1, world.Symbols.Symbol(p));
}

/// <summary>A store as the step meant it: <paramref name="Width"/> bytes of <paramref name="Value"/> at <paramref name="Addr"/>.</summary>
public readonly record struct PendingStore(nint Addr, int Width, ulong Value);
