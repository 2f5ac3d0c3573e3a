using MmFuzz.Engine;

namespace MmFuzz.Kernel;

// PORTED: the deferred split queue (mm/huge_memory.c, v6.8 and v6.9, which do not differ here).
// Variants override what their kernel state changed.
public abstract partial class Kernel
{
    /// <summary>
    /// The caller that queues: an unmap (<c>__folio_remove_rmap()</c>, mm/rmap.c) with
    /// <paramref name="partially_mapped"/>, else the fault or collapse path that queues a whole THP
    /// (v6.12+ only). Port of the unmap's call in v6.8/v6.9: <c>if (folio_test_large(folio) &amp;&amp;
    /// folio_test_anon(folio)) if (level == RMAP_LEVEL_PTE || nr &lt; nr_pmdmapped) deferred_split_folio(folio);</c>
    /// — every PTE-level unmap queues, even the one that leaves the folio fully unmapped, which the
    /// operation's <c>true</c> stands for too. Before dafff3f4c850 (v6.12-rc1) nothing queues at fault,
    /// so the fault-time call (<c>false</c>) does nothing. Every modelled folio is anon and large.
    /// </summary>
    public virtual Sim mmfuzz_queue_for_deferred_split(FolioPtr folio, bool partially_mapped) =>
        partially_mapped ? deferred_split_folio(folio, true) : default;

    /// <summary>
    /// Port of <c>deferred_split_folio()</c> (mm/huge_memory.c, v6.9): queue a partially mapped folio.
    /// <c>folio_test_swapcache()</c> is always false here; the shrinker bit is STUBBED. Before v6.12 the
    /// function has no <paramref name="partially_mapped"/> argument (every caller meant "partially
    /// mapped"), so it is ignored here.
    /// </summary>
    public virtual async Sim deferred_split_folio(FolioPtr folio, bool partially_mapped)
    {
        using var _ = Cpu.Enter(Fn.deferred_split_folio, folio.Addr);
        var ds_queue = await get_deferred_split_queue(folio);
        await folio_memcg(folio);
        if (await folio_order(folio) <= 1)
            return;
        if (!await list_empty(folio.DeferredList))
            return;
        await spin_lock(ds_queue.Lock);
        if (await list_empty(folio.DeferredList))
        {
            await list_add_tail(folio.DeferredList, ds_queue.SplitQueue);
            await mmfuzz_split_queue_len_add(ds_queue, 1);
        }
        await spin_unlock(ds_queue.Lock);
    }

    /// <summary><c>ds_queue-&gt;split_queue_len++</c> / <c>--</c>: a plain read-modify-write (two scheduling points).</summary>
    protected virtual async Sim mmfuzz_split_queue_len_add(QueuePtr ds_queue, long delta)
    {
        using var _ = Cpu.Enter(delta > 0 ? Fn.split_queue_len_inc : Fn.split_queue_len_dec, ds_queue.Len.Addr);
        ulong len = await Load(ds_queue.Len);
        await Store(ds_queue.Len, len + (ulong)delta);
    }

    /// <summary>
    /// Port of <c>deferred_split_scan()</c> (mm/huge_memory.c, v6.8/v6.9). Loop 1 under the queue lock
    /// pins each folio and moves it to the on-stack list (or, when <c>folio_try_get()</c> fails, takes
    /// it off the queue: "We lost race with folio_put()"); <c>nr_to_scan</c> counts both branches.
    /// Loop 2 runs without the lock: trylock, split, unlock, put. Survivors are spliced back to the tail.
    /// The loops are separate methods only so that the versions that changed loop 2 share loop 1.
    /// </summary>
    public virtual async Sim<long> deferred_split_scan(QueuePtr ds_queue, int nr_to_scan)
    {
        using var _ = Cpu.Enter(Fn.deferred_split_scan, ds_queue.Addr, nr_to_scan);
        var list = await LIST_HEAD();
        await mmfuzz_deferred_split_scan_pin(ds_queue, list, nr_to_scan);
        int split = await mmfuzz_deferred_split_scan_split(ds_queue, list);
        hook_stack_list_exit(list);

        if (split == 0 && await list_empty(ds_queue.SplitQueue))
            return -1;   // SHRINK_STOP
        return split;
    }

    /// <summary>Loop 1 of <c>deferred_split_scan()</c> (v6.8–v6.13): under the queue lock, pin and move to the local list, or drop a folio whose refcount is 0.</summary>
    protected virtual async Sim mmfuzz_deferred_split_scan_pin(QueuePtr ds_queue, ListPtr list, int nr_to_scan)
    {
        await spin_lock(ds_queue.Lock);
        /* Take pin on all head pages to avoid freeing them under us */
        var head = ds_queue.SplitQueue;
        for (FolioPtr folio = await list_first_entry(head), next = await list_next_entry(folio);
             folio.DeferredList != head;
             folio = next, next = await list_next_entry(next))
        {
            if (await folio_try_get(folio))
            {
                await list_move(folio.DeferredList, list);
            }
            else
            {
                using var lost = Cpu.Enter(Fn.lost_race, folio.Addr);
                await mmfuzz_clear_partially_mapped_on_unqueue(folio);
                await list_del_init(folio.DeferredList);
                await mmfuzz_split_queue_len_add(ds_queue, -1);
            }
            if (--nr_to_scan == 0)
                break;
        }
        await spin_unlock(ds_queue.Lock);
    }

    /// <summary>
    /// Loop 2 of <c>deferred_split_scan()</c> and the splice (v6.8–v6.11): without the lock, for each
    /// pinned folio: <c>folio_trylock()</c>, <c>split_folio()</c> (which unqueues under the lock on
    /// success), <c>folio_unlock()</c>, <c>folio_put()</c>; then, under the lock, the survivors are
    /// spliced back to the tail of the queue. Returns the number split.
    /// </summary>
    protected virtual async Sim<int> mmfuzz_deferred_split_scan_split(QueuePtr ds_queue, ListPtr list)
    {
        int split = 0;
        for (FolioPtr folio = await list_first_entry(list), next = await list_next_entry(folio);
             folio.DeferredList != list;
             folio = next, next = await list_next_entry(next))
        {
            if (await folio_trylock(folio))
            {
                /* split_huge_page() removes page from list on success */
                if (await split_folio(folio) == 0)
                    split++;
                await folio_unlock(folio);
            }
            await folio_put(folio);
        }

        await spin_lock(ds_queue.Lock);
        await list_splice_tail(list, ds_queue.SplitQueue);
        await spin_unlock(ds_queue.Lock);
        return split;
    }

    /// <summary>
    /// <c>LIST_HEAD(list)</c>: the scan's on-stack list head, initialised to point at itself (two stores).
    /// The stack slot becomes live for the duration of the scan.
    /// </summary>
    protected virtual async Sim<ListPtr> LIST_HEAD()
    {
        var list = World.StackList(Cpu.Index);
        using var _ = Cpu.Enter(Fn.LIST_HEAD, list.Addr);
        hook_stack_list_enter(list);
        await Store(list.Next, list);
        await Store(list.Prev, list);
        return list;
    }

    /// <summary>
    /// Port of the deferred-list part of <c>split_huge_page_to_list_to_order()</c> (mm/huge_memory.c, v6.9),
    /// reached through <c>split_folio()</c> with the folio locked and pinned by the caller. Returns 0 on
    /// success, -EAGAIN (-11) otherwise. CUSTOMISED: mappings are not modelled, so
    /// <c>can_split_folio()</c> is the refcount freeze itself (it succeeds only when the caller's pin
    /// is the only reference); <c>__split_huge_page()</c> becomes "the folio is now order 0, its
    /// remaining reference is the caller's".
    /// </summary>
    protected virtual async Sim<int> split_folio(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.split_folio, folio.Addr);
        var ds_queue = await get_deferred_split_queue(folio);
        const int extra_pins = 0;       // anon, not in swap cache
        /* Prevent deferred_split_scan() touching ->_refcount */
        await spin_lock(ds_queue.Lock);
        if (await folio_ref_freeze(folio, 1 + extra_pins))
        {
            if (await folio_order(folio) > 1 && !await list_empty(folio.DeferredList))
            {
                await mmfuzz_split_queue_len_add(ds_queue, -1);
                await mmfuzz_clear_partially_mapped_on_unqueue(folio);
                await mmfuzz_split_list_del(folio.DeferredList);
            }
            await spin_unlock(ds_queue.Lock);
            await __split_huge_page(folio);
            return 0;
        }
        await spin_unlock(ds_queue.Lock);
        return -11;
    }

    /// <summary>
    /// Port of the split by a path other than the scan (<c>split_folio()</c> from truncation, or
    /// <c>split_huge_pages</c> in debugfs): the caller holds a reference;
    /// <c>folio_lock(folio); split_folio(folio); folio_unlock(folio);</c>
    /// </summary>
    public virtual async Sim mmfuzz_split_folio_other_path(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.mmfuzz_split_folio_other_path, folio.Addr);
        await folio_lock(folio);
        await split_folio(folio);
        await folio_unlock(folio);
    }

    /// <summary>
    /// What unqueueing does to PG_partially_mapped: nothing before v6.12 (the flag does not exist);
    /// v6.12 clears it (<c>__folio_clear_partially_mapped()</c>) wherever a folio leaves the queue.
    /// </summary>
    protected virtual Sim mmfuzz_clear_partially_mapped_on_unqueue(FolioPtr folio) => default;

    /// <summary>
    /// How the split path unlinks: <c>list_del_init()</c> in v6.9 (read in a stored copy of v6.9's
    /// mm/huge_memory.c); v6.8 used <c>list_del()</c>.
    /// </summary>
    protected virtual Sim mmfuzz_split_list_del(ListPtr entry) => list_del_init(entry);

    /// <summary>
    /// CUSTOMISED <c>__split_huge_page()</c>: the head becomes an order-0 page that is no longer
    /// large_rmappable, and the refcount is unfrozen to the caller's single pin.
    /// </summary>
    protected virtual async Sim __split_huge_page(FolioPtr folio)
    {
        await ClearBit(folio.Flags, PageFlags.PG_large_rmappable);
        await Store(folio.NidOrder, await Load(folio.NidOrder) & 0xffff_ffff);
        await folio_ref_unfreeze(folio, 1);
    }

    /// <summary>
    /// Port of <c>folio_undo_large_rmappable()</c> (mm/huge_memory.c, v6.9): the unlocked
    /// <c>data_race(list_empty())</c> peek, then under the queue lock <c>split_queue_len--</c> and
    /// <c>list_del_init()</c>. (v6.8 used <c>list_del()</c>: see <see cref="mmfuzz_undo_list_del"/>.)
    /// </summary>
    protected virtual async Sim folio_undo_large_rmappable(FolioPtr folio)
    {
        using var _ = Cpu.Enter(Fn.folio_undo_large_rmappable, folio.Addr);
        if (await folio_order(folio) <= 1)
            return;
        // Nobody can queue the folio any more, so an empty entry seen without the lock stays empty.
        if (await mmfuzz_list_empty_data_race(folio.DeferredList))
            return;
        await __folio_undo_large_rmappable(folio);
    }

    /// <summary>
    /// The locked part of <c>folio_undo_large_rmappable()</c> (v6.11 named it
    /// <c>__folio_undo_large_rmappable()</c>): under the queue lock of <c>get_deferred_split_queue()</c>,
    /// re-check, <c>split_queue_len--</c>, and unlink. Returns whether it unqueued.
    /// </summary>
    protected virtual async Sim<bool> __folio_undo_large_rmappable(FolioPtr folio)
    {
        bool unqueued = false;
        var ds_queue = await get_deferred_split_queue(folio);
        await spin_lock(ds_queue.Lock);
        if (!await list_empty(folio.DeferredList))
        {
            await mmfuzz_split_queue_len_add(ds_queue, -1);
            await mmfuzz_clear_partially_mapped_on_unqueue(folio);
            await mmfuzz_undo_list_del(folio.DeferredList);
            unqueued = true;
        }
        await spin_unlock(ds_queue.Lock);
        return unqueued;
    }

    /// <summary>How the free path unlinks: <c>list_del_init()</c> in v6.9.</summary>
    protected virtual Sim mmfuzz_undo_list_del(ListPtr entry) => list_del_init(entry);
}
