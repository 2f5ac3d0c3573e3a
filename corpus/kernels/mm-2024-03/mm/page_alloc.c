// SPDX-License-Identifier: GPL-2.0-only
/*
 * MmFuzz's C rendering of free_unref_folios() of mm/page_alloc.c in mm-unstable as of March 2024, with
 * 31b2ff82aefb "mm: handle large folios in free_unref_folios()" (Matthew Wilcox): a large rmappable
 * folio is taken off its deferred split queue here, after the batch's uncharge, when
 * get_deferred_split_queue() already answers the node's queue (Yin Fengwei's quote of the loop in the
 * series' thread; docs/SOURCES.md §3.3). With it, the checks of free_pages_prepare() that the
 * model has, as v6.9 makes them. Written for MmFuzz from those sources and the hand ports
 * Kernel.free_unref_folios() and Kernel.free_pages_prepare(); comments are ours.
 *
 * Left to the ports: free_unref_page() (the single free), which the series did not change.
 */
#include <linux/mm.h>
#include <linux/memcontrol.h>
#include "internal.h"

/* mm/huge_memory.c (include/linux/huge_mm.h). */
void folio_undo_large_rmappable(struct folio *folio);

/*
 * The page allocator taking the folio back (the pcp lists, the buddy allocator) is, in the model, its
 * mm_page_free hook: the oracles take note of the free there. Not a kernel function.
 */
void hook_page_free(struct folio *folio);

/*
 * CUSTOMISED: the checks of free_pages_prepare() for pages the model has. The tail pages'
 * (free_tail_page_prepare()) look at fields the model does not keep; in this state page[2] (its
 * ->mapping overlaps _deferred_list.prev) is not checked at all. Of the head's (free_page_is_bad()), the
 * flags that must be clear at free and the refcount, in the port's order.
 */
static bool free_pages_prepare(struct page *page, unsigned int order)
{
	if (page->flags & PAGE_FLAGS_CHECK_AT_FREE) {
		bad_page(page, "PAGE_FLAGS_CHECK_AT_FREE flag(s) set");
		return false;
	}
	if (page_ref_count(page)) {
		bad_page(page, "nonzero _refcount");
		return false;
	}
	return true;
}

void free_unref_folios(struct folio_batch *folios)
{
	int i;

	for (i = 0; i < folios->nr; i++) {
		struct folio *folio = folios->folios[i];
		unsigned int order = folio_order(folio);

		/*
		 * 31b2ff82aefb: the unqueue of a large folio freed in a batch. The batch was uncharged
		 * first, so this takes the node's lock for a folio that may sit on its memcg's queue or
		 * on a scan's local list.
		 */
		if (order > 0 && folio_test_large_rmappable(folio))
			folio_undo_large_rmappable(folio);
		if (!free_pages_prepare(&folio->page, order))
			continue;
		hook_page_free(folio);
	}
	folio_batch_reinit(folios);
}
