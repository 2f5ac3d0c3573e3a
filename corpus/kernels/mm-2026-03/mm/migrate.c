// SPDX-License-Identifier: GPL-2.0
/*
 * MmFuzz's C rendering of the migration of an anonymous folio in mm/migrate.c as it stood in mm-stable
 * in March 2026: v6.19's with 8a8ca142a488 "mm: migrate: requeue destination folio on deferred split
 * queue" (Usama Arif; a2e0c0668a34 in mainline): migrate_folio_move() notes whether the source was
 * queued, and partially mapped, before move_to_new_folio() takes it off its queue, and queues the
 * destination the same way after remove_migration_ptes(). Written for MmFuzz from that patch (v2,
 * 2026-03-10), the pre-image of 3bac01168982's hunk and the hand port
 * KernelMm2026_03.migrate_folio_move(); comments are ours (docs/SOURCES.md §3.10).
 *
 * Left to the ports: migrate_pages_batch() (the port mmfuzz_migrate_folio(), with the split-first peek
 * and try_split_folio()), migrate_folio_unmap(), remove_migration_ptes() and mem_cgroup_migrate().
 */
#include <linux/migrate.h>
#include "internal.h"

/* The page cache and the anon_vma: not modelled. */
struct address_space;
struct anon_vma;

/* Compaction's own way to give back an unused destination (not modelled: never called here). */
typedef void (*free_folio_t)(struct folio *folio, unsigned long private);

/* Why a folio migrates (include/linux/migrate_mode.h): only passed on. */
enum migrate_reason { MR_COMPACTION, MR_NUMA_MISPLACED };

/* What migrate_folio_unmap() found of the source (mm/migrate.c). */
#define PAGE_WAS_MAPPED		(1 << 0)
#define PAGE_WAS_MLOCKED	(1 << 1)

/* mm/internal.h and mm/huge_memory.c (the front end reads each file alone). */
bool folio_unqueue_deferred_split(struct folio *folio);
void deferred_split_folio(struct folio *folio, bool partially_mapped);

/* The ports: mem_cgroup_migrate() (mm/memcontrol.c) and remove_migration_ptes() (the destination's mapping). */
void mem_cgroup_migrate(struct folio *old, struct folio *new);
void remove_migration_ptes(struct folio *src, struct folio *dst, int flags);

/*
 * The references a folio under migration has besides the caller's: an anonymous folio out of the swap
 * cache, whose mappings are migration entries by now, has none.
 */
static int folio_expected_ref_count(struct folio *folio)
{
	return 0;
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
		folio_unqueue_deferred_split(folio);
		folio_ref_unfreeze(folio, expected_count);
	}

	/* No turning back: the new folio's index, mapping and swapbacked flag are not modelled. */
	return MIGRATEPAGE_SUCCESS;
}

int folio_migrate_mapping(struct address_space *mapping,
		struct folio *newfolio, struct folio *folio, int extra_count)
{
	int expected_count = folio_expected_ref_count(folio) + extra_count + 1;

	/* Checked, not frozen: the scan may take a reference right after. */
	if (folio_ref_count(folio) != expected_count)
		return -EAGAIN;

	return __folio_migrate_mapping(mapping, newfolio, folio, expected_count);
}

/* The page flags the model keeps are not copied; the charge goes to the new folio last. */
static void folio_migrate_flags(struct folio *newfolio, struct folio *folio)
{
	mem_cgroup_migrate(folio, newfolio);
}

/*
 * migrate_folio() for an anonymous folio without a mapping. The contents (folio_mc_copy()) are
 * scenario data: a destination's spec has its source's.
 */
static int __migrate_folio(struct address_space *mapping, struct folio *dst,
			   struct folio *src, void *src_private, enum migrate_mode mode)
{
	int rc, expected_count = folio_expected_ref_count(src) + 1;

	if (folio_ref_count(src) != expected_count)
		return -EAGAIN;

	rc = __folio_migrate_mapping(mapping, dst, src, expected_count);
	if (rc)
		return rc;

	folio_migrate_flags(dst, src);
	return 0;
}

/* Both folios are locked (the kernel asserts it): an anonymous folio has no mapping to ask. */
static int move_to_new_folio(struct folio *dst, struct folio *src, enum migrate_mode mode)
{
	return __migrate_folio(NULL, dst, src, NULL, mode);
}

/* The isolated-page counters are not modelled: the isolation reference goes. */
static void migrate_folio_done(struct folio *src, enum migrate_reason reason)
{
	folio_put(src);
}

/* The move pass for one folio; both folios locked since migrate_folio_unmap(). */
static int migrate_folio_move(free_folio_t put_new_folio, unsigned long private,
			      struct folio *src, struct folio *dst,
			      enum migrate_mode mode, enum migrate_reason reason,
			      struct list_head *ret)
{
	int rc;
	int old_page_state = 0;
	bool src_deferred_split = false;
	bool src_partially_mapped = false;

	/*
	 * __migrate_folio_extract(dst, &old_page_state, &anon_vma): what migrate_folio_unmap() left in
	 * dst->private, which is not modelled. The source was mapped (by migration entries now) and not
	 * mlocked; its anon_vma is not modelled. dst->lru and pages with movable_ops: not modelled.
	 */
	old_page_state = PAGE_WAS_MAPPED;

	/*
	 * __folio_migrate_mapping() takes the source off its queue: note where it was first, to put the
	 * destination there too.
	 */
	if (folio_order(src) > 1 &&
	    !data_race(list_empty(&src->_deferred_list))) {
		src_deferred_split = true;
		src_partially_mapped = folio_test_partially_mapped(src);
	}

	rc = move_to_new_folio(dst, src, mode);
	if (rc)
		goto out;

	/* folio_add_lru(dst) and lru_add_drain(): no LRU here. The source's PTEs now map the destination. */
	if (old_page_state & PAGE_WAS_MAPPED)
		remove_migration_ptes(src, dst, 0);

	/* The destination goes on its queue as the source was: it is mapped already. */
	if (src_deferred_split)
		deferred_split_folio(dst, src_partially_mapped);

	folio_unlock(dst);
	folio_put(dst);

	folio_unlock(src);
	migrate_folio_done(src, reason);

	return rc;
out:
	/* -EAGAIN (the model's only failure here): both stay locked for another pass of the caller. */
	return rc;
}
