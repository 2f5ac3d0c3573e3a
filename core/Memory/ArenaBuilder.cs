using System.Diagnostics;

namespace MmFuzz.Memory;

/// <summary>
/// Lays out the objects of one machine in a byte image, lets the boot code write their initial
/// state, and freezes the image into an <see cref="Arena"/>. Addresses handed out while building are
/// already the final absolute addresses: the builder reserves the arena's native block up front.
/// </summary>
public sealed class ArenaBuilder
{
    readonly List<ArenaObject> objects = new();
    readonly List<(int Offset, FieldKind Kind)> fields = new();
    int next;

    /// <summary>Adds an object of <paramref name="size"/> bytes, 64-byte aligned; returns its index.</summary>
    /// <param name="name">Short name for traces.</param>
    /// <param name="kind">Object kind.</param>
    /// <param name="size">Size in bytes (a multiple of 8).</param>
    /// <param name="layout">The object's fields: (offset inside the object, field kind).</param>
    public int Add(string name, ObjectKind kind, int size, params (int Offset, FieldKind Kind)[] layout)
    {
        Debug.Assert(size % Arena.Granule == 0);
        next = (next + 63) & ~63;
        objects.Add(new ArenaObject(name, kind, next, size));
        foreach (var (off, fk) in layout)
            fields.Add((next + off, fk));
        next += size;
        return objects.Count - 1;
    }

    /// <summary>Objects added so far.</summary>
    public IReadOnlyList<ArenaObject> Objects => objects;

    /// <summary>
    /// Freezes the layout and returns the arena (every object live). <paramref name="boot"/> then
    /// writes the initial state through <see cref="BootWriter"/>, which is snapshotted for every reset.
    /// </summary>
    public Arena Build(Action<BootWriter> boot)
    {
        if (objects.Count > 250)
            throw new InvalidOperationException("an arena holds at most 250 objects");
        int livenessOffset = (next + 63) & ~63;
        int size = livenessOffset + objects.Count + 64;
        size = (size + 63) & ~63;
        var granuleObject = new ushort[livenessOffset / Arena.Granule];
        var granuleField = new FieldKind[livenessOffset / Arena.Granule];
        for (int i = 0; i < objects.Count; i++)
            for (int g = objects[i].Offset / Arena.Granule; g < (objects[i].Offset + objects[i].Size) / Arena.Granule; g++)
                granuleObject[g] = (ushort)(i + 1);
        foreach (var (off, fk) in fields)
            granuleField[off / Arena.Granule] = fk;
        var arena = new Arena(size, livenessOffset, objects.ToArray(), granuleObject, granuleField, new byte[size]);
        boot(new BootWriter(arena));
        arena.TakeSnapshot();
        return arena;
    }
}
