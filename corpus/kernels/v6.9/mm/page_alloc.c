// SPDX-License-Identifier: GPL-2.0-only
/*
 * MmFuzz's C rendering of free_unref_folios() of mm/page_alloc.c as it stands in v6.9 (torvalds/linux,
 * tag v6.9; docs/SOURCES.md §3.4): the batch free that folios_put_refs() (mm/swap.c beside it) ends
 * in, with 31b2ff82aefb's unqueue that 47932e7048df left in place (the pre-image of Kefeng Wang's
 * refactor, page_alloc.c @@ -2661). Written for MmFuzz from those sources and the hand port
 * Kernel.free_unref_folios(); comments are ours. It is here so that a patch to the batch free reads as C.
 *
 * Left to the ports: free_pages_prepare() and free_unref_page(), which take the folio in the model.
 */
#include <linux/mm.h>
#include "internal.h"

/*
 * CUSTOMISED: the port of free_pages_prepare(&folio->page, order), the checks the model has of the
 * head page (the flags that must be clear at free, the refcount). v6.9 checks no tail page the model
 * has, so it needs no order.
 */
bool free_pages_prepare(struct folio *folio);

/* mm/huge_memory.c (include/linux/huge_mm.h). */
void folio_undo_large_rmappable(struct folio *folio);

/*
 * The page allocator taking the folio back (the pcp lists, the buddy allocator) is, in the model, its
 * mm_page_free hook: the oracles take note of the free there. Not a kernel function.
 */
void hook_page_free(struct folio *folio);

void free_unref_folios(struct folio_batch *folios)
{
	int i;

	for (i = 0; i < folios->nr; i++) {
		struct folio *folio = folios->folios[i];

		/*
		 * 31b2ff82aefb's unqueue of a large rmappable folio. Every caller has unqueued the folio
		 * before the batch's uncharge (47932e7048df), so this normally finds it on no queue; it
		 * looks all the same, after the uncharge. (v6.9 reads the order into a local, for this
		 * test and for free_pages_prepare().)
		 */
		if (folio_order(folio) > 0 && folio_test_large_rmappable(folio))
			folio_undo_large_rmappable(folio);
		if (!free_pages_prepare(folio))
			continue;
		hook_page_free(folio);
	}
	folio_batch_reinit(folios);
}
