using System.Text.RegularExpressions;
using MmFuzz.Memory;

namespace MmFuzz.Kernel;

/// <summary>
/// The names of one arena's addresses (a small kallsyms: "A", "A.prev", "memcg1.split_queue_lock",
/// "LIST_POISON1") and the kernel's formats for them in messages (<c>%px</c>, <c>bad_page()</c>'s text).
/// Addresses print as if the arena sat at a fixed kernel-looking address, so a message is the same
/// in every process.
/// </summary>
public sealed partial class Symbols(Arena arena, IReadOnlyList<int> folioObjects)
{
    /// <summary>Kernel-looking base of the arena in messages (the direct map).</summary>
    const ulong DisplayBase = 0xffff888100000000UL;

    /// <summary>The folio's name ("A").</summary>
    public string Name(FolioPtr folio)
    {
        int obj = arena.ObjectAt(folio.Addr);
        return obj >= 0 ? arena.Objects[obj].Name : Px(folio.Addr);
    }

    /// <summary>The kernel's <c>%px</c> of <paramref name="addr"/>.</summary>
    public string Px(nint addr)
    {
        long off = addr - arena.Base;
        ulong shown = off >= 0 && off < arena.Size ? DisplayBase + (ulong)off : (ulong)addr;
        return shown.ToString("x16");
    }

    /// <summary>A short symbolic name for an address or pointer value.</summary>
    public string Symbol(nint addr)
    {
        if (addr == 0)
            return "NULL";
        if (addr == Poison.LIST_POISON1.Addr)
            return "LIST_POISON1";
        if (addr == Poison.LIST_POISON2.Addr)
            return "LIST_POISON2";
        int obj = arena.ObjectAt(addr);
        if (obj < 0)
            return Px(addr);
        var o = arena.Objects[obj];
        int off = (int)(addr - arena.Base - o.Offset);
        switch (o.Kind)
        {
            case ObjectKind.Folio:
                if (off == 0) return o.Name;     // the folio itself (flags is its first field)
                if (off == Offsets.FolioDeferredList) return o.Name;
                if (off == Offsets.FolioDeferredList + 8) return $"{o.Name}.prev";
                if (off == Offsets.FolioRefcount) return $"{o.Name}->_refcount";
                if (off == Offsets.FolioMemcgData) return $"{o.Name}->memcg_data";
                if (off == Offsets.FolioNid) return $"{o.Name}->order";
                if (off == Offsets.FolioPartiallyMapped) return $"{o.Name}->partially_mapped";
                if (off == Offsets.FolioMapcount) return $"{o.Name}->_mapcount";
                break;
            case ObjectKind.CpuStack:
                return off == 0 ? o.Name : $"{o.Name}.prev";
            default:
                int q = off - Offsets.OwnerQueue;
                if (off == 0) return o.Name;
                if (q == 0) return $"{o.Name}.split_queue_lock";
                if (q == Offsets.QueueList) return $"{o.Name}.queue";
                if (q == Offsets.QueueList + 8) return $"{o.Name}.queue.prev";
                if (q == Offsets.QueueLen) return $"{o.Name}.split_queue_len";
                if (o.Kind == ObjectKind.MemCgroup && off == Offsets.MemcgCssFlags) return $"{o.Name}->css.flags";
                break;
        }
        return $"{o.Name}+{off}";
    }

    [GeneratedRegex("\\b(ffff888[0-9a-f]{9})\\b")]
    private static partial Regex PxPattern();

    /// <summary>Appends the symbols of every arena address a kernel message mentions: "[ffff888100000060=A, ...]".</summary>
    public string Annotate(string message)
    {
        var seen = new List<string>();
        foreach (Match m in PxPattern().Matches(message))
        {
            var a = (nint)((long)arena.Base + (long)(Convert.ToUInt64(m.Value, 16) - DisplayBase));
            var s = $"{m.Value}={Symbol(a)}";
            if (!seen.Contains(s))
                seen.Add(s);
        }
        return seen.Count == 0 ? message : $"{message} [{string.Join(", ", seen)}]";
    }

    /// <summary><c>bad_page()</c>'s text (mm/page_alloc.c): "BUG: Bad page state in process %s  pfn:%05lx" and the reason.</summary>
    public string BadPage(FolioPtr folio, int cpuNumber, string reason)
    {
        long pfn = 0x1000 + 0x10 * IndexOf(folio);
        return $"BUG: Bad page state in process cpu{cpuNumber}  pfn:{pfn:x5} page dumped because: {reason} ({Name(folio)})";
    }

    int IndexOf(FolioPtr folio)
    {
        int obj = arena.ObjectAt(folio.Addr);
        for (int i = 0; i < folioObjects.Count; i++)
            if (folioObjects[i] == obj)
                return i;
        return -1;
    }
}
