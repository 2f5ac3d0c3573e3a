namespace MmFuzz.Oracles;

/// <summary>
/// The coverage features a hunt has seen, as a bitmap of 2^22 bits indexed by a feature's 32-bit hash
/// (512 KiB; two features that share their 22 low bits count as one, as two edges that share a slot
/// of AFL's map do). Belongs to one thread.
/// </summary>
public sealed class FeatureSet
{
    const int Bits = 22;
    readonly ulong[] words = new ulong[1 << (Bits - 6)];

    /// <summary>Features seen.</summary>
    public int Count { get; private set; }

    /// <summary>Adds the feature <paramref name="hash"/>; true when it is new.</summary>
    public bool Add(uint hash)
    {
        uint i = hash & ((1u << Bits) - 1);
        ref ulong w = ref words[i >> 6];
        ulong bit = 1UL << (int)(i & 63);
        if ((w & bit) != 0)
            return false;
        w |= bit;
        Count++;
        return true;
    }

    /// <summary>Whether <paramref name="hash"/> has been seen.</summary>
    public bool Contains(uint hash)
    {
        uint i = hash & ((1u << Bits) - 1);
        return (words[i >> 6] & 1UL << (int)(i & 63)) != 0;
    }
}
