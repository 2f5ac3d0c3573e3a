// SPDX-License-Identifier: GPL-2.0
/*
 * MmFuzz's C rendering of try_split_folio() and folio_migrate_mapping() of mm/migrate.c as they stand
 * in v6.10 (torvalds/linux, tag v6.10): try_split_folio(), which 7262f208ca68 (Zi Yan, v6.10-rc1) calls
 * for a queued large folio, and folio_migrate_mapping() with be9581ea8c05 "mm: fix crashes from
 * deferred split racing folio migration" (Hugh Dickins): an anonymous folio leaves its deferred split
 * queue with its refcount frozen (docs/SOURCES.md §3.6). Written for MmFuzz from those
 * sources and the hand ports KernelV6_10Rc1.try_split_folio() and KernelV6_10.folio_migrate_mapping();
 * comments are ours.
 *
 * Left to the ports: migrate_pages_batch(), whose unlocked peek (nr_pages > 2 and a non-empty
 * _deferred_list) decides to split instead of migrating: the model has no port of it, only of one
 * isolated folio's way through it (the port migrate_folio(), with migrate_split_first() for the peek,
 * and migrate_folio_move(), which calls folio_migrate_mapping() and mem_cgroup_migrate()).
 */
#include <linux/migrate.h>
#include <linux/huge_mm.h>
#include "internal.h"

/* The page cache: not modelled. */
struct address_space;

/* mm/huge_memory.c (include/linux/huge_mm.h). */
void folio_undo_large_rmappable(struct folio *folio);

/* The lock is taken whatever the migration mode (MIGRATE_ASYNC's trylock came with v6.11). */
static int try_split_folio(struct folio *folio, struct list_head *split_folios)
{
	int rc;

	folio_lock(folio);
	rc = split_folio_to_list(folio, split_folios);
	folio_unlock(folio);
	/* On success the split pages would move to split_folios: not modelled. */

	return rc;
}

/* The references a folio under migration has besides the caller's: none without a mapping. */
static int folio_expected_refs(struct address_space *mapping, struct folio *folio)
{
	int refs = 1;

	if (!mapping)
		return refs;

	/* The page cache's references (and a private one) are not modelled. */
	refs += folio_nr_pages(folio);
	return refs;
}

int folio_migrate_mapping(struct address_space *mapping,
		struct folio *newfolio, struct folio *folio, int extra_count)
{
	int expected_count = folio_expected_refs(mapping, folio) + extra_count;

	/* The model migrates anonymous folios without a mapping: the page-cache branch is not rendered. */
	BUG_ON(mapping);

	/* Checked, not frozen: the scan may take a reference right after. */
	if (folio_ref_count(folio) != expected_count)
		return -EAGAIN;

	/* be9581ea8c05: off the deferred split queue while frozen and still charged. */
	if (folio_test_large(folio) && folio_test_large_rmappable(folio)) {
		if (!folio_ref_freeze(folio, expected_count))
			return -EAGAIN;
		folio_undo_large_rmappable(folio);
		folio_ref_unfreeze(folio, expected_count);
	}

	/* No turning back: the new folio's index, mapping and swapbacked flag are not modelled. */
	return MIGRATEPAGE_SUCCESS;
}
