using MmFuzz.Memory;
using MmFuzz.Engine;

namespace MmFuzz.Kernel;

/// <summary>
/// The kernel as one simulated CPU runs it: every port is an async method of this class, and every
/// shared-memory access inside a port is an awaited scheduling point (this file). A kernel state of
/// docs/HISTORY.md §8 is a subclass that overrides the functions that differ in that state; everything
/// else is shared. One instance per CPU of a machine.
/// </summary>
public abstract partial class Kernel
{
    /// <summary>Binds the ports to a CPU of a world.</summary>
    protected Kernel(World world, Cpu cpu)
    {
        World = world;
        Cpu = cpu;
    }

    /// <summary>
    /// The base port's traits (v6.9): no <c>PG_partially_mapped</c>, no reparenting of the queue. A state
    /// that changes one declares its own (<see cref="KernelTraits"/>).
    /// </summary>
    public static KernelTraits Traits { get; } = new();

    /// <summary>The simulated system (memory layout, oracles).</summary>
    protected World World { get; }

    /// <summary>The CPU running these ports.</summary>
    protected Cpu Cpu { get; }

    Step<T> Announce<T>(AccessOp op, nint addr, Marking marking, ulong a = 0, ulong b = 0, bool blocking = false) where T : unmanaged
    {
        Cpu.Announce(new Access { Op = op, Addr = addr, A = a, B = b, Width = (byte)Word.Width<T>(), Marking = Cpu.DataRaceNesting == 0 ? marking : Marking.DataRace, Blocking = blocking });
        return new Step<T>(Cpu);
    }

    Step AnnounceStore<T>(AccessOp op, nint addr, Marking marking, ulong a = 0) where T : unmanaged
    {
        Cpu.Announce(new Access { Op = op, Addr = addr, A = a, Width = (byte)Word.Width<T>(), Marking = Cpu.DataRaceNesting == 0 ? marking : Marking.DataRace });
        return new Step(Cpu);
    }

    /// <summary>A plain C read: <c>x = p-&gt;field</c>.</summary>
    protected Step<T> Load<T>(Field<T> f) where T : unmanaged => Announce<T>(AccessOp.Load, f.Addr, Marking.Plain);

    /// <summary><c>READ_ONCE(p-&gt;field)</c>.</summary>
    protected Step<T> ReadOnce<T>(Field<T> f) where T : unmanaged => Announce<T>(AccessOp.Load, f.Addr, Marking.ReadOnce);

    /// <summary>A read inside <c>data_race()</c>.</summary>
    protected Step<T> DataRaceLoad<T>(Field<T> f) where T : unmanaged => Announce<T>(AccessOp.Load, f.Addr, Marking.DataRace);

    /// <summary><c>atomic_read()</c>.</summary>
    protected Step<T> AtomicRead<T>(Field<T> f) where T : unmanaged => Announce<T>(AccessOp.Load, f.Addr, Marking.Atomic);

    /// <summary>A plain C write: <c>p-&gt;field = v</c>.</summary>
    protected Step Store<T>(Field<T> f, T v) where T : unmanaged => AnnounceStore<T>(AccessOp.Store, f.Addr, Marking.Plain, Word.To(v));

    /// <summary><c>WRITE_ONCE(p-&gt;field, v)</c>.</summary>
    protected Step WriteOnce<T>(Field<T> f, T v) where T : unmanaged => AnnounceStore<T>(AccessOp.Store, f.Addr, Marking.WriteOnce, Word.To(v));

    /// <summary><c>atomic_set()</c> / <c>atomic_set_release()</c>.</summary>
    protected Step AtomicSet(Field<int> f, int v) => AnnounceStore<int>(AccessOp.Store, f.Addr, Marking.Atomic, Word.To(v));

    /// <summary><c>atomic_add_unless(v, a, u)</c>: returns the old value.</summary>
    protected Step<int> AtomicAddUnless(Field<int> f, int a, int u) =>
        Announce<int>(AccessOp.AddUnless, f.Addr, Marking.Atomic, (ulong)(uint)a, (ulong)(uint)u);

    /// <summary><c>atomic_add_return(a, v)</c>: returns the new value.</summary>
    protected Step<int> AtomicAddReturn(Field<int> f, int a) => Announce<int>(AccessOp.AddReturn, f.Addr, Marking.Atomic, (ulong)(uint)a);

    /// <summary><c>atomic_cmpxchg(v, old, new)</c>: returns the value found.</summary>
    protected Step<int> AtomicCmpxchg(Field<int> f, int expected, int value) =>
        Announce<int>(AccessOp.Cmpxchg, f.Addr, Marking.Atomic, (ulong)(uint)expected, (ulong)(uint)value);

    /// <summary><c>test_and_set_bit_lock(bit, p)</c>: returns 1 if the bit was set. With <paramref name="sleep"/>, waits instead.</summary>
    protected Step<int> TestAndSetBitLock(Field<ulong> f, int bit, bool sleep = false) =>
        Announce<int>(AccessOp.TestSetBitLock, f.Addr, Marking.Atomic, (ulong)bit, 0, sleep);

    /// <summary><c>clear_bit_unlock(bit, p)</c>, waking sleepers.</summary>
    protected Step<ulong> ClearBitUnlock(Field<ulong> f, int bit) => Announce<ulong>(AccessOp.ClearBitUnlock, f.Addr, Marking.Atomic, (ulong)bit);

    /// <summary><c>set_bit(bit, p)</c>.</summary>
    protected Step<ulong> SetBit(Field<ulong> f, int bit) => Announce<ulong>(AccessOp.SetBit, f.Addr, Marking.Atomic, (ulong)bit);

    /// <summary><c>clear_bit(bit, p)</c>.</summary>
    protected Step<ulong> ClearBit(Field<ulong> f, int bit) => Announce<ulong>(AccessOp.ClearBit, f.Addr, Marking.Atomic, (ulong)bit);

    /// <summary>One <c>spin_lock</c> attempt; the machine makes a failed attempt spin and retry.</summary>
    Step<int> SpinLockAttempt(Field<int> f) => Announce<int>(AccessOp.SpinLock, f.Addr, Marking.Atomic);

    /// <summary>
    /// Port of <c>spin_lock_irqsave()</c> / <c>spin_lock()</c> (include/linux/spinlock.h). A failed attempt
    /// yields and marks the CPU spinning until the holder releases the lock.
    /// </summary>
    protected async Sim spin_lock(Field<int> lockWord)
    {
        using var _ = Cpu.Enter(Fn.spin_lock, lockWord.Addr);
        await SpinLockAttempt(lockWord);
    }

    /// <summary>Port of <c>spin_unlock_irqrestore()</c> / <c>spin_unlock()</c>.</summary>
    protected async Sim spin_unlock(Field<int> lockWord)
    {
        using var _ = Cpu.Enter(Fn.spin_unlock, lockWord.Addr);
        await AnnounceStore<int>(AccessOp.SpinUnlock, lockWord.Addr, Marking.Atomic);
    }

    /// <summary>Reports a kernel bug on this CPU; await the result to stop here, as at BUG().</summary>
    protected Halt Bug(BugKind kind, string message)
    {
        Cpu.Machine.Report(kind, World.Symbols.Annotate(message), Cpu);
        return new Halt(Cpu);
    }

    /// <summary>The kernel's <c>%px</c> rendering of a pointer, with its symbol for people.</summary>
    protected string Px(ListPtr p) => World.Symbols.Px(p.Addr);

    /// <summary>The kernel's <c>%px</c> rendering of an address.</summary>
    protected string Px(nint addr) => World.Symbols.Px(addr);

    /// <summary>The folio's name in messages ("A").</summary>
    protected string Name(FolioPtr folio) => World.Symbols.Name(folio);

    /// <summary><c>bad_page()</c>'s text for <paramref name="folio"/> freed on this CPU.</summary>
    protected string BadPage(FolioPtr folio, string reason) => World.Symbols.BadPage(folio, Cpu.Number, reason);
}
