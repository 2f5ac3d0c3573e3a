using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Oracles;

/// <summary>
/// "BUG: Bad page state ... on deferred list": a folio that goes back to the page allocator while its
/// <c>_deferred_list</c> is still linked. This is the check <c>free_tail_page_prepare()</c> gained in
/// the v6.10 merge window, applied here to every variant as an oracle (the ports of v6.10-rc1 and
/// later also run the kernel's own check, earlier, in <c>free_pages_prepare()</c>). A refused page is
/// not freed.
/// </summary>
public sealed class BadPageOracle(World world) : Oracle
{
    /// <inheritdoc/>
    public override void OnTracepoint(Cpu cpu, Tracepoint tracepoint, nint a0, nint a1)
    {
        if (tracepoint != Tracepoints.mm_page_free)
            return;
        var folio = new FolioPtr(a0);
        var list = folio.DeferredList;
        Touch(Locations.Word(list.Next.Addr), false);
        var linkedTo = (nint)world.Arena.Read(list.Next.Addr, 8);
        if (linkedTo == list.Addr || linkedTo == Poison.LIST_POISON1.Addr)
            return;
        Machine.Report(BugKind.BadPageState, world.Symbols.BadPage(folio, cpu.Number, "on deferred list") +
            $" ({world.Symbols.Name(folio)}->_deferred_list.next = {world.Symbols.Symbol(linkedTo)})", cpu);
    }
}
