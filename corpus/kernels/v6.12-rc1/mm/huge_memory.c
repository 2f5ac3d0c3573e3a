// SPDX-License-Identifier: GPL-2.0-only
/*
 * MmFuzz's C rendering of the deferred-split functions of mm/huge_memory.c as they stand in v6.12-rc1
 * (torvalds/linux, tag v6.12-rc1: dafff3f4c850 "mm: split underused THPs" and 8422acdc97ed "mm:
 * introduce a pageflag for partially mapped folios" (Usama Arif) on Kefeng Wang's v6.11 refactor of
 * the unqueue; the same text through -rc4, before Hugh Dickins' fixes; read in the stored 6.12-rc copy
 * of docs/SOURCES.md §1.1, §3.7). Every THP may be queued, PG_partially_mapped (set and cleared
 * non-atomically) tells the two kinds apart, and the scan's loop 2 takes a folio that is not partially
 * mapped off its local list without the queue lock. Written for MmFuzz from those sources and the hand
 * port (core/Kernel/States/KernelV6_12Rc1.cs over KernelV6_10.cs, KernelV6_10Rc1.cs, KernelV6_9.cs and
 * Kernel), function by function, in the port's order of shared accesses; comments are ours.
 *
 * Left to the ports: thp_underused() (it reads page contents, scenario data here), and the unmap's
 * call of deferred_split_folio(folio, true) in __folio_remove_rmap() (mm/rmap.c; not for a folio
 * already flagged partially mapped), whose function the model does not port: the port
 * queue_for_deferred_split() stands for that call and for the fault and collapse paths' (false).
 */
#include <linux/mm.h>
#include <linux/huge_mm.h>
#include "internal.h"

/* A knob of /sys/kernel/mm/transparent_hugepage (dafff3f4c850; on by default). */
static bool split_underused_thp = true;

/*
 * Whether more of the folio's pages are zero-filled than khugepaged_max_ptes_none allows: the port
 * reads the scenario's word for it (no CPU writes page contents).
 */
static bool thp_underused(struct folio *folio);

/* CUSTOMISED by the model: the head becomes order 0 and keeps the caller's one reference. */
void __split_huge_page(struct folio *folio);

#ifdef CONFIG_MEMCG
static inline struct deferred_split *get_deferred_split_queue(struct folio *folio)
{
	struct mem_cgroup *memcg = folio_memcg(folio);
	struct pglist_data *pgdat = NODE_DATA(folio_nid(folio));

	/* Decided by memcg_data as it is now: a charged folio's queue is its memcg's. */
	if (memcg)
		return &memcg->deferred_split_queue;
	else
		return &pgdat->deferred_split_queue;
}
#endif

/*
 * The deferred-list part of the split; the rest (unmapping, the page cache, the tail pages) is what
 * the model stands in for. The refcount is frozen under the queue lock, so the scan's folio_try_get()
 * fails meanwhile; a queued folio leaves its queue, and its partially-mapped mark, before the split.
 */
int split_huge_page_to_list_to_order(struct page *page, struct list_head *list, unsigned int new_order)
{
	struct folio *folio = page_folio(page);
	struct deferred_split *ds_queue = get_deferred_split_queue(folio);
	int extra_pins = 0;		/* anonymous, not in the swap cache */

	spin_lock(&ds_queue->split_queue_lock);
	if (folio_ref_freeze(folio, 1 + extra_pins)) {
		if (folio_order(folio) > 1 && !list_empty(&folio->_deferred_list)) {
			ds_queue->split_queue_len--;
			if (folio_test_partially_mapped(folio)) {
				__folio_clear_partially_mapped(folio);
				mod_mthp_stat(folio_order(folio), MTHP_STAT_NR_ANON_PARTIALLY_MAPPED, -1);
			}
			/* re-initialised: a later split of the same folio looks at the list again */
			list_del_init(&folio->_deferred_list);
		}
		spin_unlock(&ds_queue->split_queue_lock);
		__split_huge_page(folio);
		return 0;
	}
	spin_unlock(&ds_queue->split_queue_lock);
	return -EAGAIN;
}

/*
 * The locked part of the unqueue (mm/internal.h's folio_undo_large_rmappable() makes the checks and
 * the unlocked look first): off the queue of get_deferred_split_queue(), and no longer marked.
 */
void __folio_undo_large_rmappable(struct folio *folio)
{
	struct deferred_split *ds_queue;
	unsigned long flags;

	ds_queue = get_deferred_split_queue(folio);
	spin_lock_irqsave(&ds_queue->split_queue_lock, flags);
	if (!list_empty(&folio->_deferred_list)) {
		ds_queue->split_queue_len--;
		if (folio_test_partially_mapped(folio)) {
			__folio_clear_partially_mapped(folio);
			mod_mthp_stat(folio_order(folio), MTHP_STAT_NR_ANON_PARTIALLY_MAPPED, -1);
		}
		list_del_init(&folio->_deferred_list);
	}
	spin_unlock_irqrestore(&ds_queue->split_queue_lock, flags);
}

/*
 * Queue a folio for the shrinker: partially unmapped (true, marked so), or a whole THP that may turn
 * out underused (false, from the fault and collapse paths). false never clears the mark.
 */
void deferred_split_folio(struct folio *folio, bool partially_mapped)
{
	struct deferred_split *ds_queue = get_deferred_split_queue(folio);
#ifdef CONFIG_MEMCG
	struct mem_cgroup *memcg = folio_memcg(folio);
#endif
	unsigned long flags;

	/* No room for the list head in an order-1 folio; it is small enough to leave alone. */
	if (folio_order(folio) <= 1)
		return;

	if (!partially_mapped && !split_underused_thp)
		return;

	/* Reclaim reaches here through try_to_unmap() for a swap-cache folio, and splits it itself. */
	if (folio_test_swapcache(folio))
		return;

	/* No look without the lock any more: the mark is set under it. */
	spin_lock_irqsave(&ds_queue->split_queue_lock, flags);
	if (partially_mapped) {
		if (!folio_test_partially_mapped(folio)) {
			__folio_set_partially_mapped(folio);
			if (folio_test_pmd_mappable(folio))
				count_vm_event(THP_DEFERRED_SPLIT_PAGE);
			count_mthp_stat(folio_order(folio), MTHP_STAT_SPLIT_DEFERRED);
			mod_mthp_stat(folio_order(folio), MTHP_STAT_NR_ANON_PARTIALLY_MAPPED, 1);
		}
	} else {
		/* once partially mapped, a folio is never queued as a whole one again */
		VM_WARN_ON_FOLIO(folio_test_partially_mapped(folio), folio);
	}
	if (list_empty(&folio->_deferred_list)) {
		list_add_tail(&folio->_deferred_list, &ds_queue->split_queue);
		ds_queue->split_queue_len++;
#ifdef CONFIG_MEMCG
		if (memcg)
			set_shrinker_bit(memcg, folio_nid(folio), deferred_split_shrinker->id);
#endif
	}
	spin_unlock_irqrestore(&ds_queue->split_queue_lock, flags);
}

static unsigned long deferred_split_scan(struct shrinker *shrink, struct shrink_control *sc)
{
	struct pglist_data *pgdata = NODE_DATA(sc->nid);
	struct deferred_split *ds_queue = &pgdata->deferred_split_queue;
	unsigned long flags;
	LIST_HEAD(list);
	struct folio *folio, *next;
	int split = 0;

#ifdef CONFIG_MEMCG
	if (sc->memcg)
		ds_queue = &sc->memcg->deferred_split_queue;
#endif

	/* Loop 1, under the lock: pin each folio onto the local list, or drop one being freed. */
	spin_lock_irqsave(&ds_queue->split_queue_lock, flags);
	list_for_each_entry_safe(folio, next, &ds_queue->split_queue, _deferred_list) {
		if (folio_try_get(folio)) {
			list_move(&folio->_deferred_list, &list);
		} else {
			/* its last reference is gone: the free path must find it unqueued and unmarked */
			if (folio_test_partially_mapped(folio)) {
				__folio_clear_partially_mapped(folio);
				mod_mthp_stat(folio_order(folio), MTHP_STAT_NR_ANON_PARTIALLY_MAPPED, -1);
			}
			list_del_init(&folio->_deferred_list);
			ds_queue->split_queue_len--;
		}
		if (!--sc->nr_to_scan)
			break;
	}
	spin_unlock_irqrestore(&ds_queue->split_queue_lock, flags);

	/* Loop 2, without the lock. */
	list_for_each_entry_safe(folio, next, &list, _deferred_list) {
		bool did_split = false;
		bool underused = false;

		/* A whole THP is split only if underused. */
		if (!folio_test_partially_mapped(folio)) {
			underused = thp_underused(folio);
			if (!underused)
				goto next;
		}
		if (!folio_trylock(folio))
			goto next;
		if (!split_folio(folio)) {
			did_split = true;
			if (underused)
				count_vm_event(THP_UNDERUSED_SPLIT_PAGE);
			split++;
		}
		folio_unlock(folio);
next:
		/*
		 * A split folio has left the list already. One that is not partially mapped is taken
		 * as used and not queued again: it leaves the local list here, and the queue's count,
		 * without the queue lock, while the lock holders (a free path's unqueue of an earlier
		 * folio still on this list) may be writing the same links.
		 */
		if (!did_split && !folio_test_partially_mapped(folio)) {
			list_del_init(&folio->_deferred_list);
			ds_queue->split_queue_len--;
		}
		folio_put(folio);
	}

	/* The rest goes back to the tail of the queue. */
	spin_lock_irqsave(&ds_queue->split_queue_lock, flags);
	list_splice_tail(&list, &ds_queue->split_queue);
	spin_unlock_irqrestore(&ds_queue->split_queue_lock, flags);

	/* Nothing split and the queue is empty (folios were freed meanwhile): stop the shrinker. */
	if (!split && list_empty(&ds_queue->split_queue))
		return SHRINK_STOP;
	return split;
}
