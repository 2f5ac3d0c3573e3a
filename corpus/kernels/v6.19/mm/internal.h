/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MmFuzz's C rendering of mm/internal.h's deferred-split inline as it stands in v6.13, unchanged by the folio_batch series
 * (f8f931bba0f9; from that source and core/Kernel/States/KernelV6_13.cs; docs/SOURCES.md §3.9).
 */
#ifndef __MM_INTERNAL_H
#define __MM_INTERNAL_H

bool __folio_unqueue_deferred_split(struct folio *folio);

static inline bool folio_unqueue_deferred_split(struct folio *folio)
{
	if (folio_order(folio) <= 1 || !folio_test_large_rmappable(folio))
		return false;

	/*
	 * Nobody can be queueing it now; if it is on no list, an unlocked look is enough
	 * (a racy read on purpose: data_race()).
	 */
	if (data_race(list_empty(&folio->_deferred_list)))
		return false;

	return __folio_unqueue_deferred_split(folio);
}

#endif
