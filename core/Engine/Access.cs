namespace MmFuzz.Engine;

/// <summary>A scheduling point: the access a CPU announces before it happens.</summary>
public struct Access
{
    /// <summary>Address accessed.</summary>
    public nint Addr;
    /// <summary>First operand (value stored, addend, expected value, bit number).</summary>
    public ulong A;
    /// <summary>Second operand (the "unless" value, the new value of a cmpxchg).</summary>
    public ulong B;
    /// <summary>Operation.</summary>
    public AccessOp Op;
    /// <summary>Width in bytes: 4 or 8.</summary>
    public byte Width;
    /// <summary>Kernel marking.</summary>
    public Marking Marking;
    /// <summary>For lock operations: a failed attempt blocks the CPU until the word changes.</summary>
    public bool Blocking;

    /// <summary>Stable lowercase name of an operation, as written in schedule files.</summary>
    public static string Name(AccessOp op) => op switch
    {
        AccessOp.Load => "load",
        AccessOp.Store => "store",
        AccessOp.AddUnless => "atomic_add_unless",
        AccessOp.AddReturn => "atomic_add_return",
        AccessOp.Cmpxchg => "atomic_cmpxchg",
        AccessOp.SpinLock => "spin_lock",
        AccessOp.SpinUnlock => "spin_unlock",
        AccessOp.TestSetBitLock => "test_and_set_bit_lock",
        AccessOp.ClearBitUnlock => "clear_bit_unlock",
        AccessOp.SetBit => "set_bit",
        AccessOp.ClearBit => "clear_bit",
        _ => op.ToString(),
    };

    /// <summary>Parses a name written by <see cref="Name"/>.</summary>
    public static bool TryParse(string name, out AccessOp op)
    {
        foreach (var v in Enum.GetValues<AccessOp>())
            if (Name(v) == name)
            {
                op = v;
                return true;
            }
        op = default;
        return false;
    }

    /// <summary>Whether the operation writes memory (or may).</summary>
    public readonly bool Writes => Op != AccessOp.Load;
}
