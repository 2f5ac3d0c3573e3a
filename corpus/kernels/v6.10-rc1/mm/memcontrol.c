// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * MmFuzz's C rendering of uncharge_folio() of mm/memcontrol.c as it stands in v6.10-rc1 (torvalds/linux,
 * tag v6.10-rc1): 47932e7048df's assertion, with the hugetlb clause of the 6.10 window (quoted in
 * docs/SOURCES.md §3.5). Written for MmFuzz from that source and the hand port
 * KernelV6_9.uncharge_folio(); comments are ours. mem_cgroup_uncharge(), mem_cgroup_uncharge_folios()
 * and mem_cgroup_migrate() (which still unqueues, as in v6.9) stay ports: this state did not change them.
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
