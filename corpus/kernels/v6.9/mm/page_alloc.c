// SPDX-License-Identifier: GPL-2.0-only
/*
 * MmFuzz's C rendering of free_unref_folios() of mm/page_alloc.c as it stands in v6.9 (torvalds/linux,
 * tag v6.9; docs/kernel-sources.md §3.3): the batch free that folios_put_refs() (mm/swap.c beside it)
 * ends in. Written for MmFuzz from that source and the hand port Kernel.free_unref_folios(); comments
 * are ours. It is here so that a patch to the batch free reads as C.
 *
 * Left to the ports: free_pages_prepare() and free_unref_page(), which take the folio in the model.
 */
#include <linux/mm.h>
#include "internal.h"

/*
 * CUSTOMISED: the port of free_pages_prepare(&folio->page, order), the checks the model has of the
 * head page (the flags that must be clear at free, the refcount). v6.9 checks no tail page the model
 * has, so the order is not read.
 */
bool free_pages_prepare(struct folio *folio);

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
		 * v6.9 reads the order here, for 31b2ff82aefb's unqueue of a large rmappable folio (a
		 * no-op since folios_put_refs() unqueues first, not in the port, so not here) and for
		 * free_pages_prepare().
		 */
		if (!free_pages_prepare(folio))
			continue;
		hook_page_free(folio);
	}
	folio_batch_reinit(folios);
}
