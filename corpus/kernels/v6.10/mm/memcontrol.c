// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * MmFuzz's C rendering of uncharge_folio() and mem_cgroup_migrate() of mm/memcontrol.c as they stand in
 * v6.10 (torvalds/linux, tag v6.10): uncharge_folio() with 47932e7048df's assertion and the 6.10
 * window's hugetlb clause, and mem_cgroup_migrate() without the unqueue 9bcef5973e31 had put there,
 * which be9581ea8c05 "mm: fix crashes from deferred split racing folio migration" (Hugh Dickins)
 * removed (its diff is cited in docs/SOURCES.md §3.6). Written for MmFuzz from those sources and
 * the hand ports KernelV6_9.uncharge_folio(), Kernel.mem_cgroup_migrate() and
 * KernelV6_10.mem_cgroup_migrate_unqueue(); comments are ours.
 *
 * Left to the ports: mem_cgroup_uncharge(), mem_cgroup_uncharge_folios(), which v6.10 did not change.
 */
#include <linux/memcontrol.h>

/* The uncharge batch: its page counters are not modelled. */
struct uncharge_gather;

/*
 * CUSTOMISED: the part of uncharge_folio() the model runs. The caller found the folio charged
 * (folio_memcg()); the LRU assertion, the objcg and the gather's counters and css reference are not
 * modelled. A large folio is unqueued before it is uncharged, so it must be off every queue here.
 */
static void uncharge_folio(struct folio *folio, struct uncharge_gather *ug)
{
	VM_BUG_ON_FOLIO(folio_order(folio) > 1 &&
			!folio_test_hugetlb(folio) &&
			!list_empty(&folio->_deferred_list), folio);

	folio->memcg_data = 0;
}

/*
 * The port of commit_charge(): new->memcg_data = memcg. A scenario may leave the destination out
 * (migrate_folio(A)), and then new is NULL and the port does nothing.
 */
void commit_charge(struct folio *folio, struct mem_cgroup *memcg);

/*
 * CUSTOMISED: the part of mem_cgroup_migrate() the model runs: the charge moves to the new folio,
 * then the old one's is cleared. The assertions on the two folios' locks, kind and size are left out.
 * An uncharged folio of a scenario stands for one memcg does not charge, so neither
 * mem_cgroup_disabled() nor the warning for a !memcg folio is rendered.
 */
void mem_cgroup_migrate(struct folio *old, struct folio *new)
{
	struct mem_cgroup *memcg;

	memcg = folio_memcg(old);
	if (!memcg)
		return;

	/* Transfer the charge to the new folio. */
	commit_charge(new, memcg);
	/* be9581ea8c05: no unqueue here any more, the old folio left its queue in folio_migrate_mapping(), frozen. */
	old->memcg_data = 0;
}
