using System.Globalization;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;

namespace MmFuzz.Tests;

// Shared rig of the hand-made tests: a system (HandMadeSystem.cs) built from a few folios and one
// program (code) per CPU on the test kernel (TestKernel.cs), and test-local names for every
// list_head, so that expected pointer states and access sequences are written by hand and never
// recomputed by the code under test. The accesses of a run are logged by an AccessLog (AccessLog.cs).

/// <summary>
/// One hand-made system: the folios of a scenario, one program per CPU, test-local names for every
/// list head ("H" = memcg1's queue, "H2" = memcg2's, "N" = node0's, "S" = CPU 1's on-stack list,
/// folios by their scenario name) and an access log of the last run.
/// </summary>
public sealed class Rig : IDisposable
{
    readonly Dictionary<nint, string> values = new();
    readonly Dictionary<nint, string> fields = new();
    readonly Dictionary<string, ListPtr> nodes = new();

    /// <summary>The test variant: the shared base ports, no history.</summary>
    public static readonly Variant TestVariant =
        Variant.Of("test", "test", (w, c) => new TestKernel(w, c));

    /// <summary>
    /// Builds the system. <paramref name="declared"/> are operations that only declare what the
    /// programs do to references (a <c>folio_put</c> drops one), for the quiescence refcount check;
    /// they are not run.
    /// </summary>
    public Rig(FolioSpec[] folios, Op[] declared, params Func<TestKernel, Rig, Sim>[] programs) : this(folios, declared, null, programs)
    {
    }

    /// <summary>Builds the system with the oracles <paramref name="oraclesOff"/> names turned off.</summary>
    public Rig(FolioSpec[] folios, Op[] declared, IReadOnlySet<BugKind>? oraclesOff, params Func<TestKernel, Rig, Sim>[] programs)
    {
        var cpus = new Op[programs.Length][];
        for (int i = 0; i < cpus.Length; i++)
            cpus[i] = i == 0 ? declared : [];
        var scenario = new Scenario("hand-made", "hand-made test system", folios, cpus);
        Sim = new HandMadeSystem(TestVariant, scenario, oraclesOff,
            programs.Select(p => (Func<Kernel.Kernel, Sim>)(k => p((TestKernel)k, this))).ToArray());
        Machine.Observer = Log;
        Name("H", World.Queue(QueueId.Memcg1));
        Name("H2", World.Queue(QueueId.Memcg2));
        Name("N", World.Queue(QueueId.Node0));
        Name("S", World.StackList(0));
        for (int i = 0; i < folios.Length; i++)
        {
            var f = World.Folio(i);
            Name(folios[i].Name, f.DeferredList);
            fields[f.Refcount.Addr] = folios[i].Name + ".ref";
            fields[f.Flags.Addr] = folios[i].Name + ".flags";
            fields[f.MemcgData.Addr] = folios[i].Name + ".memcg";
            fields[f.NidOrder.Addr] = folios[i].Name + ".order";
        }
        values[0] = "NULL";
        values[Poison.LIST_POISON1.Addr] = "P1";
        values[Poison.LIST_POISON2.Addr] = "P2";
    }

    /// <summary>Builds the system with no declared reference changes.</summary>
    public Rig(FolioSpec[] folios, params Func<TestKernel, Rig, Sim>[] programs) : this(folios, [], programs)
    {
    }

    void Name(string name, QueuePtr q)
    {
        Name(name, q.SplitQueue);
        fields[q.Lock.Addr] = name + ".lock";
        fields[q.Len.Addr] = name + ".len";
    }

    void Name(string name, ListPtr l)
    {
        nodes[name] = l;
        values[l.Addr] = name;
        fields[l.Next.Addr] = name + ".next";
        fields[l.Prev.Addr] = name + ".prev";
    }

    /// <summary>A folio on no queue, not charged, one reference, order 2.</summary>
    public static FolioSpec Free(string name, int refs = 1, bool locked = false, int order = 2) =>
        new(name, refs, QueueId.None, QueueId.None, order, locked);

    /// <summary>A folio charged to <paramref name="q"/> (or uncharged for node0) and linked on its queue at boot, in declaration order.</summary>
    public static FolioSpec On(QueueId q, string name, int refs = 1, int order = 2) =>
        new(name, refs, q == QueueId.Node0 ? QueueId.None : q, q, order);

    /// <summary>Declares one <c>folio_put</c> of folio <paramref name="index"/>.</summary>
    public static Op Put(int index) => new(OpKind.FolioPut, [index]);

    /// <summary>Declares one <c>folio_get</c> of folio <paramref name="index"/>.</summary>
    public static Op Get(int index) => new(OpKind.FolioGet, [index]);

    /// <summary>The simulated system.</summary>
    public HandMadeSystem Sim { get; }

    /// <summary>Its memory and layout.</summary>
    public World World => Sim.World;

    /// <summary>Its machine.</summary>
    public Machine Machine => Sim.Machine;

    /// <summary>No data-race detector: for tests of other oracles where plain accesses race by design.</summary>
    public static readonly IReadOnlySet<BugKind> NoRaces = new HashSet<BugKind> { BugKind.DataRace };

    /// <summary>Every access performed in the last run, in order.</summary>
    public AccessLog Log { get; } = new();

    /// <summary>Step indices recorded by <see cref="Mark"/> during the last run.</summary>
    public List<int> Marks { get; } = new();

    /// <summary>A list head by its test name.</summary>
    public ListPtr this[string name] => nodes[name];

    /// <summary>A folio by its scenario name.</summary>
    public FolioPtr Folio(string name) => FolioPtr.FromDeferredList(nodes[name]);

    /// <summary>memcg1's queue ("H").</summary>
    public QueuePtr Q1 => World.Queue(QueueId.Memcg1);

    /// <summary>memcg2's queue ("H2").</summary>
    public QueuePtr Q2 => World.Queue(QueueId.Memcg2);

    /// <summary>node0's queue ("N").</summary>
    public QueuePtr Node => World.Queue(QueueId.Node0);

    /// <summary>The kernel's <c>%px</c> of a list head, for expected messages.</summary>
    public string Px(ListPtr l) => World.Symbols.Px(l.Addr);

    /// <summary>The kernel's <c>%px</c> of an address.</summary>
    public string Px(nint a) => World.Symbols.Px(a);

    /// <summary>Records the index of the next step (call from a program, around the code under test).</summary>
    public void Mark() => Marks.Add(Machine.Steps);

    /// <summary>Runs one execution: the lowest runnable CPU runs until it cannot (one CPU: the only schedule).</summary>
    public Outcome Run() => Run(new SwitchPointStrategy([]));

    /// <summary>Runs one execution under <paramref name="strategy"/>.</summary>
    public Outcome Run(ISchedulingStrategy strategy)
    {
        Log.Clear();
        Marks.Clear();
        return Sim.Run(strategy);
    }

    /// <summary>
    /// The links of the named list heads, read straight from the arena, as
    /// <c>"X: next=Y prev=Z"</c> with test names (P1/P2 for the poisons, NULL, else hex).
    /// </summary>
    public string[] State(params string[] names) =>
        names.Select(n => $"{n}: next={Value((nint)World.Arena.Read(nodes[n].Next.Addr, 8))} prev={Value((nint)World.Arena.Read(nodes[n].Prev.Addr, 8))}").ToArray();

    /// <summary><c>split_queue_len</c> of a queue, read from the arena.</summary>
    public long Len(QueuePtr q) => (long)World.Arena.Read(q.Len.Addr, 8);

    /// <summary>
    /// The accesses of steps [<paramref name="from"/>, <paramref name="to"/>) as
    /// <c>"ld X.prev"</c>, <c>"ld! X.next"</c> (READ_ONCE), <c>"st X.prev=Y"</c>, <c>"st! X.next=Y"</c> (WRITE_ONCE).
    /// </summary>
    public string[] Accesses(int from, int to) => Log.Entries.Skip(from).Take(to - from).Select(Describe).ToArray();

    /// <summary>The accesses between the first two marks.</summary>
    public string[] MarkedAccesses() => Accesses(Marks[0], Marks[1]);

    string Describe(Access a)
    {
        string f = fields.TryGetValue(a.Addr, out var n) ? n : $"0x{(ulong)a.Addr:x}";
        return a.Op switch
        {
            AccessOp.Load => (a.Marking == Marking.ReadOnce ? "ld! " : a.Marking == Marking.DataRace ? "ld? " : "ld ") + f,
            AccessOp.Store => (a.Marking == Marking.WriteOnce ? "st! " : "st ") + f + "=" +
                              (a.Width == 8 && values.TryGetValue((nint)a.A, out var v) ? v : ((long)a.A).ToString(CultureInfo.InvariantCulture)),
            _ => $"{Access.Name(a.Op)} {f}",
        };
    }

    string Value(nint v) => values.TryGetValue(v, out var n) ? n : $"0x{(ulong)v:x}";

    /// <summary>Releases the world.</summary>
    public void Dispose() => World.Dispose();
}
