namespace MmFuzz.Engine;

/// <summary>What a scheduling point does to memory. Recorded with every step of a schedule.</summary>
public enum AccessOp : byte
{
    /// <summary>A read (plain, <c>READ_ONCE</c>, <c>data_race()</c> or <c>atomic_read</c>: see <see cref="Marking"/>).</summary>
    Load,
    /// <summary>A write (plain, <c>WRITE_ONCE</c> or <c>atomic_set</c>).</summary>
    Store,
    /// <summary><c>atomic_add_unless(v, A, B)</c>: adds A unless the value is B; result is the old value.</summary>
    AddUnless,
    /// <summary><c>atomic_add_return(A, v)</c>; result is the new value.</summary>
    AddReturn,
    /// <summary><c>atomic_cmpxchg(v, A, B)</c>; result is the old value.</summary>
    Cmpxchg,
    /// <summary>One attempt of <c>spin_lock</c>: result 1 if taken; a failed attempt makes the CPU spin.</summary>
    SpinLock,
    /// <summary><c>spin_unlock</c>.</summary>
    SpinUnlock,
    /// <summary><c>test_and_set_bit_lock(A, v)</c>; result is the old bit. With <see cref="Access.Blocking"/> a set bit makes the CPU sleep.</summary>
    TestSetBitLock,
    /// <summary><c>clear_bit_unlock(A, v)</c>, waking sleepers.</summary>
    ClearBitUnlock,
    /// <summary><c>set_bit(A, v)</c>.</summary>
    SetBit,
    /// <summary><c>clear_bit(A, v)</c>.</summary>
    ClearBit,
}

/// <summary>How the kernel marks an access (for the data-race detector: marked accesses are exempt).</summary>
public enum Marking : byte
{
    /// <summary>A plain C access.</summary>
    Plain,
    /// <summary><c>READ_ONCE</c>.</summary>
    ReadOnce,
    /// <summary><c>WRITE_ONCE</c>.</summary>
    WriteOnce,
    /// <summary>Inside <c>data_race()</c>.</summary>
    DataRace,
    /// <summary>An atomic, bit or lock operation.</summary>
    Atomic,
}

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
