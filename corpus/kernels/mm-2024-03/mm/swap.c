// SPDX-License-Identifier: GPL-2.0-only
/*
 * MmFuzz's C rendering of folios_put_refs() of mm/swap.c in mm-unstable as of March 2024: after
 * f77171d241e3 "mm: allow non-hugetlb large folios to be batch processed" (Matthew Wilcox) large folios
 * go through the batch too, and before 47932e7048df nothing here takes them off the deferred split
 * queue. RECONSTRUCTED, as the port is, from the v6.9 function less the lines 47932e7048df added
 * (docs/SOURCES.md §3.3). Written for MmFuzz from those sources and the hand port
 * KernelMm2024_03.folios_put_refs(); comments are ours.
 *
 * Left to the ports: the single free, __folio_put() (destroy_large_folio()'s order: unqueue, then
 * uncharge), which the series did not change, and mem_cgroup_uncharge_folios().
 */
#include <linux/mm.h>
#include <linux/swap.h>
#include <linux/memcontrol.h>
#include "internal.h"

/* include/linux/memcontrol.h: uncharge each charged folio of the batch (memcg_data = 0). */
void mem_cgroup_uncharge_folios(struct folio_batch *folios);
/* mm/page_alloc.c (mm/internal.h). */
void free_unref_folios(struct folio_batch *folios);

void folios_put_refs(struct folio_batch *folios, unsigned int *refs)
{
	int i, j;

	for (i = 0, j = 0; i < folios->nr; i++) {
		struct folio *folio = folios->folios[i];
		unsigned int nr_refs = refs ? refs[i] : 1;

		/* The huge zero folio and ZONE_DEVICE folios are not modelled. */
		if (!folio_ref_sub_and_test(folio, nr_refs))
			continue;

		/*
		 * hugetlb folios (freed apart) are not modelled, nor the LRU (__page_cache_release()).
		 * A large folio stays on its deferred split queue: it is still charged, and the queue
		 * is its memcg's, until mem_cgroup_uncharge_folios() below.
		 */
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
