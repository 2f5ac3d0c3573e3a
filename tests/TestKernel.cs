using System.Globalization;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using MmFuzz.Search;

namespace MmFuzz.Tests;

// Shared rig of the hand-made tests: a test kernel that exposes the protected ports, a world built
// from a few folios and one program (code) per CPU, and test-local names for every list_head, so
// that expected pointer states and access sequences are written by hand and never recomputed by
// the code under test.

/// <summary>
/// The base ports of <see cref="Kernel.Kernel"/> (the v6.9 shared state, no variant overrides) with the
/// protected ones made callable from test programs, plus raw accesses for building corrupted states.
/// </summary>
public sealed class TestKernel(World world, Cpu cpu) : Kernel.Kernel(world, cpu)
{
    /// <summary>The world this kernel runs in.</summary>
    public World W => World;

    /// <summary>The v6.10+ "on deferred list" check of <c>free_tail_page_prepare()</c> is on in the test kernel.</summary>
    protected override async Sim<string?> free_tail_page_prepare(FolioPtr folio) =>
        await folio_order(folio) > 1 && !await list_empty(folio.DeferredList) ? "on deferred list" : null;

    /// <summary>The CPU running these ports.</summary>
    public Cpu ThisCpu => Cpu;

    /// <summary>Steps executed so far: the index of the next scheduling point of the execution.</summary>
    public int Steps => Cpu.Machine.Steps;

    /// <summary><c>INIT_LIST_HEAD()</c>.</summary>
    public Sim InitListHead(ListPtr l) => INIT_LIST_HEAD(l);

    /// <summary><c>list_add()</c>.</summary>
    public Sim ListAdd(ListPtr n, ListPtr h) => list_add(n, h);

    /// <summary><c>list_add_tail()</c>.</summary>
    public Sim ListAddTail(ListPtr n, ListPtr h) => list_add_tail(n, h);

    /// <summary><c>list_del()</c>.</summary>
    public Sim ListDel(ListPtr e) => list_del(e);

    /// <summary><c>list_del_init()</c>.</summary>
    public Sim ListDelInit(ListPtr e) => list_del_init(e);

    /// <summary><c>list_move()</c>.</summary>
    public Sim ListMove(ListPtr l, ListPtr h) => list_move(l, h);

    /// <summary><c>list_move_tail()</c>.</summary>
    public Sim ListMoveTail(ListPtr l, ListPtr h) => list_move_tail(l, h);

    /// <summary><c>list_splice_tail()</c>.</summary>
    public Sim ListSpliceTail(ListPtr l, ListPtr h) => list_splice_tail(l, h);

    /// <summary><c>list_empty()</c>.</summary>
    public Sim<bool> ListEmpty(ListPtr h) => list_empty(h);

    /// <summary><c>list_first_entry()</c>.</summary>
    public Sim<FolioPtr> ListFirstEntry(ListPtr h) => list_first_entry(h);

    /// <summary><c>list_next_entry()</c>.</summary>
    public Sim<FolioPtr> ListNextEntry(FolioPtr pos) => list_next_entry(pos);

    /// <summary><c>__list_add_valid_or_report()</c>.</summary>
    public Sim<bool> ListAddValid(ListPtr n, ListPtr prev, ListPtr next) => __list_add_valid(n, prev, next);

    /// <summary><c>spin_lock(&amp;q-&gt;split_queue_lock)</c>.</summary>
    public Sim Lock(QueuePtr q) => spin_lock(q.Lock);

    /// <summary><c>spin_unlock(&amp;q-&gt;split_queue_lock)</c>.</summary>
    public Sim Unlock(QueuePtr q) => spin_unlock(q.Lock);

    /// <summary><c>ds_queue-&gt;split_queue_len += delta</c> (two scheduling points).</summary>
    public Sim SplitQueueLenAdd(QueuePtr q, long delta) => mmfuzz_split_queue_len_add(q, delta);

    /// <summary><c>folio_put_testzero()</c>.</summary>
    public Sim<bool> FolioPutTestzero(FolioPtr f) => folio_put_testzero(f);

    /// <summary><c>free_unref_page()</c>.</summary>
    public Sim FreeUnrefPage(FolioPtr f) => free_unref_page(f);

    /// <summary>The scan's lost-race branch alone: <c>list_del_init(&amp;folio-&gt;_deferred_list)</c> inside "We lost race with folio_put()".</summary>
    public async Sim LostRaceListDelInit(FolioPtr f)
    {
        using var _ = Cpu.Enter(Fn.lost_race, f.Addr);
        await list_del_init(f.DeferredList);
    }

    /// <summary>A raw plain store (no oracle bypass: the machine still checks the address and the lock).</summary>
    public Step Poke<T>(Field<T> f, T v) where T : unmanaged => Store(f, v);

    /// <summary>A raw plain load.</summary>
    public Step<T> Peek<T>(Field<T> f) where T : unmanaged => Load(f);

    /// <summary>A read inside <c>data_race()</c>.</summary>
    public Step<T> PeekDataRace<T>(Field<T> f) where T : unmanaged => DataRaceLoad(f);

    /// <summary><c>READ_ONCE()</c>.</summary>
    public Step<T> PeekOnce<T>(Field<T> f) where T : unmanaged => ReadOnce(f);

    /// <summary><c>WRITE_ONCE()</c>.</summary>
    public Step PokeOnce<T>(Field<T> f, T v) where T : unmanaged => WriteOnce(f, v);

    /// <summary><c>atomic_add_return()</c> on the folio's refcount (fully ordered).</summary>
    public Step<int> RefAddReturn(FolioPtr f, int a) => AtomicAddReturn(f.Refcount, a);

    /// <summary><c>atomic_read()</c> of the folio's refcount (orders nothing).</summary>
    public Step<int> RefRead(FolioPtr f) => AtomicRead(f.Refcount);

    /// <summary><c>clear_bit(bit, &amp;folio-&gt;flags)</c>.</summary>
    public Step<ulong> ClearFlag(FolioPtr f, int bit) => ClearBit(f.Flags, bit);

    /// <summary>A port with a bug of the simulator: it throws a C# exception after one access.</summary>
    public async Sim ThrowingPort(FolioPtr f)
    {
        using var _ = Cpu.Enter(Fn.folio_ref_count, f.Addr);
        await AtomicRead(f.Refcount);
        throw new InvalidOperationException("port bug");
    }

    /// <summary>A port with a bug of the simulator: it stops as at BUG() but reports nothing.</summary>
    public async Sim SilentHaltPort(FolioPtr f)
    {
        using var _ = Cpu.Enter(Fn.folio_ref_count, f.Addr);
        await AtomicRead(f.Refcount);
        await default(Halt);
    }

    /// <summary>A port that recurses <paramref name="depth"/> frames deep, reading the refcount at the bottom.</summary>
    public async Sim RecursivePort(FolioPtr f, int depth)
    {
        using var _ = Cpu.Enter(Fn.folio_ref_count, f.Addr);
        if (depth == 0)
            await AtomicRead(f.Refcount);
        else
            await RecursivePort(f, depth - 1);
    }
}

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
        Sim = new Simulation(TestVariant, scenario, oraclesOff,
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
    public Simulation Sim { get; }

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

/// <summary>Logs the access of every step of the current execution (as announced, before it is performed).</summary>
public sealed class AccessLog : IStepObserver
{
    readonly List<Access> entries = new();

    /// <summary>The accesses, one per step.</summary>
    public IReadOnlyList<Access> Entries => entries;

    /// <summary>Forgets the previous run.</summary>
    public void Clear() => entries.Clear();

    /// <inheritdoc/>
    public void BeforeStep(Machine machine, Cpu cpu, int step)
    {
        if (step == 0)
            entries.Clear();        // a new execution
        if (step != entries.Count)
            throw new InvalidOperationException($"step {step} logged as entry {entries.Count}");
        entries.Add(cpu.PendingAccess);
    }

    /// <inheritdoc/>
    public void AfterStep(Machine machine, Cpu cpu, int step)
    {
    }
}
