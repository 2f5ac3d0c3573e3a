// SPDX-License-Identifier: GPL-2.0-only
/*
 * MmFuzz's C rendering of the deferred-split functions of mm/huge_memory.c as they stand in v6.13
 * (torvalds/linux v6.13: e66f3185fa04 "mm/thp: fix deferred split queue not partially_mapped" and
 * its follow-up a3477c9e02cc, f8f931bba0f9 "mm/thp: fix deferred split unqueue naming and locking",
 * and 42b2eb69835b's atomic flag). Written for MmFuzz from those sources and the hand port
 * core/Kernel/States/KernelV6_13.cs, function by function (docs/SOURCES.md §3.8); comments are ours.
 * The front end reads it as a kernel tree: `mmfuzz hunt --kernel-tree corpus/kernels/v6.13 --base v6.13`.
 */
#include <linux/mm.h>
#include <linux/huge_mm.h>
#include "internal.h"

/* A knob of /sys/kernel/mm/transparent_hugepage (default on since dafff3f4c850). */
static bool split_underused_thp = true;

/*
 * Whether most of the folio's pages are zero-filled: the model's port reads the scenario's word
 * for it (page contents are not shared memory the CPUs write).
 */
static bool thp_underused(struct folio *folio);

/* CUSTOMISED by the model: the head becomes order 0 and keeps the caller's one reference. */
void __split_huge_page(struct folio *folio);

#ifdef CONFIG_MEMCG
static struct deferred_split *get_deferred_split_queue(struct folio *folio)
{
	struct mem_cgroup *memcg = folio_memcg(folio);
	struct pglist_data *pgdat = NODE_DATA(folio_nid(folio));

	/* A charged folio queues on its memcg, any other on its node. */
	if (memcg)
		return &memcg->deferred_split_queue;
	else
		return &pgdat->deferred_split_queue;
}
#endif

/*
 * The deferred-list part of the split (the rest of the kernel's split_huge_page_to_list_to_order(),
 * the mapping, the page cache and the tail pages, is what the model stands in for): freeze the
 * refcount under the queue lock so the scan cannot pin the folio, take it off its queue, split.
 */
int split_huge_page_to_list_to_order(struct page *page, struct list_head *list, unsigned int new_order)
{
	struct folio *folio = page_folio(page);
	struct deferred_split *ds_queue = get_deferred_split_queue(folio);
	int extra_pins = 0;		/* anon, not in the swap cache */

	spin_lock(&ds_queue->split_queue_lock);
	if (folio_ref_freeze(folio, 1 + extra_pins)) {
		if (folio_order(folio) > 1 && !list_empty(&folio->_deferred_list)) {
			ds_queue->split_queue_len--;
			if (folio_test_partially_mapped(folio)) {
				folio_clear_partially_mapped(folio);
				mod_mthp_stat(folio_order(folio), MTHP_STAT_NR_ANON_PARTIALLY_MAPPED, -1);
			}
			/* list_del_init: a later split looks at the list again */
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
 * Called with the refcount at 0 (freeing) or frozen (migration): under the queue lock, take the
 * folio off its queue if it is still on one. Returns whether it was.
 */
bool __folio_unqueue_deferred_split(struct folio *folio)
{
	struct deferred_split *ds_queue;
	unsigned long flags;
	bool unqueued = false;

	WARN_ON_ONCE(folio_ref_count(folio));
	WARN_ON_ONCE(!mem_cgroup_disabled() && !folio_memcg(folio));

	ds_queue = get_deferred_split_queue(folio);
	spin_lock_irqsave(&ds_queue->split_queue_lock, flags);
	if (!list_empty(&folio->_deferred_list)) {
		ds_queue->split_queue_len--;
		if (folio_test_partially_mapped(folio)) {
			folio_clear_partially_mapped(folio);
			mod_mthp_stat(folio_order(folio), MTHP_STAT_NR_ANON_PARTIALLY_MAPPED, -1);
		}
		list_del_init(&folio->_deferred_list);
		unqueued = true;
	}
	spin_unlock_irqrestore(&ds_queue->split_queue_lock, flags);

	return unqueued;
}

/* Queue a folio for the shrinker; partially_mapped=false never clears the flag. */
void deferred_split_folio(struct folio *folio, bool partially_mapped)
{
	struct deferred_split *ds_queue = get_deferred_split_queue(folio);
#ifdef CONFIG_MEMCG
	struct mem_cgroup *memcg = folio_memcg(folio);
#endif
	unsigned long flags;

	/* An order-1 folio has no room for the list head. */
	if (folio_order(folio) <= 1)
		return;

	if (!partially_mapped && !split_underused_thp)
		return;

	/* Reclaim handles a folio in the swap cache itself. */
	if (folio_test_swapcache(folio))
		return;

	spin_lock_irqsave(&ds_queue->split_queue_lock, flags);
	if (partially_mapped) {
		if (!folio_test_partially_mapped(folio)) {
			folio_set_partially_mapped(folio);
			if (folio_test_pmd_mappable(folio))
				count_vm_event(THP_DEFERRED_SPLIT_PAGE);
			count_mthp_stat(folio_order(folio), MTHP_STAT_SPLIT_DEFERRED);
			mod_mthp_stat(folio_order(folio), MTHP_STAT_NR_ANON_PARTIALLY_MAPPED, 1);
		}
	} else {
		/* a partially mapped folio never goes back to being fully mapped */
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
	struct folio *folio, *next, *prev = NULL;
	int split = 0, removed = 0;

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
			/* the refcount is 0: its free path will not find it queued */
			if (folio_test_partially_mapped(folio)) {
				folio_clear_partially_mapped(folio);
				mod_mthp_stat(folio_order(folio), MTHP_STAT_NR_ANON_PARTIALLY_MAPPED, -1);
			}
			list_del_init(&folio->_deferred_list);
			ds_queue->split_queue_len--;
		}
		if (!--sc->nr_to_scan)
			break;
	}
	spin_unlock_irqrestore(&ds_queue->split_queue_lock, flags);

	/* Loop 2, without the lock: split what can be split. */
	list_for_each_entry_safe(folio, next, &list, _deferred_list) {
		bool did_split = false;
		bool underused = false;

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
		if (did_split) {
			;	/* split_folio() took it off the list */
		} else if (!folio_test_partially_mapped(folio)) {
			/* fully mapped after all: not queued again */
			list_del_init(&folio->_deferred_list);
			removed++;
		} else {
			/*
			 * Kept on the list, and kept pinned as the separator: an unlocked
			 * list_del_init() of a later folio then never touches a folio the free
			 * path may be unqueueing under the lock.
			 */
			swap(folio, prev);
		}
		if (folio)
			folio_put(folio);
	}

	spin_lock_irqsave(&ds_queue->split_queue_lock, flags);
	list_splice_tail(&list, &ds_queue->split_queue);
	ds_queue->split_queue_len -= removed;
	spin_unlock_irqrestore(&ds_queue->split_queue_lock, flags);

	if (prev)
		folio_put(prev);

	/* Nothing split and the queue is empty: stop the shrinker. */
	if (!split && list_empty(&ds_queue->split_queue))
		return SHRINK_STOP;
	return split;
}
