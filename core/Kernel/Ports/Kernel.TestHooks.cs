using MmFuzz.Engine;

namespace MmFuzz.Kernel;

// TEST HOOKS, not kernel code: the points where the kernel's debug instrumentation would run,
// fired as tracepoints for the oracles (core/Oracles) to keep their shadow state. They change
// nothing the kernel does and are not scheduling points.
public abstract partial class Kernel
{
    /// <summary>After <c>list_add*(entry, head)</c>.</summary>
    protected void hook_list_linked(ListPtr entry, ListPtr head) => Cpu.Machine.Tracepoint(Cpu, Tracepoints.list_linked, entry.Addr, head.Addr);

    /// <summary>After <c>__list_del_entry(entry)</c> unlinked it.</summary>
    protected void hook_list_unlinked(ListPtr entry) => Cpu.Machine.Tracepoint(Cpu, Tracepoints.list_unlinked, entry.Addr);

    /// <summary>After <c>list_splice_tail(list, head)</c>.</summary>
    protected void hook_list_spliced(ListPtr list, ListPtr head) => Cpu.Machine.Tracepoint(Cpu, Tracepoints.list_spliced, list.Addr, head.Addr);

    /// <summary>A scan's <c>LIST_HEAD(list)</c> comes into scope.</summary>
    protected void hook_stack_list_enter(ListPtr list) => Cpu.Machine.Tracepoint(Cpu, Tracepoints.stack_list_enter, list.Addr);

    /// <summary>The scan that owns <paramref name="list"/> returns.</summary>
    protected void hook_stack_list_exit(ListPtr list) => Cpu.Machine.Tracepoint(Cpu, Tracepoints.stack_list_exit, list.Addr);

    /// <summary>The page allocator takes <paramref name="folio"/> back.</summary>
    protected void hook_page_free(FolioPtr folio) => Cpu.Machine.Tracepoint(Cpu, Tracepoints.mm_page_free, folio.Addr);
}
