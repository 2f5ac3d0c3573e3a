using MmFuzz.Engine;

namespace MmFuzz.Kernel;

/// <summary>
/// The points of the simulated kernel that its oracles watch (<see cref="Kernel"/>'s test hooks fire
/// them). Each names where the real kernel's debug instrumentation would run: KASAN's stack and page
/// poisoning, and the list-membership bookkeeping that lets the wrong-lock oracle know which lock
/// guards a <c>list_head</c>.
/// </summary>
public static class Tracepoints
{
    /// <summary><c>list_add()</c> / <c>list_add_tail()</c> linked entry (a0) on the list of head (a1).</summary>
    public static readonly Tracepoint list_linked = new("list_linked");

    /// <summary><c>__list_del_entry()</c> unlinked entry (a0).</summary>
    public static readonly Tracepoint list_unlinked = new("list_unlinked");

    /// <summary><c>list_splice_tail()</c> moved every entry of list (a0) to the list of head (a1).</summary>
    public static readonly Tracepoint list_spliced = new("list_spliced");

    /// <summary><c>deferred_split_scan()</c>'s <c>LIST_HEAD(list)</c> (a0) came into scope on the CPU's stack.</summary>
    public static readonly Tracepoint stack_list_enter = new("stack_list_enter");

    /// <summary><c>deferred_split_scan()</c> returned: its on-stack list (a0) is out of scope.</summary>
    public static readonly Tracepoint stack_list_exit = new("stack_list_exit");

    /// <summary>
    /// A folio (a0) goes back to the page allocator (after <c>free_pages_prepare()</c>), as the
    /// kernel's <c>trace_mm_page_free()</c>: KASAN poisons it, and the free-time checks look at it.
    /// </summary>
    public static readonly Tracepoint mm_page_free = new("mm_page_free");
}
