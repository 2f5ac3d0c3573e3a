// SPDX-License-Identifier: GPL-2.0-only
/*
 * MmFuzz's C rendering of release_pages() of mm/swap.c as it stands in v6.8 (torvalds/linux, tag v6.8;
 * read in the stored 6.7/6.8 copy cited in docs/SOURCES.md §1.1 and §3.2), the batch free before the
 * batch-freeing series (f77171d241e3, v6.9) gave large folios a batch of their own. Written for MmFuzz
 * from that source and the hand port KernelV6_8.folios_put_refs() (which stands for it); comments are
 * ours. The model's batch free enters here as v6.8's callers (folios_put(), __folio_batch_release())
 * do, with the batch's folios; the caller then reinitialises the batch.
 *
 * Left to the ports: __folio_put() (the single free, v6.9's shape in the model), folio_put_testzero().
 */
#include <linux/mm.h>
#include <linux/swap.h>
#include "internal.h"

/* CUSTOMISED by the model: frees a folio whose count reached 0 (unqueue, uncharge, free). */
void __folio_put(struct folio *folio);

void release_pages(release_pages_arg arg, int nr)
{
	int i;

	for (i = 0; i < nr; i++) {
		struct folio *folio = arg->folios[i];

		/* The huge zero page and ZONE_DEVICE folios are not modelled. */
		if (!folio_put_testzero(folio))
			continue;

		/*
		 * CUSTOMISED: v6.8 frees a large folio here through __folio_put_large() and
		 * destroy_large_folio() (unqueue, uncharge, free), and gathers the small ones to uncharge
		 * and free as a list after the loop; the model sends each through __folio_put(), which
		 * takes the same steps in the same order.
		 */
		__folio_put(folio);
	}
}
