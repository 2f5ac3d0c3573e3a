using MmFuzz.Memory;
using MmFuzz.Scenarios;

namespace MmFuzz.Kernel;

/// <summary>
/// The memory of one simulated system, laid out for a scenario and booted into its initial state:
/// node 0 and two memcgs with their deferred split queues, the scenario's folios (linked on their
/// queues as the scenario says), and one stack area per CPU for a scan's <c>LIST_HEAD(list)</c>.
/// Built once; every execution starts from the same snapshot of the arena. The ports find the
/// kernel's objects here (<c>NODE_DATA()</c>, a memcg, a CPU's stack); the oracles find what to check.
/// </summary>
public sealed class World : IDisposable
{
    readonly int nodeObj;
    readonly int[] memcgObj = new int[2];
    readonly int[] folioObj;
    readonly int[] stackObj;
    readonly int[] queueObj;
    readonly int[] frameObj;

    /// <summary>Lays out and boots the memory of <paramref name="scenario"/> under <paramref name="variant"/>.</summary>
    public World(Variant variant, Scenario scenario)
    {
        Variant = variant;
        Scenario = scenario;
        var b = new ArenaBuilder();
        var queueFields = QueueLayout();
        nodeObj = b.Add("node0", ObjectKind.Node, 48, queueFields);
        (int, FieldKind)[] memcgFields = [.. queueFields, (Offsets.MemcgCssFlags, FieldKind.Flags)];
        memcgObj[0] = b.Add("memcg1", ObjectKind.MemCgroup, 48, memcgFields);
        memcgObj[1] = b.Add("memcg2", ObjectKind.MemCgroup, 48, memcgFields);
        folioObj = new int[scenario.Folios.Length];
        for (int i = 0; i < folioObj.Length; i++)
            folioObj[i] = b.Add(scenario.Folios[i].Name, ObjectKind.Folio, 64,
                (Offsets.FolioFlags, FieldKind.Flags), (Offsets.FolioRefcount, FieldKind.Refcount),
                (Offsets.FolioMemcgData, FieldKind.MemcgData), (Offsets.FolioNid, FieldKind.NidOrder), (Offsets.FolioPartiallyMapped, FieldKind.Flags),
                (Offsets.FolioDeferredList, FieldKind.ListNext), (Offsets.FolioDeferredList + 8, FieldKind.ListPrev),
                (Offsets.FolioMapcount, FieldKind.Mapcount));
        stackObj = new int[scenario.Cpus.Length];
        for (int i = 0; i < stackObj.Length; i++)
            stackObj[i] = b.Add($"cpu{i + 1}.list", ObjectKind.CpuStack, 16, (0, FieldKind.ListNext), (8, FieldKind.ListPrev));
        frameObj = new int[variant.FrameBytes > 0 ? scenario.Cpus.Length : 0];
        for (int i = 0; i < frameObj.Length; i++)
            frameObj[i] = b.Add($"cpu{i + 1}.frame", ObjectKind.CpuFrame, (variant.FrameBytes + 7) & ~7);
        Arena = b.Build(Boot);
        queueObj = [nodeObj, memcgObj[0], memcgObj[1]];
        Symbols = new Symbols(Arena, folioObj);
    }

    static (int, FieldKind)[] QueueLayout() =>
    [
        (0, FieldKind.Id),
        (Offsets.OwnerQueue, FieldKind.SpinLock),
        (Offsets.OwnerQueue + Offsets.QueueList, FieldKind.ListNext),
        (Offsets.OwnerQueue + Offsets.QueueList + 8, FieldKind.ListPrev),
        (Offsets.OwnerQueue + Offsets.QueueLen, FieldKind.QueueLen),
    ];

    /// <summary>The kernel state being simulated.</summary>
    public Variant Variant { get; }

    /// <summary>The scenario.</summary>
    public Scenario Scenario { get; private set; }

    /// <summary>Whether <paramref name="scenario"/> fits this world's layout: the same CPUs and folios, named alike.</summary>
    public bool Fits(Scenario scenario) => ShapeOf(scenario) == ShapeOf(Scenario);

    /// <summary>The layout a scenario needs: its CPU count and folio names (<see cref="Fits"/>).</summary>
    public static string ShapeOf(Scenario scenario) => $"{scenario.Cpus.Length}:{string.Join(",", scenario.Folios.Select(f => f.Name))}";

    /// <summary>Boots this world's memory again for <paramref name="scenario"/>, which must <see cref="Fits"/> it.</summary>
    public void Reload(Scenario scenario)
    {
        if (!Fits(scenario))
            throw new ArgumentException($"scenario {scenario.Name} ({ShapeOf(scenario)}) does not fit a world laid out for {ShapeOf(Scenario)}", nameof(scenario));
        Scenario = scenario;
        Arena.Reboot(Boot);
    }

    /// <summary>The memory.</summary>
    public Arena Arena { get; }

    /// <summary>Names of addresses and the kernel's message formats for this arena.</summary>
    public Symbols Symbols { get; }

    /// <summary>The arena objects that own a deferred split queue: node 0, memcg 1, memcg 2.</summary>
    public ReadOnlySpan<int> QueueObjects => queueObj;

    /// <summary>The arena object of each folio of the scenario, in scenario order.</summary>
    public ReadOnlySpan<int> FolioObjects => folioObj;

    /// <summary>The arena object of each CPU's stack area (its scan's <c>LIST_HEAD(list)</c>), by CPU index.</summary>
    public ReadOnlySpan<int> StackObjects => stackObj;

    /// <summary>Folio <paramref name="i"/> of the scenario.</summary>
    public FolioPtr Folio(int i) => new(Arena.Base + Arena.Objects[folioObj[i]].Offset);

    /// <summary><c>NODE_DATA(nid)</c> (one node).</summary>
    public NodePtr NodeData(int nid) => new(Arena.Base + Arena.Objects[nodeObj].Offset);

    /// <summary>The memcg with id 1 or 2.</summary>
    public MemcgPtr Memcg(int id) => new(Arena.Base + Arena.Objects[memcgObj[id - 1]].Offset);

    /// <summary>
    /// <c>parent_mem_cgroup(memcg)</c>: memcg2's parent is memcg1. memcg1 stands for the root or any
    /// ancestor that stays online; its own parent is not modelled (NULL), and it is never taken offline
    /// (<c>memcg_offline(memcg1)</c> does not parse). <c>css.parent</c> is set when the memcg is created
    /// and never written, so reading it is not a scheduling point.
    /// </summary>
    public MemcgPtr ParentMemcg(MemcgPtr memcg) => memcg == Memcg(2) ? Memcg(1) : default;

    /// <summary>
    /// The memcg that embeds <paramref name="queue"/> (<c>container_of(queue, struct mem_cgroup,
    /// deferred_split_queue)</c>), or NULL for the node's queue: a scan's <c>sc-&gt;memcg</c>.
    /// </summary>
    public MemcgPtr MemcgOfQueue(QueuePtr queue) =>
        queue == Memcg(1).DeferredSplitQueue ? Memcg(1) : queue == Memcg(2).DeferredSplitQueue ? Memcg(2) : default;

    /// <summary>A queue by id.</summary>
    public QueuePtr Queue(QueueId q) => q switch
    {
        QueueId.Node0 => NodeData(0).DeferredSplitQueue,
        QueueId.Memcg1 => Memcg(1).DeferredSplitQueue,
        QueueId.Memcg2 => Memcg(2).DeferredSplitQueue,
        _ => throw new ArgumentOutOfRangeException(nameof(q)),
    };

    /// <summary>The deferred split queue of arena object <paramref name="obj"/> (one of <see cref="QueueObjects"/>).</summary>
    public QueuePtr QueueOfObject(int obj) => new(Arena.Base + Arena.Objects[obj].Offset + Offsets.OwnerQueue);

    /// <summary>
    /// The private frame area of the CPU with index <paramref name="cpu"/>, where a kernel state loaded
    /// from C keeps the locals whose address is taken (<see cref="Variant.FrameBytes"/> bytes; none otherwise).
    /// </summary>
    public nint CpuFrame(int cpu) => Arena.Base + Arena.Objects[frameObj[cpu]].Offset;

    /// <summary>Where the CPU with index <paramref name="cpu"/> keeps its scan's <c>LIST_HEAD(list)</c>.</summary>
    public ListPtr StackList(int cpu) => new(Arena.Base + Arena.Objects[stackObj[cpu]].Offset);

    void Boot(BootWriter w)
    {
        var objs = w.Arena.Objects;
        nint Addr(int obj, int off) => w.Arena.Base + objs[obj].Offset + off;
        // Queues: empty, self-linked heads.
        foreach (var (obj, id) in new[] { (nodeObj, 0), (memcgObj[0], 1), (memcgObj[1], 2) })
        {
            w.Write64(Addr(obj, 0), (ulong)id);
            var head = Addr(obj, Offsets.OwnerQueue + Offsets.QueueList);
            w.Write64(head, (ulong)head);
            w.Write64(head + 8, (ulong)head);
            if (id > 0)
                w.Write32(Addr(obj, Offsets.MemcgCssFlags), (int)CssFlags.CSS_ONLINE);    // online, not dying
        }
        for (int i = 0; i < folioObj.Length; i++)
        {
            var spec = Scenario.Folios[i];
            int obj = folioObj[i];
            ulong flags = 1UL << PageFlags.PG_large_rmappable;
            if (spec.Locked) flags |= 1UL << PageFlags.PG_locked;
            w.Write64(Addr(obj, Offsets.FolioFlags), flags);
            w.Write32(Addr(obj, Offsets.FolioRefcount), spec.Refcount);
            w.Write64(Addr(obj, Offsets.FolioMemcgData), spec.Memcg == QueueId.None ? 0 : (ulong)Addr(memcgObj[spec.Memcg == QueueId.Memcg1 ? 0 : 1], 0));
            w.Write64(Addr(obj, Offsets.FolioNid), (ulong)spec.Order << 32);
            w.Write64(Addr(obj, Offsets.FolioPartiallyMapped), spec.PartiallyMapped ? 1UL << PageFlags.PG_partially_mapped : 0);
            var entry = Addr(obj, Offsets.FolioDeferredList);
            w.Write64(entry, (ulong)entry);
            w.Write64(entry + 8, (ulong)entry);
            if (spec.Queue == QueueId.None)
                continue;
            // list_add_tail at boot, and split_queue_len++.
            int qobj = spec.Queue == QueueId.Node0 ? nodeObj : memcgObj[spec.Queue == QueueId.Memcg1 ? 0 : 1];
            var head = Addr(qobj, Offsets.OwnerQueue + Offsets.QueueList);
            var tail = (nint)w.Read64(head + 8);
            w.Write64(entry, (ulong)head);
            w.Write64(entry + 8, (ulong)tail);
            w.Write64(tail, (ulong)entry);
            w.Write64(head + 8, (ulong)entry);
            var len = Addr(qobj, Offsets.OwnerQueue + Offsets.QueueLen);
            w.Write64(len, w.Read64(len) + 1);
        }
        foreach (var obj in stackObj)
            w.Arena.SetLiveness(obj, Liveness.OutOfScope);
    }

    /// <summary>Releases the arena.</summary>
    public void Dispose() => Arena.Dispose();

    /// <summary>The scenario's index of <paramref name="folio"/>.</summary>
    public int FolioIndex(FolioPtr folio)
    {
        for (int i = 0; i < folioObj.Length; i++)
            if (Folio(i).Addr == folio.Addr)
                return i;
        throw new ArgumentOutOfRangeException(nameof(folio), "not a folio of this world");
    }
}
