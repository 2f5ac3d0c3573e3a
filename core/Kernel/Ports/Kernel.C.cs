using System.Numerics;
using System.Runtime.CompilerServices;
using MmFuzz.Engine;
using MmFuzz.Memory;

namespace MmFuzz.Kernel;

/// <summary>A read-modify-write of C (<c>x += v</c>, <c>x++</c>) done as a load and a store.</summary>
public enum RmwOp : byte
{
    /// <summary><c>+</c></summary>
    Add,
    /// <summary><c>-</c></summary>
    Sub,
    /// <summary><c>*</c></summary>
    Mul,
    /// <summary><c>/</c></summary>
    Div,
    /// <summary><c>%</c></summary>
    Rem,
    /// <summary><c>&amp;</c></summary>
    And,
    /// <summary><c>|</c></summary>
    Or,
    /// <summary><c>^</c></summary>
    Xor,
    /// <summary><c>&lt;&lt;</c></summary>
    Shl,
    /// <summary><c>&gt;&gt;</c></summary>
    Shr,
}

// The access primitives of C read by the C front end (core/C): a load or a store the C text makes
// through a pointer is announced exactly as a port's own Load/Store, with the marking the C gives it
// (plain, READ_ONCE/WRITE_ONCE, inside data_race()). The CPU's private frame (a folio_batch, a
// shrink_control) is read and written directly: no other CPU sees it, so no scheduling point.
public abstract partial class Kernel
{
    /// <summary>A load of <typeparamref name="T"/> (4 or 8 bytes) at <paramref name="addr"/>.</summary>
    protected Step<T> LoadAt<T>(nint addr, Marking marking) where T : unmanaged => Announce<T>(AccessOp.Load, addr, marking);

    /// <summary>A store of <paramref name="value"/> (4 or 8 bytes) at <paramref name="addr"/>.</summary>
    protected Step StoreAt<T>(nint addr, T value, Marking marking) where T : unmanaged => AnnounceStore<T>(AccessOp.Store, addr, marking, Word.To(value));

    /// <summary>A store used as a value (<c>a = b = c</c>): stores, then yields what it stored.</summary>
    protected async Sim<T> AssignAt<T>(nint addr, T value, Marking marking) where T : unmanaged
    {
        await StoreAt(addr, value, marking);
        return value;
    }

    /// <summary>
    /// <c>*addr op= rhs</c> as C runs it on shared memory: a load, then a store. Yields the new value,
    /// or the old one for a postfix <c>++</c>/<c>--</c> (<paramref name="yieldOld"/>).
    /// </summary>
    protected async Sim<T> RmwAt<T>(nint addr, RmwOp op, T rhs, Marking marking, bool yieldOld) where T : unmanaged, IBinaryInteger<T>
    {
        T old = await LoadAt<T>(addr, marking);
        T value = Apply(old, op, rhs);
        await StoreAt(addr, value, marking);
        return yieldOld ? old : value;
    }

    /// <summary>C's arithmetic on <typeparamref name="T"/>, wrapping.</summary>
    protected static T Apply<T>(T a, RmwOp op, T b) where T : IBinaryInteger<T> => op switch
    {
        RmwOp.Add => unchecked(a + b),
        RmwOp.Sub => unchecked(a - b),
        RmwOp.Mul => unchecked(a * b),
        RmwOp.Div => a / b,
        RmwOp.Rem => a % b,
        RmwOp.And => a & b,
        RmwOp.Or => a | b,
        RmwOp.Xor => a ^ b,
        RmwOp.Shl => a << int.CreateTruncating(b),
        _ => a >> int.CreateTruncating(b),
    };

    /// <summary>
    /// Reads the CPU's private frame (no scheduling point). The address must lie in this CPU's frame
    /// area: the caller (translated C) only uses it for a CPU-private type.
    /// </summary>
    protected T PeekAt<T>(nint addr) where T : unmanaged
    {
        CheckPrivate(addr, Unsafe.SizeOf<T>());
        ulong word = World.Arena.Read(addr, Unsafe.SizeOf<T>());
        return Unsafe.As<ulong, T>(ref word);
    }

    /// <summary>Writes the CPU's private frame (no scheduling point).</summary>
    protected void PokeAt<T>(nint addr, T value) where T : unmanaged
    {
        CheckPrivate(addr, Unsafe.SizeOf<T>());
        ulong word = 0;
        Unsafe.As<ulong, T>(ref word) = value;
        World.Arena.Write(addr, Unsafe.SizeOf<T>(), word);
    }

    /// <summary>A store to the CPU's private frame used as a value: stores, then yields <paramref name="value"/>.</summary>
    protected T PokeValueAt<T>(nint addr, T value) where T : unmanaged
    {
        PokeAt(addr, value);
        return value;
    }

    /// <summary><c>*addr op= rhs</c> on the CPU's private frame (no scheduling point): yields the new value, or the old one for a postfix update.</summary>
    protected T RmwPrivateAt<T>(nint addr, RmwOp op, T rhs, bool yieldOld) where T : unmanaged, IBinaryInteger<T>
    {
        T old = PeekAt<T>(addr);
        T value = Apply(old, op, rhs);
        PokeAt(addr, value);
        return yieldOld ? old : value;
    }

    void CheckPrivate(nint addr, int width)
    {
        var frame = World.CpuFrame(Cpu.Index);
        var obj = World.Arena.Objects[World.Arena.ObjectAt(frame)];
        if (addr < frame || addr + width > frame + obj.Size)
            throw new InvalidOperationException($"CPU {Cpu.Number}: a private access at {World.Symbols.Px(addr)} outside its frame area");
    }

    /// <summary>Opens C's <c>data_race()</c>: every access until the matching close is marked as an intentional race.</summary>
    protected int BeginDataRace()
    {
        Cpu.DataRaceNesting++;
        return 0;
    }

    /// <summary>Closes C's <c>data_race()</c>, yielding the value of its expression.</summary>
    protected T EndDataRace<T>(T value)
    {
        Cpu.DataRaceNesting--;
        return value;
    }

    /// <summary>A failed <c>WARN_ON()</c> used as a value: reports and stops the CPU, as <see cref="Bug"/>.</summary>
    protected async Sim<bool> BugValue(BugKind kind, string message)
    {
        await Bug(kind, message);
        return true;
    }

    /// <summary>" (A)" for a folio, " (the symbol)" for another object, "" for NULL: the subject of a BUG or WARN message.</summary>
    protected string ObjectName(nint addr)
    {
        if (addr == 0)
            return "";
        for (int i = 0; i < World.FolioObjects.Length; i++)
            if (World.Folio(i).Addr == addr)
                return $" ({Name(World.Folio(i))})";
        return $" ({World.Symbols.Symbol(addr)})";
    }

    /// <summary>Offset of <c>folio_batch.folios</c> in the C headers' layout (mmfuzz/types.h; CHeaderLayoutTests checks it).</summary>
    public const int FolioBatchFolios = 8;

    readonly Stack<FolioBatch> spareBatches = new();

    /// <summary>
    /// Calls a port that takes a <see cref="FolioBatch"/> with the C <c>struct folio_batch</c> at
    /// <paramref name="batch"/> (the CPU's own memory): fills a C# batch from it, runs the port, and
    /// writes what the port left (its count and folios) back.
    /// </summary>
    protected async Sim WithFolioBatch(nint batch, Func<FolioBatch, Sim> port)
    {
        var b = spareBatches.Count > 0 ? spareBatches.Pop() : new FolioBatch(FolioBatch.PAGEVEC_SIZE);
        b.reinit();
        int nr = PeekAt<byte>(batch);
        for (int i = 0; i < nr; i++)
            b.add(new FolioPtr(PeekAt<nint>(batch + FolioBatchFolios + 8 * i)));
        await port(b);
        PokeAt<byte>(batch, (byte)b.nr);
        for (int i = 0; i < b.nr; i++)
            PokeAt<nint>(batch + FolioBatchFolios + 8 * i, b.folios[i].Addr);
        spareBatches.Push(b);
    }

    /// <summary>Copies a C# <see cref="FolioBatch"/> into a C <c>struct folio_batch</c> at <paramref name="batch"/> (the CPU's own memory).</summary>
    protected void ToCFolioBatch(FolioBatch b, nint batch)
    {
        PokeAt<byte>(batch, (byte)b.nr);
        PokeAt<byte>(batch + 1, 0);
        PokeAt<byte>(batch + 2, 0);
        for (int i = 0; i < b.nr; i++)
            PokeAt<nint>(batch + FolioBatchFolios + 8 * i, b.folios[i].Addr);
    }

    /// <summary>Copies a C <c>struct folio_batch</c> back into a C# <see cref="FolioBatch"/>.</summary>
    protected void FromCFolioBatch(nint batch, FolioBatch b)
    {
        b.reinit();
        int nr = PeekAt<byte>(batch);
        for (int i = 0; i < nr; i++)
            b.add(new FolioPtr(PeekAt<nint>(batch + FolioBatchFolios + 8 * i)));
    }
}
