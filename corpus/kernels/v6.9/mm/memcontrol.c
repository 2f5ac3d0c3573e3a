// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * MmFuzz's C rendering of uncharge_folio() of mm/memcontrol.c as it stands in v6.9 (torvalds/linux,
 * tag v6.9), with the assertion 47932e7048df "mm: remove folio from deferred split list before
 * uncharging it" added (cited in docs/SOURCES.md §3.4). Written for MmFuzz from that source and
 * the hand port core/Kernel/States/KernelV6_9.cs; comments are ours. Its caller, mem_cgroup_uncharge()
 * (include/linux/memcontrol.h, __mem_cgroup_uncharge()), and mem_cgroup_uncharge_folios() stay ports:
 * v6.9 did not change them.
 */
#include <linux/memcontrol.h>

/* The uncharge batch: its page counters are not modelled. */
struct uncharge_gather;

/*
 * CUSTOMISED: the part of uncharge_folio() the model runs. The caller found the folio charged
 * (folio_memcg()); the LRU assertion, the objcg and the gather's counters and css reference are not
 * modelled. 47932e7048df unqueues before uncharging, so a large folio must be off every queue here.
 */
static void uncharge_folio(struct folio *folio, struct uncharge_gather *ug)
{
	VM_BUG_ON_FOLIO(folio_order(folio) > 1 &&
			!list_empty(&folio->_deferred_list), folio);

	folio->memcg_data = 0;
}
