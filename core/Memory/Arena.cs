using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MmFuzz.Memory;

/// <summary>
/// One pinned, 64-byte aligned block of native memory that holds every simulated kernel object of a
/// machine: folios, the deferred split queues, the per-CPU stack areas, and a small liveness region.
/// Pointers stored inside the block are absolute addresses, exactly as in the kernel, which is valid
/// because the block never moves. Between executions the whole block is restored from a snapshot of
/// the initial state with one <c>memcpy</c>.
/// </summary>
/// <remarks>
/// This and <see cref="ArenaBuilder"/> are the only types that dereference raw pointers. Every
/// access made by a kernel port goes through <see cref="Classify"/> first, so a corrupted pointer
/// becomes a reported bug (general-protection fault, use-after-free) and never a crash of the .NET
/// process. The liveness bytes live inside the block so that the same memcpy resets them.
/// </remarks>
public sealed unsafe class Arena : IDisposable
{
    /// <summary>Granule size of the shadow map: every simulated field is 8-byte aligned.</summary>
    public const int Granule = 8;

    readonly byte* block;
    readonly byte* snapshot;
    readonly int size;
    readonly int livenessOffset;
    readonly ArenaObject[] objects;
    // Per 8-byte granule: object index + 1 (0: no object) and the field at that granule.
    readonly ushort[] granuleObject;
    readonly FieldKind[] granuleField;
    bool disposed;

    internal Arena(int size, int livenessOffset, ArenaObject[] objects, ushort[] granuleObject, FieldKind[] granuleField, byte[] image)
    {
        Debug.Assert(image.Length == size);
        Debug.Assert(livenessOffset + 2 * objects.Length <= size);
        this.size = size;
        this.livenessOffset = livenessOffset;
        this.objects = objects;
        this.granuleObject = granuleObject;
        this.granuleField = granuleField;
        block = (byte*)NativeMemory.AlignedAlloc((nuint)size, 64);
        snapshot = (byte*)NativeMemory.AlignedAlloc((nuint)size, 64);
        fixed (byte* src = image)
        {
            Buffer.MemoryCopy(src, block, size, size);
        }
        Buffer.MemoryCopy(block, snapshot, size, size);
    }

    /// <summary>Address of the first byte of the block.</summary>
    public nint Base => (nint)block;

    /// <summary>Size of the block in bytes.</summary>
    public int Size => size;

    /// <summary>The objects laid out in this arena, in allocation order.</summary>
    public IReadOnlyList<ArenaObject> Objects => objects;

    /// <summary>Restores the initial state (objects, pointers, liveness, list owners) with one copy.</summary>
    public void Reset() => Buffer.MemoryCopy(snapshot, block, size, size);

    /// <summary>Makes the current contents the state that <see cref="Reset"/> restores.</summary>
    internal void TakeSnapshot() => Buffer.MemoryCopy(block, snapshot, size, size);

    /// <summary>
    /// Shadow of list membership: the object whose list head the list_head of object
    /// <paramref name="index"/> is linked on, or -1. Kept by the list primitives for the wrong-lock
    /// oracle; it lives in the block so that a reset restores it.
    /// </summary>
    public int OwnerOf(int index)
    {
        Debug.Assert((uint)index < (uint)objects.Length);
        return block[livenessOffset + objects.Length + index] - 1;
    }

    /// <summary>Sets the list-membership shadow of object <paramref name="index"/> (-1: on no list).</summary>
    public void SetOwner(int index, int head)
    {
        Debug.Assert((uint)index < (uint)objects.Length && head < objects.Length);
        block[livenessOffset + objects.Length + index] = (byte)(head + 1);
    }

    /// <summary>
    /// Says what lives at <paramref name="addr"/>: the object and field, and whether the object is live.
    /// Never dereferences the address.
    /// </summary>
    public AddressInfo Classify(nint addr)
    {
        long off = addr - (nint)block;
        if ((ulong)off >= (ulong)livenessOffset || (off & (Granule - 1)) != 0)
            return new AddressInfo(-1, FieldKind.None, false);
        int g = (int)(off >> 3);
        int obj = granuleObject[g] - 1;
        if (obj < 0)
            return new AddressInfo(-1, FieldKind.None, false);
        return new AddressInfo(obj, granuleField[g], block[livenessOffset + obj] == (byte)Liveness.Live);
    }

    /// <summary>Index of the object containing <paramref name="addr"/>, or -1 (no dereference).</summary>
    public int ObjectAt(nint addr)
    {
        long off = addr - (nint)block;
        if ((ulong)off >= (ulong)livenessOffset)
            return -1;
        return granuleObject[(int)(off >> 3)] - 1;
    }

    /// <summary>Current liveness of object <paramref name="index"/>.</summary>
    public Liveness LivenessOf(int index)
    {
        Debug.Assert((uint)index < (uint)objects.Length);
        return (Liveness)block[livenessOffset + index];
    }

    /// <summary>Marks object <paramref name="index"/> live, freed or out of scope.</summary>
    public void SetLiveness(int index, Liveness state)
    {
        Debug.Assert((uint)index < (uint)objects.Length);
        block[livenessOffset + index] = (byte)state;
    }

    /// <summary>Reads <paramref name="width"/> bytes at <paramref name="addr"/>. The caller has validated it with <see cref="Classify"/>.</summary>
    public ulong Read(nint addr, int width)
    {
        Debug.Assert(addr - (nint)block >= 0 && addr - (nint)block + width <= livenessOffset, "unvalidated read");
        return width == 4 ? (ulong)(uint)*(int*)addr : *(ulong*)addr;
    }

    /// <summary>Writes <paramref name="width"/> bytes at <paramref name="addr"/>. The caller has validated it with <see cref="Classify"/>.</summary>
    public void Write(nint addr, int width, ulong value)
    {
        Debug.Assert(addr - (nint)block >= 0 && addr - (nint)block + width <= livenessOffset, "unvalidated write");
        if (width == 4)
            *(int*)addr = (int)value;
        else
            *(ulong*)addr = value;
    }

    /// <summary>Frees the native block and the snapshot.</summary>
    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        NativeMemory.AlignedFree(block);
        NativeMemory.AlignedFree(snapshot);
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees native memory if <see cref="Dispose"/> was not called.</summary>
    ~Arena() => Dispose();
}

/// <summary>Liveness of an arena object, kept in the shadow bytes of the block (KASAN-style).</summary>
public enum Liveness : byte
{
    /// <summary>Allocated and in use.</summary>
    Live = 0,
    /// <summary>Returned to the page allocator: any access is a use-after-free.</summary>
    Freed = 1,
    /// <summary>A stack frame that has returned: any access is a use-after-return.</summary>
    OutOfScope = 2,
}

/// <summary>What an address points at, without dereferencing it.</summary>
/// <param name="Object">Index of the containing object, or -1 when the address is not inside one.</param>
/// <param name="Field">The field at that address.</param>
/// <param name="Live">Whether the object is live.</param>
public readonly record struct AddressInfo(int Object, FieldKind Field, bool Live);

/// <summary>One object laid out in the arena.</summary>
/// <param name="Name">Short name used in traces ("A", "memcg1", "cpu1.stack").</param>
/// <param name="Kind">What kind of kernel object it is.</param>
/// <param name="Offset">Byte offset from the arena base.</param>
/// <param name="Size">Size in bytes.</param>
public sealed record ArenaObject(string Name, ObjectKind Kind, int Offset, int Size);

/// <summary>Kinds of simulated kernel objects.</summary>
public enum ObjectKind : byte
{
    /// <summary><c>struct folio</c>.</summary>
    Folio,
    /// <summary><c>struct mem_cgroup</c> (only its deferred split queue).</summary>
    MemCgroup,
    /// <summary><c>struct pglist_data</c> (only its deferred split queue).</summary>
    Node,
    /// <summary>A simulated CPU's kernel stack area (the scan's <c>LIST_HEAD(list)</c>).</summary>
    CpuStack,
}

/// <summary>Field identity of each 8-byte granule, for oracles and traces.</summary>
public enum FieldKind : byte
{
    /// <summary>Not a modelled field (padding).</summary>
    None,
    /// <summary><c>folio->flags</c>.</summary>
    Flags,
    /// <summary><c>folio->_refcount</c>.</summary>
    Refcount,
    /// <summary><c>folio->memcg_data</c>.</summary>
    MemcgData,
    /// <summary><c>folio_nid()</c> and <c>folio_order()</c> (read-only here).</summary>
    NidOrder,
    /// <summary><c>list_head.next</c>.</summary>
    ListNext,
    /// <summary><c>list_head.prev</c>.</summary>
    ListPrev,
    /// <summary><c>deferred_split.split_queue_lock</c>.</summary>
    SpinLock,
    /// <summary><c>deferred_split.split_queue_len</c>.</summary>
    QueueLen,
    /// <summary>An identifier word (<c>memcg id</c>, <c>node_id</c>).</summary>
    Id,
}
