// SPDX-License-Identifier: GPL-2.0
/*
 * MmFuzz's C rendering of try_split_folio(), folio_migrate_mapping() and __folio_migrate_mapping() of
 * mm/migrate.c as they stand in v6.12-rc1 (torvalds/linux, tag v6.12-rc1): try_split_folio() trylocks
 * in MIGRATE_ASYNC mode since 2e6506e1c4ee "mm/migrate: fix deadlock in migrate_pages_batch() on large
 * folios" (v6.11); Kefeng Wang's v6.11 refactor put the count check in folio_migrate_mapping() (and in
 * __migrate_folio(), the anonymous folio's way, which checks the same count) and the rest in
 * __folio_migrate_mapping(), where be9581ea8c05's frozen unqueue stays (the 6.12-rc copy cited in
 * docs/SOURCES.md §3.7). Written for MmFuzz from those sources and the hand ports
 * KernelV6_12Rc1.try_split_folio() and KernelV6_10.folio_migrate_mapping(); comments are ours.
 *
 * Left to the ports: migrate_pages_batch(), whose unlocked peek (nr_pages > 2, a non-empty
 * _deferred_list and, from 8422acdc97ed, partially mapped) decides to split instead of migrating: the
 * model has no port of it, only of one isolated folio's way through it (the port migrate_folio(), with
 * migrate_split_first() for the peek, and migrate_folio_move(), which calls folio_migrate_mapping() and
 * mem_cgroup_migrate()).
 */
#include <linux/migrate.h>
#include <linux/huge_mm.h>
#include "internal.h"

/* The page cache: not modelled. */
struct address_space;

/* mm/internal.h (the front end reads each file alone). */
void folio_undo_large_rmappable(struct folio *folio);

static int try_split_folio(struct folio *folio, struct list_head *split_folios,
			   enum migrate_mode mode)
{
	int rc;

	/* Compaction's first pass must not wait for a folio lock it may hold itself. */
	if (mode == MIGRATE_ASYNC) {
		if (!folio_trylock(folio))
			return -EAGAIN;
	} else {
		folio_lock(folio);
	}
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

static int __folio_migrate_mapping(struct address_space *mapping,
		struct folio *newfolio, struct folio *folio, int expected_count)
{
	/* The model migrates anonymous folios without a mapping: the page-cache branch is not rendered. */
	BUG_ON(mapping);

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

int folio_migrate_mapping(struct address_space *mapping,
		struct folio *newfolio, struct folio *folio, int extra_count)
{
	int expected_count = folio_expected_refs(mapping, folio) + extra_count;

	/* Checked, not frozen: the scan may take a reference right after. */
	if (folio_ref_count(folio) != expected_count)
		return -EAGAIN;

	return __folio_migrate_mapping(mapping, newfolio, folio, expected_count);
}
