using System.Runtime.CompilerServices;

namespace MmFuzz.Memory;

/// <summary>
/// Conversions between a simulated field's value type and the 64-bit word the machine moves.
/// Every field type is a 4- or 8-byte unmanaged value (a pointer handle, an <c>int</c> atomic_t,
/// an <c>unsigned long</c>), so the conversion is a reinterpretation the JIT folds away.
/// </summary>
public static class Word
{
    /// <summary>Width in bytes of a field of type <typeparamref name="T"/> (4 or 8).</summary>
    public static int Width<T>() where T : unmanaged => Unsafe.SizeOf<T>() == 4 ? 4 : 8;

    /// <summary>The 64-bit word holding <paramref name="value"/> (4-byte values are zero-extended).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong To<T>(T value) where T : unmanaged
    {
        if (Unsafe.SizeOf<T>() == 4)
            return Unsafe.As<T, uint>(ref value);
        if (Unsafe.SizeOf<T>() == 8)
            return Unsafe.As<T, ulong>(ref value);
        throw new NotSupportedException($"{typeof(T)} is not a 4- or 8-byte field type");
    }

    /// <summary>The value of type <typeparamref name="T"/> held in <paramref name="word"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T From<T>(ulong word) where T : unmanaged
    {
        if (Unsafe.SizeOf<T>() == 4)
        {
            uint w = (uint)word;
            return Unsafe.As<uint, T>(ref w);
        }
        if (Unsafe.SizeOf<T>() == 8)
            return Unsafe.As<ulong, T>(ref word);
        throw new NotSupportedException($"{typeof(T)} is not a 4- or 8-byte field type");
    }
}
