using MmFuzz.Memory;
using MmFuzz.Scenarios;
using MmFuzz.Engine;

namespace MmFuzz.Kernel;

/// <summary>
/// One simulated system: the arena laid out for a scenario (node 0, two memcgs, the folios, one
/// stack area per CPU), the machine that runs it, one <see cref="Kernel"/> per CPU of the chosen
/// variant, and the kernel-specific oracles (World.Oracles.cs). Built once; every execution starts
/// from the same snapshot.
/// </summary>
public sealed partial class World : IMachineHost, IDisposable
{
    /// <summary>Kernel-looking base of the arena in messages (the direct map), so addresses are the same in every process.</summary>
    const ulong DisplayBase = 0xffff888100000000UL;

    readonly int nodeObj;
    readonly int[] memcgObj = new int[2];
    readonly int[] folioObj;
    readonly int[] stackObj;
    readonly Kernel[] kernels;
    readonly int[] expectedRefs;
    readonly int[] scanQueueObj;     // per CPU: the queue object its running scan took its local list from, or -1
    readonly int[] freedBy;          // per folio: CPU number that freed it in this execution, 0 if live
    readonly FolioBatch[] batches;   // per CPU: the folio_batch a batch-freeing operation fills
    readonly int[] queueObjs;        // node0, memcg1, memcg2
    readonly bool[] reachable;       // quiescence scratch: per object, reached by a queue walk

    readonly IReadOnlyList<Func<Kernel, Sim>>? programs;

    /// <summary>Builds the system for <paramref name="scenario"/> under <paramref name="variant"/>.</summary>
    public World(Variant variant, Scenario scenario) : this(variant, scenario, null)
    {
    }

    /// <summary>
    /// Builds the system with each CPU running code instead of the scenario's operations: unit tests
    /// of single ports (a test variant's <see cref="Kernel"/> subclass exposes them) and mutation checks.
    /// The scenario still gives the folios and the number of CPUs.
    /// </summary>
    public World(Variant variant, Scenario scenario, IReadOnlyList<Func<Kernel, Sim>>? programs)
    {
        if (programs is not null && programs.Count != scenario.Cpus.Length)
            throw new ArgumentException($"{programs.Count} programs for {scenario.Cpus.Length} CPUs", nameof(programs));
        this.programs = programs;
        Variant = variant;
        Scenario = scenario;
        var b = new ArenaBuilder();
        var queueFields = QueueLayout();
        nodeObj = b.Add("node0", ObjectKind.Node, 48, queueFields);
        memcgObj[0] = b.Add("memcg1", ObjectKind.MemCgroup, 48, queueFields);
        memcgObj[1] = b.Add("memcg2", ObjectKind.MemCgroup, 48, queueFields);
        folioObj = new int[scenario.Folios.Length];
        for (int i = 0; i < folioObj.Length; i++)
            folioObj[i] = b.Add(scenario.Folios[i].Name, ObjectKind.Folio, 64,
                (Offsets.FolioFlags, FieldKind.Flags), (Offsets.FolioRefcount, FieldKind.Refcount),
                (Offsets.FolioMemcgData, FieldKind.MemcgData), (Offsets.FolioNid, FieldKind.NidOrder), (Offsets.FolioPartiallyMapped, FieldKind.Flags),
                (Offsets.FolioDeferredList, FieldKind.ListNext), (Offsets.FolioDeferredList + 8, FieldKind.ListPrev));
        stackObj = new int[scenario.Cpus.Length];
        for (int i = 0; i < stackObj.Length; i++)
            stackObj[i] = b.Add($"cpu{i + 1}.list", ObjectKind.CpuStack, 16, (0, FieldKind.ListNext), (8, FieldKind.ListPrev));
        Arena = b.Build(Boot);
        Machine = new Machine(Arena, scenario.Cpus.Length);
        Machine.Attach(this);
        kernels = Machine.Cpus.Select(c => variant.Create(this, c)).ToArray();
        expectedRefs = scenario.ExpectedFinalRefcounts();
        scanQueueObj = new int[scenario.Cpus.Length];
        freedBy = new int[folioObj.Length];
        batches = scenario.Cpus.Select(_ => new FolioBatch(Math.Max(FolioBatch.PAGEVEC_SIZE, scenario.Folios.Length))).ToArray();
        queueObjs = [nodeObj, memcgObj[0], memcgObj[1]];
        reachable = new bool[Arena.Objects.Count];
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
    public Scenario Scenario { get; }

    /// <summary>The memory.</summary>
    public Arena Arena { get; }

    /// <summary>The engine running the CPUs.</summary>
    public Machine Machine { get; }

    /// <summary>Folio <paramref name="i"/> of the scenario.</summary>
    public FolioPtr Folio(int i) => new(Arena.Base + Arena.Objects[folioObj[i]].Offset);

    /// <summary><c>NODE_DATA(nid)</c> (one node).</summary>
    public NodePtr NodeData(int nid) => new(Arena.Base + Arena.Objects[nodeObj].Offset);

    /// <summary>The memcg with id 1 or 2.</summary>
    public MemcgPtr Memcg(int id) => new(Arena.Base + Arena.Objects[memcgObj[id - 1]].Offset);

    /// <summary>A queue by id.</summary>
    public QueuePtr Queue(QueueId q) => q switch
    {
        QueueId.Node0 => NodeData(0).DeferredSplitQueue,
        QueueId.Memcg1 => Memcg(1).DeferredSplitQueue,
        QueueId.Memcg2 => Memcg(2).DeferredSplitQueue,
        _ => throw new ArgumentOutOfRangeException(nameof(q)),
    };

    /// <summary>Where <paramref name="cpu"/>'s scan keeps its <c>LIST_HEAD(list)</c>.</summary>
    public ListPtr StackList(Cpu cpu) => new(Arena.Base + Arena.Objects[stackObj[cpu.Index]].Offset);

    /// <summary>Runs one execution under <paramref name="strategy"/>.</summary>
    public Outcome Run(ISchedulingStrategy strategy) => Machine.Run(strategy);

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
            w.SetOwner(obj, obj);
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
            w.SetOwner(obj, qobj);
        }
        foreach (var obj in stackObj)
            w.Arena.SetLiveness(obj, Liveness.OutOfScope);
    }

    /// <inheritdoc/>
    public Sim StartProgram(Cpu cpu) =>
        programs is null ? RunProgram(cpu, kernels[cpu.Index], Scenario.Cpus[cpu.Index]) : programs[cpu.Index](kernels[cpu.Index]);

    async Sim RunProgram(Cpu cpu, Kernel kernel, Op[] program)
    {
        for (int pc = 0; pc < program.Length; pc++)
        {
            cpu.Pc = pc;
            var op = program[pc];
            switch (op.Kind)
            {
                case OpKind.Scan:
                    await kernel.deferred_split_scan(Queue(op.Queue), op.NrToScan);
                    break;
                case OpKind.FolioPut:
                    await kernel.folio_put(Folio(op.Folios[0]));
                    break;
                case OpKind.FoliosPutRefs:
                {
                    var batch = batches[cpu.Index];      // the caller's on-stack folio_batch
                    batch.reinit();
                    foreach (var f in op.Folios)
                        batch.add(Folio(f));
                    await kernel.folios_put_refs(batch, null);
                    break;
                }
                case OpKind.FolioGet:
                    await kernel.folio_get(Folio(op.Folios[0]));
                    break;
                case OpKind.FolioLock:
                    await kernel.folio_lock(Folio(op.Folios[0]));
                    break;
                case OpKind.FolioUnlock:
                    await kernel.folio_unlock(Folio(op.Folios[0]));
                    break;
                case OpKind.DeferredSplitFolio:
                    await kernel.deferred_split_folio(Folio(op.Folios[0]), op.PartiallyMapped);
                    break;
                case OpKind.SplitFolio:
                    await kernel.split_folio_other_path(Folio(op.Folios[0]));
                    break;
                case OpKind.MigrateFolio:
                    await kernel.migrate_folio(Folio(op.Folios[0]));
                    break;
                default:
                    throw new InvalidOperationException($"unknown operation {op.Kind}");
            }
        }
    }

    /// <inheritdoc/>
    public void OnReset()
    {
        Array.Fill(scanQueueObj, -1);
        Array.Clear(freedBy);
    }

    /// <summary>Releases the arena.</summary>
    public void Dispose() => Arena.Dispose();
}
