// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * MmFuzz's C rendering of uncharge_folio() and mem_cgroup_migrate() of mm/memcontrol.c as they stand in
 * v6.12-rc1 (torvalds/linux, tag v6.12-rc1): uncharge_folio()'s assertion, which 8422acdc97ed limited to
 * partially mapped folios (the pre-image of e66f3185fa04 cited in docs/SOURCES.md §3.7), and
 * mem_cgroup_migrate() without an unqueue since be9581ea8c05 (v6.10). Written for MmFuzz from those
 * sources and the hand ports KernelV6_12Rc1.uncharge_folio(), Kernel.mem_cgroup_migrate() and
 * KernelV6_10.mem_cgroup_migrate_unqueue(); comments are ours.
 *
 * Left to the ports: mem_cgroup_uncharge(), mem_cgroup_uncharge_folios(), mem_cgroup_swapout(), and
 * the memcg v1 charge move (mm/memcontrol-v1.c since v6.11), which this state did not change.
 */
#include <linux/memcontrol.h>

/* The uncharge batch: its page counters are not modelled. */
struct uncharge_gather;

/*
 * CUSTOMISED: the part of uncharge_folio() the model runs. The caller found the folio charged
 * (folio_memcg()); the LRU assertion, the objcg and the gather's counters and css reference are not
 * modelled. A whole THP may still be queued here (nothing reports it); a partially mapped one may not.
 */
static void uncharge_folio(struct folio *folio, struct uncharge_gather *ug)
{
	VM_BUG_ON_FOLIO(folio_order(folio) > 1 &&
			!folio_test_hugetlb(folio) &&
			!list_empty(&folio->_deferred_list) &&
			folio_test_partially_mapped(folio), folio);

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

	/* Transfer the charge to the new folio; the old one left its queue in migration, frozen. */
	commit_charge(new, memcg);
	old->memcg_data = 0;
}
