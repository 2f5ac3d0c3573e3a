// SPDX-License-Identifier: GPL-2.0-only
/*
 * MmFuzz's C rendering of the deferred-split functions of mm/huge_memory.c as they stand in v6.10-rc1
 * (torvalds/linux, tag v6.10-rc1), which for what the model runs are v6.9's: get_deferred_split_queue(),
 * split_huge_page_to_list_to_order() (list_del_init()), folio_undo_large_rmappable(),
 * deferred_split_folio(), deferred_split_scan() (docs/SOURCES.md §3.5; the window added
 * statistics, stubbed here). The state's changes are in mm/migrate.c (7262f208ca68, Zi Yan),
 * mm/page_alloc.c ("on deferred list") and mm/memcontrol.c beside it. Written for MmFuzz from those
 * sources and the hand port (core/Kernel/States/KernelV6_10Rc1.cs over KernelV6_9.cs and Kernel),
 * function by function, in the port's order of shared accesses; comments are ours.
 *
 * Left to the ports: the unmap's call of deferred_split_folio() in __folio_remove_rmap() (mm/rmap.c;
 * from 7491f3f34891 only a partial unmap of a folio not seen queued calls it), whose function the
 * model does not port: the port queue_for_deferred_split() stands for that call.
 */
#include <linux/mm.h>
#include <linux/huge_mm.h>
#include "internal.h"

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
 * fails meanwhile; a queued folio leaves its queue before the split.
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

/* The free path's unqueue, with the refcount at 0 (or frozen, or still held: migration's call). */
void folio_undo_large_rmappable(struct folio *folio)
{
	struct deferred_split *ds_queue;
	unsigned long flags;

	if (folio_order(folio) <= 1)
		return;

	/*
	 * Nothing can queue the folio any more, so an empty list seen without the lock stays empty
	 * (a racy read on purpose: data_race()).
	 */
	if (data_race(list_empty(&folio->_deferred_list)))
		return;

	ds_queue = get_deferred_split_queue(folio);
	spin_lock_irqsave(&ds_queue->split_queue_lock, flags);
	if (!list_empty(&folio->_deferred_list)) {
		ds_queue->split_queue_len--;
		list_del_init(&folio->_deferred_list);
	}
	spin_unlock_irqrestore(&ds_queue->split_queue_lock, flags);
}

/* Queue a partially unmapped folio for the shrinker (every caller means "partially mapped"). */
void deferred_split_folio(struct folio *folio)
{
	struct deferred_split *ds_queue = get_deferred_split_queue(folio);
#ifdef CONFIG_MEMCG
	struct mem_cgroup *memcg = folio_memcg(folio);
#endif
	unsigned long flags;

	/* No room for the list head in an order-1 folio; it is small enough to leave alone. */
	if (folio_order(folio) <= 1)
		return;

	/* Reclaim reaches here through try_to_unmap() for a swap-cache folio, and splits it itself. */
	if (folio_test_swapcache(folio))
		return;

	/* Already queued: a look without the lock, made again under it. */
	if (!list_empty(&folio->_deferred_list))
		return;

	spin_lock_irqsave(&ds_queue->split_queue_lock, flags);
	if (list_empty(&folio->_deferred_list)) {
		count_vm_event(THP_DEFERRED_SPLIT_PAGE);
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
			/* its last reference is gone: the free path must find it unqueued */
			list_del_init(&folio->_deferred_list);
			ds_queue->split_queue_len--;
		}
		if (!--sc->nr_to_scan)
			break;
	}
	spin_unlock_irqrestore(&ds_queue->split_queue_lock, flags);

	/* Loop 2, without the lock: split what can be locked; a split folio leaves the list. */
	list_for_each_entry_safe(folio, next, &list, _deferred_list) {
		if (!folio_trylock(folio))
			goto next;
		if (!split_folio(folio))
			split++;
		folio_unlock(folio);
next:
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
