// SPDX-License-Identifier: GPL-2.0-only
/*
 * MmFuzz's C rendering of the deferred-split functions of mm/huge_memory.c in the state `mm-2026-03`: v6.13
 * with the folio_batch series of Muchun Song and Qi Zheng as merged for v6.19 (fd603ae11e72,
 * ad7c7f4576a5 "mm: thp: introduce folio_split_queue_lock and its variants", 776bde7caf80 "mm: thp: use
 * folio_batch to handle THP splitting in deferred_split_scan()", 46156dba32cb "mm: thp: reparent the
 * split queue during memcg offline"); unchanged in mm-stable in March 2026, when 8a8ca142a488 (mm/migrate.c here) came. Loop 2's failed folio_trylock() goes to next:,
 * which re-queues only a partially mapped folio. Written for MmFuzz from those patches and the hand port
 * core/Kernel/States/KernelV6_19.cs (which KernelMm2026_03 inherits), in the port's order of shared accesses; comments are ours
 * (docs/SOURCES.md §3.9, §3.10). The merged series reads folio_nid() before folio_memcg() in
 * folio_split_queue_lock(): C leaves it open.
 */
#include <linux/mm.h>
#include "internal.h"

static bool split_underused_thp = true;

/* The model's ports: page contents are scenario data; the split itself the model stands in for. */
static bool thp_underused(struct folio *folio);
void __split_huge_page(struct folio *folio);

static struct deferred_split *memcg_split_queue(int nid, struct mem_cgroup *memcg)
{
	return memcg ? &memcg->deferred_split_queue : &NODE_DATA(nid)->deferred_split_queue;
}

/*
 * Lock the queue of (nid, memcg); once a memcg is dying its queue is being (or has been) spliced
 * onto its parent's, so take the parent's instead, and so on up.
 */
static struct deferred_split *split_queue_lock(int nid, struct mem_cgroup *memcg)
{
	struct deferred_split *queue;

retry:
	queue = memcg_split_queue(nid, memcg);
	spin_lock(&queue->split_queue_lock);
	if (unlikely(memcg_is_dying(memcg))) {
		spin_unlock(&queue->split_queue_lock);
		memcg = parent_mem_cgroup(memcg);
		goto retry;
	}
	return queue;
}

static struct deferred_split *split_queue_lock_irqsave(int nid, struct mem_cgroup *memcg, unsigned long *flags)
{
	return split_queue_lock(nid, memcg);
}

static struct deferred_split *folio_split_queue_lock(struct folio *folio)
{
	struct mem_cgroup *memcg = folio_memcg(folio);
	int nid = folio_nid(folio);

	return split_queue_lock(nid, memcg);
}

static struct deferred_split *folio_split_queue_lock_irqsave(struct folio *folio, unsigned long *flags)
{
	return folio_split_queue_lock(folio);
}

static inline void split_queue_unlock(struct deferred_split *queue)
{
	spin_unlock(&queue->split_queue_lock);
}

static inline void split_queue_unlock_irqrestore(struct deferred_split *queue, unsigned long flags)
{
	spin_unlock_irqrestore(&queue->split_queue_lock, flags);
}

/* The deferred-list part of the split, as in the v6.13 rendering, under folio_split_queue_lock(). */
int split_huge_page_to_list_to_order(struct page *page, struct list_head *list, unsigned int new_order)
{
	struct folio *folio = page_folio(page);
	struct deferred_split *ds_queue;
	int extra_pins = 0;

	ds_queue = folio_split_queue_lock(folio);
	if (folio_ref_freeze(folio, 1 + extra_pins)) {
		if (folio_order(folio) > 1) {
			if (!list_empty(&folio->_deferred_list)) {
				ds_queue->split_queue_len--;
				list_del_init(&folio->_deferred_list);
			}
			if (folio_test_partially_mapped(folio)) {
				folio_clear_partially_mapped(folio);
				mod_mthp_stat(folio_order(folio), MTHP_STAT_NR_ANON_PARTIALLY_MAPPED, -1);
			}
		}
		split_queue_unlock(ds_queue);
		__split_huge_page(folio);
		return 0;
	}
	split_queue_unlock(ds_queue);
	return -EAGAIN;
}

bool __folio_unqueue_deferred_split(struct folio *folio)
{
	struct deferred_split *ds_queue;
	unsigned long flags;
	bool unqueued = false;

	WARN_ON_ONCE(folio_ref_count(folio));
	WARN_ON_ONCE(!mem_cgroup_disabled() && !folio_memcg(folio));

	ds_queue = folio_split_queue_lock_irqsave(folio, &flags);
	if (!list_empty(&folio->_deferred_list)) {
		ds_queue->split_queue_len--;
		if (folio_test_partially_mapped(folio)) {
			folio_clear_partially_mapped(folio);
			mod_mthp_stat(folio_order(folio), MTHP_STAT_NR_ANON_PARTIALLY_MAPPED, -1);
		}
		list_del_init(&folio->_deferred_list);
		unqueued = true;
	}
	split_queue_unlock_irqrestore(ds_queue, flags);

	return unqueued;
}

void deferred_split_folio(struct folio *folio, bool partially_mapped)
{
	struct deferred_split *ds_queue;
	unsigned long flags;

	if (folio_order(folio) <= 1)
		return;

	if (!partially_mapped && !split_underused_thp)
		return;

	if (folio_test_swapcache(folio))
		return;

	ds_queue = folio_split_queue_lock_irqsave(folio, &flags);
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
	}
	split_queue_unlock_irqrestore(ds_queue, flags);
}

static unsigned long deferred_split_scan(struct shrinker *shrink, struct shrink_control *sc)
{
	struct deferred_split *ds_queue;
	unsigned long flags;
	struct folio *folio, *next;
	int split = 0, i;
	struct folio_batch fbatch;

	folio_batch_init(&fbatch);

retry:
	/* Loop 1, under the lock: every folio visited leaves the queue, pinned into the batch or lost. */
	ds_queue = split_queue_lock_irqsave(sc->nid, sc->memcg, &flags);
	list_for_each_entry_safe(folio, next, &ds_queue->split_queue, _deferred_list) {
		if (folio_try_get(folio)) {
			folio_batch_add(&fbatch, folio);
		} else if (folio_test_partially_mapped(folio)) {
			/* its refcount is 0: the free path will find it unqueued */
			folio_clear_partially_mapped(folio);
			mod_mthp_stat(folio_order(folio), MTHP_STAT_NR_ANON_PARTIALLY_MAPPED, -1);
		}
		list_del_init(&folio->_deferred_list);
		ds_queue->split_queue_len--;
		if (!--sc->nr_to_scan)
			break;
		if (!folio_batch_space(&fbatch))
			break;
	}
	split_queue_unlock_irqrestore(ds_queue, flags);

	/* Loop 2, on the batch, without the lock. */
	for (i = 0; i < folio_batch_count(&fbatch); i++) {
		bool did_split = false;
		bool underused = false;
		struct deferred_split *fqueue;

		folio = fbatch.folios[i];
		if (!folio_test_partially_mapped(folio)) {
			if (folio_test_mlocked(folio))
				goto next;
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
		 * Split, or used after all, or locked by someone else: not queued again, unless partially
		 * mapped (an underused folio whose lock another task held is dropped untried).
		 */
		if (did_split || !folio_test_partially_mapped(folio))
			continue;
		fqueue = folio_split_queue_lock_irqsave(folio, &flags);
		if (list_empty(&folio->_deferred_list)) {
			list_add_tail(&folio->_deferred_list, &fqueue->split_queue);
			fqueue->split_queue_len++;
		}
		split_queue_unlock_irqrestore(fqueue, flags);
	}
	folios_put(&fbatch);

	if (sc->nr_to_scan && !list_empty(&ds_queue->split_queue)) {
		cond_resched();
		goto retry;
	}

	if (!split && list_empty(&ds_queue->split_queue))
		return SHRINK_STOP;
	return split;
}

/* Memcg offline: the dying memcg's queue goes to its parent, under both locks. */
void reparent_deferred_split_queue(struct mem_cgroup *memcg)
{
	struct mem_cgroup *parent = parent_mem_cgroup(memcg);
	struct deferred_split *ds_queue = &memcg->deferred_split_queue;
	struct deferred_split *parent_ds_queue = &parent->deferred_split_queue;

	spin_lock_irq(&ds_queue->split_queue_lock);
	spin_lock_nested(&parent_ds_queue->split_queue_lock, SINGLE_DEPTH_NESTING);

	if (!ds_queue->split_queue_len)
		goto unlock;

	list_splice_tail_init(&ds_queue->split_queue, &parent_ds_queue->split_queue);
	parent_ds_queue->split_queue_len += ds_queue->split_queue_len;
	ds_queue->split_queue_len = 0;

unlock:
	spin_unlock(&parent_ds_queue->split_queue_lock);
	spin_unlock_irq(&ds_queue->split_queue_lock);
}
