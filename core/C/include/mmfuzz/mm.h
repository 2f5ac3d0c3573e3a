/*
 * Folios, locks, refcounts, page flags, memcg and the node: include/linux/{mm,page_ref,pagemap,
 * page-flags,spinlock,memcontrol,huge_mm,mmzone}.h. PORTED functions run the model's C# port of the
 * same name for the kernel state the C is loaded over (its --base); DUPLICATED ones are C here.
 */
#ifndef MMFUZZ_MM_H
#define MMFUZZ_MM_H

/* Locks (include/linux/spinlock.h): a failed attempt spins as the model's spinlock does. */
__mmfuzz_port void spin_lock(spinlock_t *lock);
__mmfuzz_port void spin_unlock(spinlock_t *lock);
#define spin_lock_irqsave(lock, flags) do { (void)(flags); spin_lock(lock); } while (0)
#define spin_unlock_irqrestore(lock, flags) do { (void)(flags); spin_unlock(lock); } while (0)
#define spin_lock_irq(lock) spin_lock(lock)
#define spin_unlock_irq(lock) spin_unlock(lock)
#define local_irq_save(flags) do { (void)(flags); } while (0)
#define local_irq_restore(flags) do { (void)(flags); } while (0)
#define rcu_read_lock() do { } while (0)
#define rcu_read_unlock() do { } while (0)

/* Refcounts (include/linux/page_ref.h, mm.h). */
__mmfuzz_port int folio_ref_count(const struct folio *folio);
__mmfuzz_port bool folio_try_get(struct folio *folio);
__mmfuzz_port void folio_get(struct folio *folio);
__mmfuzz_port void folio_put(struct folio *folio);
__mmfuzz_port bool folio_put_testzero(struct folio *folio);
__mmfuzz_port bool folio_ref_sub_and_test(struct folio *folio, int nr);
__mmfuzz_port bool folio_ref_freeze(struct folio *folio, int count);
__mmfuzz_port void folio_ref_unfreeze(struct folio *folio, int count);
#define folio_ref_zero_or_close_to_overflow(folio) (folio_ref_count(folio) + 127u <= 127u)
/* DUPLICATED: page_ref_count() (include/linux/page_ref.h); the head page's count is the folio's. */
#define page_ref_count(page) folio_ref_count(page_folio(page))

/* The folio lock (include/linux/pagemap.h, mm/filemap.c). */
__mmfuzz_port bool folio_trylock(struct folio *folio);
__mmfuzz_port void folio_lock(struct folio *folio);
__mmfuzz_port void folio_unlock(struct folio *folio);
__mmfuzz_port bool folio_test_locked(const struct folio *folio);

/* Page flags and geometry (include/linux/page-flags.h, mm.h). */
__mmfuzz_port int folio_order(const struct folio *folio);
__mmfuzz_port int folio_nid(const struct folio *folio);
__mmfuzz_port bool folio_test_large(const struct folio *folio);
__mmfuzz_port bool folio_test_large_rmappable(const struct folio *folio);
__mmfuzz_port bool folio_test_partially_mapped(const struct folio *folio);
/*
 * v6.12's non-atomic __set_bit()/__clear_bit() forms and v6.13's atomic ones (42b2eb69835b), as the
 * model's two seams that set or clear the flag (docs/KERNEL.md §5).
 */
__mmfuzz_port void mmfuzz_folio_change_partially_mapped(struct folio *folio, bool set);
__mmfuzz_port void mmfuzz___folio_change_partially_mapped(struct folio *folio, bool set);
static inline void __folio_set_partially_mapped(struct folio *folio) { mmfuzz___folio_change_partially_mapped(folio, true); }
static inline void __folio_clear_partially_mapped(struct folio *folio) { mmfuzz___folio_change_partially_mapped(folio, false); }
static inline void folio_set_partially_mapped(struct folio *folio) { mmfuzz_folio_change_partially_mapped(folio, true); }
static inline void folio_clear_partially_mapped(struct folio *folio) { mmfuzz_folio_change_partially_mapped(folio, false); }
#define folio_test_swapcache(folio) false
#define folio_test_hugetlb(folio) false
#define folio_test_anon(folio) true
#define folio_test_pmd_mappable(folio) true
#define folio_test_mlocked(folio) false
#define folio_nr_pages(folio) (1L << folio_order(folio))
#define page_folio(p) ((struct folio *)(p))
#define folio_page(folio, n) (&(folio)->page)

/*
 * CUSTOMISED: the bits of folio->flags the model keeps (core/Kernel/PageFlags.cs). Of the flags
 * free_pages_prepare() wants clear at free (PAGE_FLAGS_CHECK_AT_FREE), PG_locked is the one it has.
 */
#define PG_locked 0
#define PAGE_FLAGS_CHECK_AT_FREE (1UL << PG_locked)

/*
 * bad_page() (mm/page_alloc.c): "BUG: Bad page state" with its reason, for the folio the page belongs
 * to; the CPU stops there, as at any bug the model reports.
 */
void __mmfuzz_bad_page(struct page *page, const char *reason);
#define bad_page(page, reason) __mmfuzz_bad_page(page, reason)


/* The node and the memcg (include/linux/mmzone.h, memcontrol.h). */
struct pglist_data *__mmfuzz_node_data(int nid);
#define NODE_DATA(nid) __mmfuzz_node_data(nid)
__mmfuzz_port struct mem_cgroup *folio_memcg(struct folio *folio);
struct mem_cgroup *__mmfuzz_parent_mem_cgroup(struct mem_cgroup *memcg);
static inline bool folio_memcg_charged(struct folio *folio) { return folio_memcg(folio) != NULL; }
#define parent_mem_cgroup(memcg) __mmfuzz_parent_mem_cgroup(memcg)
/*
 * CUSTOMISED: an uncharged folio of a scenario (on the node queue) stands for a system where memcg
 * does not charge it, so the warnings a memcg-enabled kernel gives for an uncharged folio stay silent,
 * as in the hand ports.
 */
#define mem_cgroup_disabled() true
#define mem_cgroup_from_css(css) container_of(css, struct mem_cgroup, css)
/* DUPLICATED: css_is_dying() tests CSS_DYING with a plain read (a22b3d54de94, v6.15); memcg_is_dying() as in memcontrol.h. */
static inline bool css_is_dying(struct cgroup_subsys_state *css) { return css->flags & CSS_DYING; }
static inline bool memcg_is_dying(struct mem_cgroup *memcg) { return memcg ? css_is_dying(&memcg->css) : false; }
#define spin_lock_nested(lock, subclass) spin_lock(lock)
#define SINGLE_DEPTH_NESTING 1
#define for_each_node(nid) for ((nid) = 0; (nid) < 1; (nid)++)
#define shrinker_id(shrinker) 0

/* The split (include/linux/huge_mm.h): split_folio() is the port of the deferred-list part of the split. */
__mmfuzz_port int split_folio(struct folio *folio);
/* CUSTOMISED: split_folio_to_list(); the list the split pages go on is not modelled. */
#define split_folio_to_list(folio, list) split_folio(folio)

#define HPAGE_PMD_NR 512


/* DUPLICATED: include/linux/pagevec.h's folio_batch helpers, on the CPU's own batch. */
static inline void folio_batch_init(struct folio_batch *fbatch) { fbatch->nr = 0; fbatch->i = 0; fbatch->percpu_pvec_drained = false; }
static inline void folio_batch_reinit(struct folio_batch *fbatch) { fbatch->nr = 0; fbatch->i = 0; }
static inline unsigned int folio_batch_count(const struct folio_batch *fbatch) { return fbatch->nr; }
static inline unsigned int folio_batch_space(const struct folio_batch *fbatch) { return PAGEVEC_SIZE - fbatch->nr; }
static inline unsigned folio_batch_add(struct folio_batch *fbatch, struct folio *folio)
{
	fbatch->folios[fbatch->nr++] = folio;
	return folio_batch_space(fbatch);
}

/* PORTED: the batch free (mm/swap.c) and its inline caller (include/linux/mm.h). */
__mmfuzz_port void folios_put_refs(struct folio_batch *folios, unsigned int *refs);
static inline void folios_put(struct folio_batch *folios) { folios_put_refs(folios, NULL); }

#endif
