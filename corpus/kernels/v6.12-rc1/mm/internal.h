/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MmFuzz's C rendering of mm/internal.h's unqueue inline as it stands in v6.12-rc1 (torvalds/linux, tag
 * v6.12-rc1: Kefeng Wang's v6.11 refactor moved the callers' checks into it; its text is the pre-image
 * of f8f931bba0f9 cited in docs/SOURCES.md §3.7). Written for MmFuzz from that source and
 * KernelV6_12Rc1.folio_undo_large_rmappable(); comments are ours.
 */
#ifndef __MM_INTERNAL_H
#define __MM_INTERNAL_H

void __folio_undo_large_rmappable(struct folio *folio);

static inline void folio_undo_large_rmappable(struct folio *folio)
{
	if (folio_order(folio) <= 1 || !folio_test_large_rmappable(folio))
		return;

	/*
	 * Nobody can be queueing it now; if it is on no list, an unlocked look is enough
	 * (a racy read on purpose: data_race()).
	 */
	if (data_race(list_empty(&folio->_deferred_list)))
		return;

	__folio_undo_large_rmappable(folio);
}

#endif
