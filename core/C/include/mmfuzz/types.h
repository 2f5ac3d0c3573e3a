/*
 * CUSTOMISED: the structures around the deferred split queue, laid out exactly as the model's arena
 * lays them out (core/Kernel: folio, list_head, deferred_split, mem_cgroup, pglist_data; checked
 * against core/Kernel/Offsets.cs by CHeaderLayoutTests). Only the fields the races touch exist;
 * the kernel's own helpers (folio_order(), folio_nid(), the page-flag tests) are the ports of
 * mmfuzz/mm.h, so no C here reads the model's private words directly.
 */
#ifndef MMFUZZ_TYPES_H
#define MMFUZZ_TYPES_H

typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;

/* spinlock_t: one int, 0 when free (the model's lock word). */
typedef struct spinlock { int lock; } spinlock_t;

struct list_head {
	struct list_head *next, *prev;
};

struct hlist_node { struct hlist_node *next, **pprev; };

/* struct page: only the head page's flags; page_folio() is a cast. */
struct page {
	unsigned long flags;
};

struct mem_cgroup;

/* struct folio (include/linux/mm_types.h): 64 bytes in the arena. */
struct folio {
	union {
		struct page page;
		unsigned long flags;			/* PG_locked, PG_large_rmappable */
	};
	atomic_t _refcount;				/* offset 8 */
	unsigned long memcg_data;			/* offset 16: the charged memcg, or 0 */
	/* Test fields: the words the ports read for folio_nid()/folio_order() and PG_partially_mapped. */
	unsigned long _mmfuzz_nid_order;		/* offset 24 */
	struct list_head _deferred_list;		/* offset 32 */
	unsigned long _mmfuzz_flags_1;			/* offset 48: PG_partially_mapped */
	atomic_t _mmfuzz_mapcount;			/* offset 56: mapped by page tables (a migration's destination) */
	int _mmfuzz_pad;
};

/* struct deferred_split (include/linux/mmzone.h): 32 bytes. */
struct deferred_split {
	spinlock_t split_queue_lock;			/* offset 0 */
	struct list_head split_queue;			/* offset 8 */
	unsigned long split_queue_len;			/* offset 24 */
};

/* struct pglist_data: NODE_DATA(nid) of the one node, 48 bytes. */
typedef struct pglist_data {
	long node_id;
	struct deferred_split deferred_split_queue;	/* offset 8 */
	long _mmfuzz_pad;
} pg_data_t;

/* struct cgroup_subsys_state: its flags word only (CSS_ONLINE, CSS_DYING). */
struct cgroup_subsys_state {
	unsigned int flags;
};
#define CSS_ONLINE (1 << 1)
#define CSS_DYING (1 << 4)

/* struct mem_cgroup: 48 bytes; css sits after the queue (the model keeps the struct's size). */
struct mem_cgroup {
	long _mmfuzz_id;
	struct deferred_split deferred_split_queue;	/* offset 8 */
	struct cgroup_subsys_state css;			/* offset 40 */
};

struct shrinker {
	int id;
};

/* struct shrink_control: built on the scanning CPU's stack by the shrinker call; the CPU's own. */
struct shrink_control {
	gfp_t gfp_mask;
	int nid;
	unsigned long nr_to_scan;
	unsigned long nr_scanned;
	struct mem_cgroup *memcg;
} __mmfuzz_private;

#define SHRINK_STOP (~0UL)
#define SHRINK_EMPTY (~0UL - 1)

/* struct folio_batch (include/linux/pagevec.h): on the caller's stack, the CPU's own. */
#define PAGEVEC_SIZE 31
struct folio_batch {
	unsigned char nr;
	unsigned char i;
	bool percpu_pvec_drained;
	struct folio *folios[PAGEVEC_SIZE];
} __mmfuzz_private;

/*
 * CUSTOMISED: release_pages_arg (include/linux/mm.h, up to v6.8) is a transparent union of arrays of
 * pages, folios and encoded pages; the model's callers give release_pages() their folio_batch, whose
 * folios[] is that array (the CPU's own memory: reading it is no scheduling point).
 */
typedef struct folio_batch *release_pages_arg;

/* Migration's modes and results (include/linux/migrate_mode.h, migrate.h). */
enum migrate_mode { MIGRATE_ASYNC, MIGRATE_SYNC_LIGHT, MIGRATE_SYNC };
#define MIGRATEPAGE_SUCCESS 0
#define MIGRATEPAGE_UNMAP 1

#endif
