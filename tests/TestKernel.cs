using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Tests;

// The test kernel of the hand-made tests: the base ports with the protected ones made callable from
// test programs (run by a Rig, Rig.cs), plus raw accesses for building corrupted states and ports
// with simulator bugs for the harness-error tests.

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
