using System.Text;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Memory;

namespace MmFuzz.Trace;

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
        int col = Math.Max(24, (width - 1) / ncpu - 1);
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
        sb.AppendLine(outcome.Verdict == Verdict.Ok ? "no oracle fired" : $"CPU {(outcome.Cpu == 0 ? "-" : outcome.Cpu.ToString())}: {outcome.Message}");
        return sb.ToString();
    }

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

    /// <summary>The kernel action of <paramref name="first"/> with its arguments named.</summary>
    static string Head(World world, TraceEvent first)
    {
        var fn = first.Action;
        string Sym(nint a) => world.Arena.ObjectAt(a) is var o && o >= 0 && world.Arena.Objects[o].Offset + world.Arena.Base == a
            && world.Arena.Objects[o].Kind == ObjectKind.Folio ? world.Arena.Objects[o].Name : world.Symbol(a);
        return fn.Name switch
        {
            "spin_lock_irqsave" or "spin_unlock_irqrestore" => $"{fn.Name}({Sym(first.A0)})",
            "folio_try_get" or "folio_trylock" or "folio_lock" or "folio_unlock" or "folio_put_testzero" or "folio_get"
                or "folio_ref_freeze" or "folio_ref_unfreeze" or "folio_ref_count" or "folio_memcg" or "folio_order" or "folio_nid"
                or "folio_test" or "free_pages_prepare" or "folio->memcg_data = 0" => $"{fn.Name}({world.Name(new FolioPtr(first.A0))})",
            "folio_ref_sub_and_test" => $"{fn.Name}({world.Name(new FolioPtr(first.A0))}, {first.A1})",
            "split_queue_len--" or "split_queue_len++" => $"{Sym(first.A0)}{fn.Name[^2..]}",
            "list_move" or "list_move_tail" or "list_add" or "list_add_tail" or "list_splice_tail" => $"{fn.Name}({Sym(first.A0)}, {Sym(first.A1)})",
            "program" => "",
            _ => $"{fn.Name}({Sym(first.A0)})",
        };
    }

    static string Line(World world, IReadOnlyList<TraceEvent> events, int from, int to)
    {
        var first = events[from];
        var fn = first.Action;
        string head = Head(world, first);
        var details = new List<string>();
        for (int k = from; k < to; k++)
            details.Add(Detail(world, events[k], fn));
        var d = string.Join(" ", details.Where(x => x.Length > 0));
        return d.Length == 0 ? head : $"{head}: {d}";
    }

    static string Detail(World world, TraceEvent e, KernelFunction action)
    {
        var a = e.Access;
        string Sym(ulong v) => world.Symbol((nint)v);
        string target = world.Symbol(a.Addr);
        var info = world.Arena.Classify(a.Addr);
        bool pointer = info.Field is FieldKind.ListNext or FieldKind.ListPrev;
        string Val(ulong v) => pointer ? Sym(v) : info.Field == FieldKind.Refcount ? ((int)(uint)v).ToString() : v.ToString();
        string Field() => info.Field == FieldKind.ListNext ? $"{target}.next" : target;
        switch (a.Op)
        {
            case AccessOp.Load:
                if (info.Field is FieldKind.Refcount)
                    return $"ref={Val(e.Before)}";
                return pointer && action.Name is "list_first_entry" or "list_next_entry" or "list_empty" ? $"-> {Val(e.Before)}" : "";
            case AccessOp.Store:
                return $"{Field()}={Val(a.A)}";
            case AccessOp.AddUnless:
            case AccessOp.AddReturn:
            case AccessOp.Cmpxchg:
                return e.Before == e.After ? $"ref {Val(e.Before)} (unchanged)" : $"ref {Val(e.Before)}->{Val(e.After)}";
            case AccessOp.SpinLock:
                return e.Failed ? "spins (held)" : "";
            case AccessOp.TestSetBitLock:
                return ((e.Before >> (int)a.A) & 1) != 0 ? (e.Failed ? "sleeps (locked)" : "fails (locked)") : "ok";
            default:
                return "";
        }
    }

    static void AppendCell(StringBuilder sb, string text, int cpu, int col, int ncpu)
    {
        var cells = new string[ncpu];
        int start = 0;
        bool firstLine = true;
        while (start < text.Length)
        {
            int len = Math.Min(col, text.Length - start);
            if (start + len < text.Length)
            {
                int sp = text.LastIndexOf(' ', start + len - 1, len);
                if (sp > start + col / 3)
                    len = sp - start + 1;
            }
            Array.Fill(cells, "");
            cells[cpu] = (firstLine ? "" : "    ") + text.Substring(start, len).TrimEnd();
            AppendRow(sb, cells, col, ncpu, cpu);
            start += len;
            firstLine = false;
        }
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
