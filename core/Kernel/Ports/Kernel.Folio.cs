using MmFuzz.Engine;

namespace MmFuzz.Kernel;

// PORTED: folio refcount, flag and lock helpers (include/linux/mm.h, include/linux/page_ref.h,
// include/linux/pagemap.h, mm/filemap.c, include/linux/memcontrol.h; v6.8/v6.9, unchanged between
// them for what is modelled here).
public abstract partial class Kernel
{
    /// <summary>Port of <c>folio_ref_count()</c> (include/linux/page_ref.h): <c>atomic_read(&amp;folio-&gt;_refcount)</c>.</summary>
    protected virtual async Sim<int> folio_ref_count(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.folio_ref_count, folio.Addr);
        return await AtomicRead(folio.Refcount);
    }

    /// <summary>
    /// Port of <c>folio_try_get()</c> (include/linux/page_ref.h, v6.9): <c>folio_ref_try_add_rcu(folio, 1)</c>,
    /// i.e. <c>atomic_add_unless(&amp;folio-&gt;_refcount, 1, 0)</c>. Fails on a folio being freed or frozen.
    /// </summary>
    protected virtual async Sim<bool> folio_try_get(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.folio_try_get, folio.Addr);
        return await AtomicAddUnless(folio.Refcount, 1, 0) != 0;
    }

    /// <summary>Port of <c>folio_get()</c> (include/linux/mm.h): <c>VM_BUG_ON_FOLIO(folio_ref_zero_or_close_to_overflow(folio)); folio_ref_inc(folio);</c></summary>
    public virtual async Sim folio_get(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.folio_get, folio.Addr);
        int v = await AtomicAddReturn(folio.Refcount, 1);
        if (v <= 1)
            await Bug(BugKind.Refcount, $"kernel BUG at include/linux/mm.h: VM_BUG_ON_FOLIO(folio_ref_zero_or_close_to_overflow(folio)) ({Name(folio)})");
    }

    /// <summary>
    /// Port of <c>folio_put_testzero()</c> / <c>put_page_testzero()</c> (include/linux/mm.h, v6.9, CONFIG_DEBUG_VM):
    /// <c>VM_BUG_ON_PAGE(page_ref_count(page) == 0, page); return page_ref_dec_and_test(page);</c>
    /// </summary>
    protected virtual async Sim<bool> folio_put_testzero(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.folio_put_testzero, folio.Addr);
        if (await AtomicRead(folio.Refcount) == 0)
        {
            await Bug(BugKind.Refcount,
                $"kernel BUG at include/linux/mm.h: VM_BUG_ON_PAGE(page_ref_count(page) == 0) page:{Px(folio.Addr)} ({Name(folio)})");
            return false;
        }
        int v = await AtomicAddReturn(folio.Refcount, -1);
        if (v < 0)
            await Bug(BugKind.Refcount, $"refcount underflow: {Name(folio)}->_refcount is {v} after page_ref_dec_and_test()");
        return v == 0;
    }

    /// <summary>Port of <c>folio_ref_sub_and_test()</c> (include/linux/page_ref.h): <c>atomic_sub_and_test(nr, &amp;folio-&gt;_refcount)</c>.</summary>
    protected virtual async Sim<bool> folio_ref_sub_and_test(FolioPtr folio, int nr)
    {
        using var _ = Cpu.Enter(Fn.folio_ref_sub_and_test, folio.Addr, nr);
        int v = await AtomicAddReturn(folio.Refcount, -nr);
        if (v < 0)
            await Bug(BugKind.Refcount, $"refcount underflow: {Name(folio)}->_refcount is {v} after folio_ref_sub_and_test({nr})");
        return v == 0;
    }

    /// <summary>Port of <c>folio_ref_freeze()</c> (include/linux/page_ref.h): <c>atomic_cmpxchg(&amp;folio-&gt;_refcount, count, 0) == count</c>.</summary>
    protected virtual async Sim<bool> folio_ref_freeze(FolioPtr folio, int count)
    {
        using var _ = Cpu.Enter(Fn.folio_ref_freeze, folio.Addr, count);
        return await AtomicCmpxchg(folio.Refcount, count, 0) == count;
    }

    /// <summary>Port of <c>folio_ref_unfreeze()</c> (include/linux/page_ref.h): <c>atomic_set_release(&amp;folio-&gt;_refcount, count)</c>.</summary>
    protected virtual async Sim folio_ref_unfreeze(FolioPtr folio, int count)
    {
        using var _ = Cpu.Enter(Fn.folio_ref_unfreeze, folio.Addr, count);
        await AtomicSet(folio.Refcount, count);
    }

    /// <summary>Port of <c>folio_trylock()</c> (include/linux/pagemap.h): <c>!test_and_set_bit_lock(PG_locked, folio_flags(folio, 0))</c>.</summary>
    protected virtual async Sim<bool> folio_trylock(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.folio_trylock, folio.Addr);
        return await TestAndSetBitLock(folio.Flags, PageFlags.PG_locked) == 0;
    }

    /// <summary>
    /// Port of <c>folio_lock()</c> (include/linux/pagemap.h): <c>if (!folio_trylock(folio)) __folio_lock(folio);</c>
    /// CUSTOMISED: the sleep in <c>__folio_lock</c> is the machine blocking the CPU until the bit clears.
    /// </summary>
    public virtual async Sim folio_lock(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.folio_lock, folio.Addr);
        await TestAndSetBitLock(folio.Flags, PageFlags.PG_locked, sleep: true);
    }

    /// <summary>
    /// Port of <c>folio_unlock()</c> (mm/filemap.c, v6.9):
    /// <c>VM_BUG_ON_FOLIO(!folio_test_locked(folio), folio); clear the bit and wake waiters</c>.
    /// </summary>
    public virtual async Sim folio_unlock(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.folio_unlock, folio.Addr);
        if ((await AtomicRead(folio.Flags) & (1UL << PageFlags.PG_locked)) == 0)   // folio_test_locked(): test_bit()
            await Bug(BugKind.LockMisuse, $"kernel BUG at mm/filemap.c: VM_BUG_ON_FOLIO(!folio_test_locked(folio)) ({Name(folio)})");
        await ClearBitUnlock(folio.Flags, PageFlags.PG_locked);
    }

    /// <summary>
    /// <c>folio_test_locked()</c> (include/linux/page-flags.h): <c>test_bit(PG_locked)</c>, an atomic read
    /// for KCSAN (the charge move's <c>VM_BUG_ON_FOLIO</c>; <c>folio_unlock()</c> reads the bit inline).
    /// </summary>
    protected virtual async Sim<bool> folio_test_locked(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.folio_test_flag, folio.Addr, PageFlags.PG_locked);
        return (await AtomicRead(folio.Flags) & (1UL << PageFlags.PG_locked)) != 0;
    }

    /// <summary>
    /// <c>folio_test_large_rmappable()</c> (include/linux/page-flags.h): <c>test_bit()</c> on the flags word,
    /// which KCSAN instruments as an atomic read (include/asm-generic/bitops/instrumented-non-atomic.h).
    /// </summary>
    protected virtual async Sim<bool> folio_test_large_rmappable(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.folio_test_flag, folio.Addr, PageFlags.PG_large_rmappable);
        return (await AtomicRead(folio.Flags) & (1UL << PageFlags.PG_large_rmappable)) != 0;
    }

    /// <summary><c>folio_test_partially_mapped()</c> (v6.12+).</summary>
    protected virtual async Sim<bool> folio_test_partially_mapped(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.folio_test_flag, folio.Addr, PageFlags.PG_partially_mapped);
        return FolioWords.PartiallyMapped(await AtomicRead(folio.PartiallyMapped));
    }

    /// <summary>
    /// <c>__folio_set_partially_mapped()</c> / <c>__folio_clear_partially_mapped()</c> (v6.12): the
    /// non-atomic <c>__set_bit()</c>/<c>__clear_bit()</c>, a plain read and a plain write of the second page's flags.
    /// </summary>
    protected virtual async Sim mmfuzz___folio_change_partially_mapped(FolioPtr folio, bool set)
    {
        using var _ = Cpu.Enter(set ? Fn.folio_set_partially_mapped : Fn.folio_clear_partially_mapped, folio.Addr);
        ulong word = await Load(folio.PartiallyMapped);
        ulong bit = 1UL << PageFlags.PG_partially_mapped;
        await Store(folio.PartiallyMapped, set ? word | bit : word & ~bit);
    }

    /// <summary>
    /// <c>folio_set_partially_mapped()</c> / <c>folio_clear_partially_mapped()</c>: the atomic
    /// <c>set_bit()</c>/<c>clear_bit()</c> of 42b2eb69835b ("mm: convert partially_mapped set/clear
    /// operations to be atomic"), used from v6.13.
    /// </summary>
    protected virtual async Sim mmfuzz_folio_change_partially_mapped(FolioPtr folio, bool set)
    {
        using var _ = Cpu.Enter(set ? Fn.folio_set_partially_mapped : Fn.folio_clear_partially_mapped, folio.Addr);
        if (set)
            await SetBit(folio.PartiallyMapped, PageFlags.PG_partially_mapped);
        else
            await ClearBit(folio.PartiallyMapped, PageFlags.PG_partially_mapped);
    }

    /// <summary><c>folio_order()</c> (include/linux/mm.h): reads the order kept in the folio's second page.</summary>
    protected virtual async Sim<int> folio_order(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.folio_order, folio.Addr);
        return FolioWords.Order((ulong)await Load(folio.NidOrder));
    }

    /// <summary><c>folio_test_large()</c>: <c>folio_order(folio) &gt; 0</c> in this model.</summary>
    protected virtual async Sim<bool> folio_test_large(FolioPtr folio) => await folio_order(folio) > 0;

    /// <summary><c>folio_nid()</c> (include/linux/mm.h): reads the node bits of the flags.</summary>
    protected virtual async Sim<int> folio_nid(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.folio_nid, folio.Addr);
        return FolioWords.Nid((ulong)await Load(folio.NidOrder));
    }

    /// <summary>
    /// Port of <c>folio_memcg()</c> (include/linux/memcontrol.h, v6.9): <c>folio_memcg_kmem()</c> then
    /// <c>__folio_memcg()</c>, each a plain read of <c>folio-&gt;memcg_data</c>.
    /// </summary>
    protected virtual async Sim<MemcgPtr> folio_memcg(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.folio_memcg, folio.Addr);
        await Load(folio.MemcgData);            // folio_memcg_kmem(): memcg_data & MEMCG_DATA_KMEM (never set here)
        return await Load(folio.MemcgData);     // __folio_memcg()
    }

    /// <summary>
    /// Port of <c>get_deferred_split_queue()</c> (mm/huge_memory.c, v6.8/v6.9, CONFIG_MEMCG): the memcg's
    /// queue if the folio is charged, else its node's. Evaluated at call time: after an uncharge it
    /// returns the node queue even for a folio still linked on a memcg queue.
    /// </summary>
    protected virtual async Sim<QueuePtr> get_deferred_split_queue(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.get_deferred_split_queue, folio.Addr);
        var memcg = await folio_memcg(folio);
        int nid = await folio_nid(folio);
        return memcg.IsNull ? World.NodeData(nid).DeferredSplitQueue : memcg.DeferredSplitQueue;
    }
}
