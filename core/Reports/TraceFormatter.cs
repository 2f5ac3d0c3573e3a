using System.Globalization;
using System.Text;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Memory;

namespace MmFuzz.Reports;

/// <summary>
/// Prints a recorded execution as a column-per-CPU trace in the style of the seed mail: one
/// kernel-level action per line (the accesses of one <c>list_move</c> folded together), the values
/// that matter (refcount before/after, the pointers written, a failed trylock), a <c>~</c> where the
/// scheduler preempted a CPU, and the oracle's message at the end. Plain ASCII.
/// </summary>
public static class TraceFormatter
{
    /// <summary>Formats <paramref name="events"/> for <paramref name="world"/> in at most <paramref name="width"/> columns.</summary>
    public static string Format(World world, IReadOnlyList<TraceEvent> events, Outcome outcome, int width = 100)
    {
        int ncpu = world.Scenario.Cpus.Length;
        int col = Math.Max(16, (width - (ncpu - 1)) / ncpu);
        var sb = new StringBuilder();
        AppendRow(sb, Enumerable.Range(1, ncpu).Select(i => $"CPU {i}").ToArray(), col, ncpu, -1);
        AppendRow(sb, Enumerable.Range(1, ncpu).Select(_ => new string('-', col)).ToArray(), col, ncpu, -1);
        var lastOp = new int[ncpu];
        Array.Fill(lastOp, -1);
        int i = 0;
        while (i < events.Count)
        {
            var e = events[i];
            int j = i + 1;
            while (j < events.Count && events[j].Cpu == e.Cpu && events[j].ActionSeq == e.ActionSeq && !events[j].Preempted)
                j++;
            if (lastOp[e.Cpu] != e.Pc)
            {
                lastOp[e.Cpu] = e.Pc;
                AppendCell(sb, e.Operation + ":", e.Cpu, col, ncpu);
            }
            var text = (e.Preempted ? "~ " : "  ") + Line(world, events, i, j);
            AppendCell(sb, text, e.Cpu, col, ncpu);
            i = j;
        }
        sb.AppendLine();
        Wrap(sb, outcome.Verdict == Verdict.Ok ? "no oracle fired" : $"CPU {(outcome.Cpu == 0 ? "-" : outcome.Cpu.ToString())}: {outcome.Message}", width);
        return sb.ToString();
    }

    /// <summary>Appends <paramref name="text"/> in lines of at most <paramref name="width"/> columns, continuation lines indented.</summary>
    public static void Wrap(StringBuilder sb, string text, int width)
    {
        foreach (var line in WrapLines(text, width))
            sb.AppendLine(line);
    }

    /// <summary>The lines of <paramref name="text"/> broken at <paramref name="width"/> columns, continuation lines indented by four spaces.</summary>
    static IEnumerable<string> WrapLines(string text, int width)
    {
        const string indent = "    ";
        int start = 0;
        bool first = true;
        while (start < text.Length)
        {
            int room = first ? width : width - indent.Length;
            int len = Math.Min(room, text.Length - start);
            if (start + len < text.Length)
                len = BreakAt(text, start, len, room);
            yield return (first ? "" : indent) + text.Substring(start, len).TrimEnd();
            start += len;
            while (start < text.Length && text[start] == ' ')
                start++;
            first = false;
        }
    }

    /// <summary>Step <paramref name="i"/> of <paramref name="events"/> in words: its operation, kernel action and access (the HTML timeline's cells).</summary>
    public static StepText Describe(World world, IReadOnlyList<TraceEvent> events, int i) =>
        new(events[i].Operation, Head(world, events[i]), Detail(world, events[i], events[i].Action, false));

    /// <summary>
    /// A short note on one recorded step for a regression file's step line: the CPU's operation and
    /// the kernel action the step belongs to, e.g. <c>deferred_split_scan: spin_lock_irqsave(memcg1.split_queue_lock)</c>.
    /// </summary>
    public static string StepNote(World world, TraceEvent e)
    {
        int paren = e.Operation.IndexOf('(');
        var operation = paren > 0 ? e.Operation[..paren] : e.Operation;
        var head = Head(world, e);
        return head.Length == 0 ? operation : $"{operation}: {head}";
    }

    static string Line(World world, IReadOnlyList<TraceEvent> events, int from, int to)
    {
        var first = events[from];
        var fn = first.Action;
        string head = Head(world, first);
        var details = new List<string>();
        bool writesShared = false;
        for (int k = from; k < to; k++)
        {
            var e = events[k];
            var field = world.Arena.Classify(e.Access.Addr).Field;
            writesShared |= e.Access.Op == AccessOp.Store && field is FieldKind.ListNext or FieldKind.ListPrev or FieldKind.QueueLen;
            // A refcount read followed by an atomic update of the same word says the same thing twice.
            bool superseded = e.Access.Op == AccessOp.Load && field == FieldKind.Refcount
                && events.Skip(k + 1).Take(to - k - 1).Any(x => x.Access.Addr == e.Access.Addr && x.Access.Op != AccessOp.Load);
            // The list primitives read a pointer twice (the CONFIG_DEBUG_LIST check, then the unlink): say it once.
            superseded |= e.Access.Op == AccessOp.Load && events.Skip(from).Take(k - from)
                .Any(x => x.Access.Op == AccessOp.Load && x.Access.Addr == e.Access.Addr && x.Before == e.Before);
            if (!superseded)
                details.Add(Detail(world, e, fn, true));
        }
        // Which lock is held matters for every write to a list or a queue length (the wrong-lock oracle's question).
        if (writesShared && !fn.Name.StartsWith("LIST_HEAD", StringComparison.Ordinal) && !fn.Name.StartsWith("INIT_LIST_HEAD", StringComparison.Ordinal))
            head += first.Held.Count == 0 ? " [no lock]" : $" [holds {string.Join(", ", first.Held.Select(ShortLock))}]";
        var d = string.Join(" ", details.Where(x => x.Length > 0));
        return d.Length == 0 ? head : $"{head}: {d}";
    }

    static string ShortLock(string name) => name.EndsWith(".split_queue_lock", StringComparison.Ordinal) ? name[..^".split_queue_lock".Length] + " lock" : name;

    static string Head(World world, TraceEvent first)
    {
        var fn = first.Action;
        string Sym(nint a) => world.Arena.ObjectAt(a) is var o && o >= 0 && world.Arena.Objects[o].Offset + world.Arena.Base == a
            && world.Arena.Objects[o].Kind == ObjectKind.Folio ? world.Arena.Objects[o].Name : world.Symbols.Symbol(a);
        return fn.Name switch
        {
            "spin_lock_irqsave" or "spin_unlock_irqrestore" => $"{fn.Name}({Sym(first.A0)})",
            "folio->memcg_data = 0" => $"{world.Symbols.Name(new FolioPtr(first.A0))}->memcg_data = 0",
            "folio->memcg_data = to" => $"{world.Symbols.Name(new FolioPtr(first.A0))}->memcg_data = {Sym(first.A1)}",
            "folio_try_get" or "folio_trylock" or "folio_lock" or "folio_unlock" or "folio_put_testzero" or "folio_get"
                or "folio_ref_freeze" or "folio_ref_unfreeze" or "folio_ref_count" or "folio_memcg" or "folio_order" or "folio_nid"
                or "folio_test" or "free_pages_prepare" => $"{fn.Name}({world.Symbols.Name(new FolioPtr(first.A0))})",
            "folio_ref_sub_and_test" => $"{fn.Name}({world.Symbols.Name(new FolioPtr(first.A0))}, {first.A1})",
            "split_queue_len--" or "split_queue_len++" => $"{Sym(first.A0)}{fn.Name[^2..]}",
            "list_move" or "list_move_tail" or "list_add" or "list_add_tail" or "list_splice_tail" => $"{fn.Name}({Sym(first.A0)}, {Sym(first.A1)})",
            "program" => "",
            _ => $"{fn.Name}({Sym(first.A0)})",
        };
    }

    /// <summary>
    /// One access in words. Stores: <c>A.next=B</c>. Pointer loads: <c>(A.next=B)</c> — always in the
    /// list primitives (CONFIG_DEBUG_LIST reads the neighbours' pointers), and as <c>-&gt; B</c> for the
    /// iteration helpers when <paramref name="folded"/>.
    /// </summary>
    static string Detail(World world, TraceEvent e, KernelFunction action, bool folded)
    {
        var a = e.Access;
        string Sym(ulong v) => world.Symbols.Symbol((nint)v);
        string target = world.Symbols.Symbol(a.Addr);
        var info = world.Arena.Classify(a.Addr);
        bool pointer = info.Field is FieldKind.ListNext or FieldKind.ListPrev;
        string Val(ulong v) => pointer ? Sym(v) : info.Field switch
        {
            FieldKind.Refcount or FieldKind.Mapcount => ((int)(uint)v).ToString(CultureInfo.InvariantCulture),
            FieldKind.QueueLen => ((long)v).ToString(CultureInfo.InvariantCulture),
            FieldKind.MemcgData => v == 0 ? "0" : Sym(v),
            FieldKind.NidOrder => FolioWords.Order(v).ToString(CultureInfo.InvariantCulture),     // the word holds nid (low half) and order (high half)
            FieldKind.Flags => $"0x{v:x}",
            FieldKind.SpinLock => v == 0 ? "unlocked" : $"held by CPU {v}",
            _ => v.ToString(CultureInfo.InvariantCulture),
        };
        string Field() => info.Field switch
        {
            FieldKind.ListNext => $"{target}.next",
            FieldKind.Flags when !target.Contains("->", StringComparison.Ordinal) => $"{target}->flags",
            _ => target,
        };
        switch (a.Op)
        {
            case AccessOp.Load:
                if (info.Field is FieldKind.Refcount)
                    return $"ref={Val(e.Before)}";
                if (!pointer)
                    return folded ? "" : $"({Field()}={Val(e.Before)})";
                if (folded && action.Name is "list_first_entry" or "list_next_entry" or "list_empty")
                    return $"-> {Val(e.Before)}";
                return $"({Field()}={Val(e.Before)})";
            case AccessOp.Store:
                return $"{Field()}={Val(a.A)}";
            case AccessOp.AddUnless:
            case AccessOp.AddReturn:
            case AccessOp.Cmpxchg:
                return e.Before == e.After ? $"ref {Val(e.Before)} (unchanged)" : $"ref {Val(e.Before)}->{Val(e.After)}";
            case AccessOp.SpinLock:
                return e.Failed ? "spins (held)" : folded ? "" : "acquired";
            case AccessOp.SpinUnlock:
                return folded ? "" : "released";
            case AccessOp.TestSetBitLock:
                return ((e.Before >> (int)a.A) & 1) != 0 ? (e.Failed ? "sleeps (locked)" : "fails (locked)") : "ok";
            default:
                return folded ? "" : Access.Name(a.Op);
        }
    }

    static void AppendCell(StringBuilder sb, string text, int cpu, int col, int ncpu)
    {
        var cells = new string[ncpu];
        foreach (var line in WrapLines(text, col))
        {
            Array.Fill(cells, "");
            cells[cpu] = line;
            AppendRow(sb, cells, col, ncpu, cpu);
        }
    }

    /// <summary>Length of the next line: up to a space if there is one late enough, else after '.', ',', '(' or '=', else a hard cut.</summary>
    static int BreakAt(string text, int start, int len, int room)
    {
        int sp = text.LastIndexOf(' ', start + len - 1, len);
        if (sp > start + room / 3)
            return sp - start + 1;
        for (int k = start + len - 1; k > start + room / 3; k--)
            if (text[k] is '.' or ',' or '(' or '=')
                return k - start + 1;
        return len;
    }

    static void AppendRow(StringBuilder sb, string[] cells, int col, int ncpu, int _)
    {
        var line = new StringBuilder();
        for (int c = 0; c < ncpu; c++)
        {
            var cell = cells[c].Length > col ? cells[c][..col] : cells[c];
            line.Append(c == ncpu - 1 ? cell : cell.PadRight(col + 1));
        }
        sb.AppendLine(line.ToString().TrimEnd());
    }
}
