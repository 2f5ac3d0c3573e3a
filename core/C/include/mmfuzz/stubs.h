/*
 * STUBBED: statistics, tracing and bookkeeping the races do not depend on. Each is a macro that
 * does not evaluate its arguments, so the counters and event names they mention need no declaration.
 */
#ifndef MMFUZZ_STUBS_H
#define MMFUZZ_STUBS_H

#define count_vm_event(...) do { } while (0)
#define count_vm_events(...) do { } while (0)
#define __count_vm_event(...) do { } while (0)
#define count_mthp_stat(...) do { } while (0)
#define mod_mthp_stat(...) do { } while (0)
#define count_memcg_event_mm(...) do { } while (0)
#define count_memcg_folio_events(...) do { } while (0)
#define node_stat_mod_folio(...) do { } while (0)
#define lruvec_stat_mod_folio(...) do { } while (0)
#define set_shrinker_bit(...) do { } while (0)
#define trace_mm_page_free(...) do { } while (0)
#define trace_mm_migrate_pages(...) do { } while (0)
#define mem_cgroup_charge_statistics(...) do { } while (0)
#define memcg_check_events(...) do { } while (0)

#endif
