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
