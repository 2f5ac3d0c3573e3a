using System.Runtime.InteropServices;

namespace MmFuzz.Kernel;

#pragma warning disable CS8981 // kernel struct names are lower case on purpose

// PORTED (layout subset): the kernel structures around the THP deferred split queue, with kernel
// field names. Only the fields the races touch are modelled; every field is 8-byte aligned so the
// arena's shadow map can name the field behind any address. Raw pointers link them, as in the
// kernel. No code here dereferences anything: see Memory/Arena.cs.

/// <summary>
/// The part of <c>struct folio</c> (include/linux/mm_types.h) the deferred split races touch.
/// In the kernel <c>_deferred_list</c> lives in the folio's third page and the order in its second;
/// here they are fields of one struct.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
public unsafe struct folio
{
    /// <summary><c>folio->flags</c>: PG_locked, PG_large_rmappable, PG_partially_mapped (see <see cref="PageFlags"/>).</summary>
    [FieldOffset(0)] public ulong flags;
    /// <summary><c>folio->_refcount</c> (<c>atomic_t</c>).</summary>
    [FieldOffset(8)] public int _refcount;
    /// <summary><c>folio->memcg_data</c>: the charged <c>struct mem_cgroup *</c>, or 0 when uncharged.</summary>
    [FieldOffset(16)] public mem_cgroup* memcg_data;
    /// <summary><c>folio_nid(folio)</c>.</summary>
    [FieldOffset(24)] public int nid;
    /// <summary><c>folio_order(folio)</c>.</summary>
    [FieldOffset(28)] public int order;
    /// <summary><c>folio->_deferred_list</c>.</summary>
    [FieldOffset(32)] public list_head _deferred_list;
    /// <summary>
    /// PG_partially_mapped (v6.12+). In the kernel it is a bit of the second page's flags
    /// (<c>_flags_1</c>), the word that also holds the order; here it has a word of its own, so a
    /// plain read of the order never appears to race with an update of this bit (atomic bitops on
    /// other bits of a word are not data races). The non-atomic <c>__folio_clear_partially_mapped()</c>
    /// of v6.12-rc1 losing a concurrent update of another bit (42b2eb69835b) is therefore not modelled.
    /// </summary>
    [FieldOffset(48)] public ulong partially_mapped_flags;
    /// <summary>
    /// Whether page tables map the folio: the model's stand-in for <c>_large_mapcount</c> and
    /// <c>_nr_pages_mapped</c> (counted from 0, an <c>atomic_t</c>), kept only for a migration's
    /// destination, which <c>remove_migration_ptes()</c> maps (docs/KERNEL.md §2.5). Every other folio's
    /// mappings are the references its scenario gives the CPUs, and this word stays 0.
    /// </summary>
    [FieldOffset(56)] public int _mapcount;
}
