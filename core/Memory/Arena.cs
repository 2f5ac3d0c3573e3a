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
        Debug.Assert(livenessOffset + objects.Length <= size);
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

    /// <summary>Restores the initial state (objects, pointers, liveness) with one copy.</summary>
    public void Reset() => Buffer.MemoryCopy(snapshot, block, size, size);

    /// <summary>Makes the current contents the state that <see cref="Reset"/> restores.</summary>
    internal void TakeSnapshot() => Buffer.MemoryCopy(block, snapshot, size, size);

    /// <summary>
    /// Boots the same layout again into another initial state: clears the block (every object live),
    /// lets <paramref name="boot"/> write the new state and snapshots it. A system of the same shape is
    /// reused for another scenario this way instead of allocating a new block.
    /// </summary>
    public void Reboot(Action<BootWriter> boot)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        NativeMemory.Clear(block, (nuint)size);
        boot(new BootWriter(this));
        TakeSnapshot();
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
        return width switch
        {
            4 => (ulong)(uint)*(int*)addr,
            8 => *(ulong*)addr,
            2 => *(ushort*)addr,
            _ => *(byte*)addr,
        };
    }

    /// <summary>Writes <paramref name="width"/> bytes at <paramref name="addr"/>. The caller has validated it with <see cref="Classify"/>.</summary>
    public void Write(nint addr, int width, ulong value)
    {
        Debug.Assert(addr - (nint)block >= 0 && addr - (nint)block + width <= livenessOffset, "unvalidated write");
        switch (width)
        {
            case 4: *(int*)addr = (int)value; break;
            case 8: *(ulong*)addr = value; break;
            case 2: *(ushort*)addr = (ushort)value; break;
            default: *(byte*)addr = (byte)value; break;
        }
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
