// SPDX-License-Identifier: GPL-2.0
/*
 * MmFuzz's C rendering of try_split_folio() of mm/migrate.c as it stands in v6.10-rc1 (torvalds/linux,
 * tag v6.10-rc1), which 7262f208ca68 "mm/migrate: split source folio if it is on deferred split list"
 * (Zi Yan) calls for a queued large folio (docs/SOURCES.md §3.5). Written for MmFuzz from that
 * source and the hand port KernelV6_10Rc1.try_split_folio(); comments are ours.
 *
 * Left to the ports: migrate_pages_batch(), whose unlocked peek (nr_pages > 2 and a non-empty
 * _deferred_list) decides to split instead of migrating: the model has no port of it, only of one
 * isolated folio's way through it (the port migrate_folio(), with migrate_split_first() for the peek).
 * folio_migrate_mapping() and mem_cgroup_migrate() are v6.9's here, and stay ports.
 */
#include <linux/migrate.h>
#include <linux/huge_mm.h>
#include "internal.h"

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
