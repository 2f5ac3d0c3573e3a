using MmFuzz.Engine;

namespace MmFuzz.Kernel;

/// <summary>The kernel functions the ports enter, as the tracer names them.</summary>
public static class Fn
{
#pragma warning disable CS1591 // each field is the kernel function of the same name
    // include/linux/list.h and lib/list_debug.c: one trace line each.
    public static readonly KernelFunction LIST_HEAD = new("LIST_HEAD", true);
    public static readonly KernelFunction INIT_LIST_HEAD = new("INIT_LIST_HEAD", true);
    public static readonly KernelFunction list_add = new("list_add", true);
    public static readonly KernelFunction list_add_tail = new("list_add_tail", true);
    public static readonly KernelFunction list_del = new("list_del", true);
    public static readonly KernelFunction list_del_init = new("list_del_init", true);
    public static readonly KernelFunction list_move = new("list_move", true);
    public static readonly KernelFunction list_move_tail = new("list_move_tail", true);
    public static readonly KernelFunction list_splice_tail = new("list_splice_tail", true);
    public static readonly KernelFunction list_empty = new("list_empty", true);
    public static readonly KernelFunction list_first_entry = new("list_first_entry", true);
    public static readonly KernelFunction list_next_entry = new("list_next_entry", true);
    public static readonly KernelFunction __list_add = new("__list_add", false);
    public static readonly KernelFunction __list_del_entry = new("__list_del_entry", false);
    public static readonly KernelFunction __list_del = new("__list_del", false);
    public static readonly KernelFunction __list_add_valid = new("__list_add_valid_or_report", false);
    public static readonly KernelFunction __list_del_entry_valid = new("__list_del_entry_valid_or_report", false);

    // Locks, refcounts, flags: one trace line each.
    public static readonly KernelFunction spin_lock = new("spin_lock_irqsave", true);
    public static readonly KernelFunction spin_unlock = new("spin_unlock_irqrestore", true);
    public static readonly KernelFunction folio_try_get = new("folio_try_get", true);
    public static readonly KernelFunction folio_get = new("folio_get", true);
    public static readonly KernelFunction folio_put_testzero = new("folio_put_testzero", true);
    public static readonly KernelFunction folio_ref_sub_and_test = new("folio_ref_sub_and_test", true);
    public static readonly KernelFunction folio_ref_freeze = new("folio_ref_freeze", true);
    public static readonly KernelFunction folio_ref_unfreeze = new("folio_ref_unfreeze", true);
    public static readonly KernelFunction folio_ref_count = new("folio_ref_count", true);
    public static readonly KernelFunction folio_trylock = new("folio_trylock", true);
    public static readonly KernelFunction folio_lock = new("folio_lock", true);
    public static readonly KernelFunction folio_unlock = new("folio_unlock", true);
    public static readonly KernelFunction folio_test_flag = new("folio_test", true);
    public static readonly KernelFunction folio_order = new("folio_order", true);
    public static readonly KernelFunction folio_memcg = new("folio_memcg", true);
    public static readonly KernelFunction folio_nid = new("folio_nid", true);
    public static readonly KernelFunction split_queue_len_dec = new("split_queue_len--", true);
    public static readonly KernelFunction split_queue_len_inc = new("split_queue_len++", true);
    public static readonly KernelFunction memcg_data_clear = new("folio->memcg_data = 0", true);
    public static readonly KernelFunction check_free_page = new("free_pages_prepare", true);

    // Composite functions: they name a block of lines.
    public static readonly KernelFunction deferred_split_scan = new("deferred_split_scan", false);
    public static readonly KernelFunction lost_race = new("/* We lost race with folio_put() */", false);
    public static readonly KernelFunction deferred_split_folio = new("deferred_split_folio", false);
    public static readonly KernelFunction get_deferred_split_queue = new("get_deferred_split_queue", false);
    public static readonly KernelFunction split_folio = new("split_folio", false);
    public static readonly KernelFunction folio_put = new("folio_put", false);
    public static readonly KernelFunction folios_put_refs = new("folios_put_refs", false);
    public static readonly KernelFunction __folio_put = new("__folio_put", false);
    public static readonly KernelFunction folio_undo_large_rmappable = new("folio_undo_large_rmappable", false);
    public static readonly KernelFunction mem_cgroup_uncharge = new("mem_cgroup_uncharge", false);
    public static readonly KernelFunction mem_cgroup_uncharge_folios = new("mem_cgroup_uncharge_folios", false);
    public static readonly KernelFunction free_unref_folios = new("free_unref_folios", false);
    public static readonly KernelFunction free_unref_page = new("free_unref_page", false);
    public static readonly KernelFunction program = new("program", false);
    public static readonly KernelFunction mmfuzz_split_folio_other_path = new("split_folio (other path)", false);
    public static readonly KernelFunction migrate_folio = new("migrate_folio", false);
    public static readonly KernelFunction migrate_folio_unmap = new("migrate_folio_unmap", false);
    public static readonly KernelFunction migrate_folio_move = new("migrate_folio_move", false);
    public static readonly KernelFunction try_split_folio = new("try_split_folio", false);
    public static readonly KernelFunction shrink_folio_list = new("shrink_folio_list", false);
    public static readonly KernelFunction mem_cgroup_swapout = new("mem_cgroup_swapout", false);
    public static readonly KernelFunction folio_migrate_mapping = new("folio_migrate_mapping", false);
    public static readonly KernelFunction mem_cgroup_migrate = new("mem_cgroup_migrate", false);
    public static readonly KernelFunction commit_charge = new("commit_charge", true);
    public static readonly KernelFunction migrate_folio_undo_dst = new("migrate_folio_undo_dst", false);
    public static readonly KernelFunction remove_migration_ptes = new("remove_migration_ptes", false);
    public static readonly KernelFunction zap_pte_range = new("zap_pte_range", false);
    public static readonly KernelFunction src_deferred_split = new("/* record src's deferred split state */", false);
    public static readonly KernelFunction migrate_deferred_check = new("/* is_on_deferred_list check */", false);
    public static readonly KernelFunction folio_unqueue_deferred_split = new("folio_unqueue_deferred_split", false);
    public static readonly KernelFunction folio_clear_partially_mapped = new("__folio_clear_partially_mapped", true);
    public static readonly KernelFunction folio_set_partially_mapped = new("folio_set_partially_mapped", true);
    public static readonly KernelFunction mmfuzz_split_queue_len_sub = new("split_queue_len -= removed", true);
    public static readonly KernelFunction folio_batch_add = new("folio_batch_add", true);
    public static readonly KernelFunction lost_race_or_batched = new("/* off the queue, under the lock */", false);
    public static readonly KernelFunction mem_cgroup_move_charge_pte_range = new("mem_cgroup_move_charge_pte_range", false);
    public static readonly KernelFunction get_mctgt_type_thp = new("get_mctgt_type_thp", false);
    public static readonly KernelFunction get_mctgt_type = new("get_mctgt_type", false);
    public static readonly KernelFunction mem_cgroup_move_account = new("mem_cgroup_move_account", false);
    public static readonly KernelFunction memcg_data_move = new("folio->memcg_data = to", true);
    public static readonly KernelFunction unmap_folio = new("unmap_folio", false);
    public static readonly KernelFunction remap_page = new("remap_page", false);
    public static readonly KernelFunction list_splice_tail_init = new("list_splice_tail_init", true);
    public static readonly KernelFunction memcg_offline = new("memcg_offline", false);
    public static readonly KernelFunction kill_css = new("kill_css", false);
    public static readonly KernelFunction memcg_is_dying = new("memcg_is_dying", true);
    public static readonly KernelFunction split_queue_lock = new("split_queue_lock_irqsave", false);
    public static readonly KernelFunction reparent_deferred_split_queue = new("reparent_deferred_split_queue", false);
    public static readonly KernelFunction split_queue_len_move = new("parent->split_queue_len += split_queue_len", true);
#pragma warning restore CS1591
}
