// SPDX-License-Identifier: GPL-2.0-only
/*
 * MmFuzz's C rendering of the free paths of mm/swap.c as they stand in v6.10 (torvalds/linux, tag v6.10):
 * __folio_put() and folios_put_refs(), each taking a large folio off its deferred split queue once its
 * count is 0 and before the uncharge, as 47932e7048df ordered it (the pre-images quoted in
 * docs/SOURCES.md §3.5). Written for MmFuzz from those sources and the hand ports
 * Kernel.__folio_put(), folios_put_refs() and free_path_unqueue(); comments are ours. They are here so
 * that the free reaches the C of mm/page_alloc.c with its order.
 *
 * Left to the ports: folio_put() and its helpers, mem_cgroup_uncharge(), mem_cgroup_uncharge_folios().
 */
#include <linux/mm.h>
#include <linux/swap.h>
#include <linux/memcontrol.h>
#include "internal.h"

/* mm/huge_memory.c (include/linux/huge_mm.h). */
void folio_undo_large_rmappable(struct folio *folio);
/* include/linux/memcontrol.h: uncharge a charged folio (memcg_data = 0). */
void mem_cgroup_uncharge(struct folio *folio);
/* include/linux/memcontrol.h: uncharge each charged folio of the batch. */
void mem_cgroup_uncharge_folios(struct folio_batch *folios);
/* mm/page_alloc.c (mm/internal.h). */
void free_unref_page(struct page *page, unsigned int order);
void free_unref_folios(struct folio_batch *folios);

/* The last reference is gone. ZONE_DEVICE and hugetlb folios and the LRU are not modelled. */
void __folio_put(struct folio *folio)
{
	if (folio_test_large(folio) && folio_test_large_rmappable(folio))
		folio_undo_large_rmappable(folio);
	mem_cgroup_uncharge(folio);
	free_unref_page(&folio->page, folio_order(folio));
}

void folios_put_refs(struct folio_batch *folios, unsigned int *refs)
{
	int i, j;

	for (i = 0, j = 0; i < folios->nr; i++) {
		struct folio *folio = folios->folios[i];
		unsigned int nr_refs = refs ? refs[i] : 1;

		/* The huge zero folio and ZONE_DEVICE folios are not modelled. */
		if (!folio_ref_sub_and_test(folio, nr_refs))
			continue;

		/* hugetlb folios are not modelled. Unqueue while the folio is still charged. */
		if (folio_test_large(folio) && folio_test_large_rmappable(folio))
			folio_undo_large_rmappable(folio);
		/* __page_cache_release(): no LRU in the model. */

		if (j != i)
			folios->folios[j] = folio;
		j++;
	}
	if (!j) {
		folio_batch_reinit(folios);
		return;
	}

	folios->nr = j;
	mem_cgroup_uncharge_folios(folios);
	free_unref_folios(folios);
}
