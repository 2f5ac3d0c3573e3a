// SPDX-License-Identifier: GPL-2.0-only
/*
 * MmFuzz's C rendering of the free path of mm/page_alloc.c as it stands in v6.10-rc1 (torvalds/linux,
 * tag v6.10-rc1), for what the model has of it: free_tail_page_prepare()'s check of page[2], which
 * "mm: always initialise folio->_deferred_list" (Matthew Wilcox, 6.10 merge window) made "on deferred
 * list" (docs/SOURCES.md §3.5), free_pages_prepare(), free_unref_page() and free_unref_folios().
 * Written for MmFuzz from those sources and the hand ports (KernelV6_10Rc1.free_tail_page_prepare(),
 * Kernel.free_pages_prepare(), free_unref_page(), free_unref_folios()); comments are ours.
 * mm/swap.c beside it calls these with the order, as the kernel does.
 */
#include <linux/mm.h>
#include "internal.h"

/*
 * The page allocator taking the folio back (the pcp lists, the buddy allocator) is, in the model, its
 * mm_page_free hook: the oracles take note of the free there. Not a kernel function.
 */
void hook_page_free(struct folio *folio);

/* mm/huge_memory.c (include/linux/huge_mm.h). */
void folio_undo_large_rmappable(struct folio *folio);

/* CUSTOMISED: the one tail page whose fields the model has, page[2]. */
static int free_tail_page_prepare(struct page *head_page, struct page *page)
{
	struct folio *folio = (struct folio *)head_page;
	int ret = 1;

	switch (page - head_page) {
	case 2:
		/* its ->mapping is where the folio's _deferred_list lies: a linked folio is bad */
		if (unlikely(!list_empty(&folio->_deferred_list))) {
			bad_page(page, "on deferred list");
			goto out;
		}
		break;
	default:
		break;
	}
	ret = 0;
out:
	return ret;
}

/*
 * CUSTOMISED: the checks of free_pages_prepare() for the pages the model has: the tail pages'
 * (page[2] only: it alone is not the same in every folio of the model), then the head's
 * (free_page_is_bad(): the flags that must be clear at free, the refcount), in the port's order.
 */
static bool free_pages_prepare(struct page *page, unsigned int order)
{
	int bad = 0;

	if (unlikely(order)) {
		if (order > 1)
			bad += free_tail_page_prepare(page, page + 2);
		if (bad)
			return false;
	}
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

void free_unref_page(struct page *page, unsigned int order)
{
	/* The pfn, the migratetype and the pcp lists are not modelled. */
	if (!free_pages_prepare(page, order))
		return;
	hook_page_free(page_folio(page));
}

void free_unref_folios(struct folio_batch *folios)
{
	int i;

	for (i = 0; i < folios->nr; i++) {
		struct folio *folio = folios->folios[i];

		/*
		 * 31b2ff82aefb's unqueue of a large rmappable folio, still here (normally a no-op since
		 * folios_put_refs() unqueues first, before the uncharge). The kernel reads the order into
		 * a local for this test and for free_pages_prepare(); the port reads it at each use, and
		 * so does this.
		 */
		if (folio_order(folio) > 0 && folio_test_large_rmappable(folio))
			folio_undo_large_rmappable(folio);
		if (!free_pages_prepare(&folio->page, folio_order(folio)))
			continue;
		hook_page_free(folio);
	}
	folio_batch_reinit(folios);
}
