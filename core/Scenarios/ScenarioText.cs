namespace MmFuzz.Scenarios;

/// <summary>
/// The text form of a scenario, as kernel calls, used in regression files and descriptions:
/// <code>
/// folio A ref=2 memcg=memcg1 queue=memcg1 order=2 locked partially-mapped
/// cpu 1: deferred_split_scan(memcg1, nr_to_scan=32)
/// cpu 2: folio_lock(A); folio_unlock(A); folio_put(A)
/// </code>
/// </summary>
public static class ScenarioText
{
    /// <summary>At most this many CPUs in a scenario (the machine's).</summary>
    public const int MaxCpus = 8;

    /// <summary>At most this many folios in a scenario (an arena's objects, with room for the queues).</summary>
    public const int MaxFolios = 64;

    /// <summary>Renders the folio and CPU lines (without a trailing newline).</summary>
    public static IEnumerable<string> Render(Scenario s)
    {
        foreach (var f in s.Folios)
            yield return $"folio {f.Name} ref={f.Refcount} memcg={QueueName(f.Memcg)} queue={QueueName(f.Queue)} order={f.Order}{(f.Locked ? " locked" : "")}{(f.PartiallyMapped ? " partially-mapped" : "")}{(f.Underused ? " underused" : "")}";
        for (int c = 0; c < s.Cpus.Length; c++)
            yield return $"cpu {c + 1}: " + string.Join("; ", s.Cpus[c].Select(op => OpText(op, s.Folios)));
    }

    /// <summary>A one-line description of a scenario (folios, then one program per CPU).</summary>
    public static string Describe(FolioSpec[] folios, Op[][] programs)
    {
        var fs = string.Join(" ", folios.Select(f =>
            $"{f.Name}(ref {f.Refcount}, {(f.Memcg == QueueId.None ? "uncharged" : QueueName(f.Memcg))}, {(f.Queue == QueueId.None ? "unqueued" : "on " + QueueName(f.Queue))}{(f.Locked ? ", locked" : "")}{(f.PartiallyMapped ? ", partially mapped" : "")}{(f.Underused ? ", underused" : "")})"));
        var ps = string.Join("; ", programs.Select((p, c) => $"CPU {c + 1}: " + string.Join(", ", p.Select(op => OpText(op, folios)))));
        return fs + "; " + ps;
    }

    /// <summary>An operation as the kernel call it stands for.</summary>
    public static string OpText(Op op, IReadOnlyList<FolioSpec> folios)
    {
        string F(int i) => folios[i].Name;
        return op.Kind switch
        {
            OpKind.Scan => $"deferred_split_scan({QueueName(op.Queue)}, nr_to_scan={op.NrToScan})",
            OpKind.FolioPut => $"folio_put({F(op.Folios[0])})",
            OpKind.FoliosPutRefs => $"folios_put_refs({string.Join(",", op.Folios.Select(F))})",
            OpKind.FolioGet => $"folio_get({F(op.Folios[0])})",
            OpKind.FolioLock => $"folio_lock({F(op.Folios[0])})",
            OpKind.FolioUnlock => $"folio_unlock({F(op.Folios[0])})",
            OpKind.DeferredSplitFolio => $"deferred_split_folio({F(op.Folios[0])}, {(op.PartiallyMapped ? "true" : "false")})",
            OpKind.SplitFolio => $"split_folio({F(op.Folios[0])})",
            OpKind.MigrateFolio => op.Folios.Length == 2 ? $"migrate_folio({F(op.Folios[0])}, {F(op.Folios[1])})" : $"migrate_folio({F(op.Folios[0])})",
            OpKind.Swapout => $"swapout({F(op.Folios[0])})",
            OpKind.MoveCharge => $"move_charge({F(op.Folios[0])}, {QueueName(op.Queue)})",
            OpKind.MemcgOffline => $"memcg_offline({QueueName(op.Queue)})",
            OpKind.Unmap => $"unmap_part({F(op.Folios[0])})",
            _ => throw new ArgumentOutOfRangeException(nameof(op), op.Kind, "unknown operation"),
        };
    }

    /// <summary>The name of a queue (or memcg) in scenario text: node0, memcg1, memcg2, none.</summary>
    public static string QueueName(QueueId q) => q switch
    {
        QueueId.Node0 => "node0",
        QueueId.Memcg1 => "memcg1",
        QueueId.Memcg2 => "memcg2",
        _ => "none",
    };

    static QueueId? ParseQueue(string s) => s switch
    {
        "node0" => QueueId.Node0,
        "memcg1" => QueueId.Memcg1,
        "memcg2" => QueueId.Memcg2,
        "none" => QueueId.None,
        _ => null,
    };

    /// <summary>
    /// Builds a scenario from folio and CPU lines; <paramref name="lines"/> pairs each line with its
    /// line number, and errors name <paramref name="path"/> and that line.
    /// </summary>
    public static Scenario Parse(string name, string description, IReadOnlyList<(int Line, string Text)> lines, string path)
    {
        var folios = new List<FolioSpec>();
        var cpus = new List<Op[]>();
        foreach (var (lineNo, text) in lines)
        {
            FormatException Error(string what) => new($"{path}:{lineNo}: {what}");
            var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts[0] == "folio")
            {
                if (cpus.Count > 0)
                    throw Error("folio lines come before cpu lines");
                if (parts.Length < 2 || parts[1].Length == 0 || !char.IsLetter(parts[1][0]))
                    throw Error("expected 'folio NAME ref=N memcg=Q queue=Q [order=N] [locked] [partially-mapped] [underused]'");
                if (folios.Count == MaxFolios)
                    throw Error($"more than {MaxFolios} folios");
                if (folios.Any(f => f.Name == parts[1]))
                    throw Error($"folio '{parts[1]}' declared twice");
                int? refs = null, order = 2;
                QueueId? memcg = null, queue = null;
                bool locked = false, partial = false, underused = false;
                foreach (var p in parts.Skip(2))
                {
                    var kv = p.Split('=', 2);
                    switch (kv[0])
                    {
                        case "ref" when kv.Length == 2 && int.TryParse(kv[1], out var r) && r >= 0: refs = r; break;
                        case "order" when kv.Length == 2 && int.TryParse(kv[1], out var o) && o is >= 0 and <= 9: order = o; break;
                        case "memcg" when kv.Length == 2 && ParseQueue(kv[1]) is { } m && m != QueueId.Node0: memcg = m; break;
                        case "queue" when kv.Length == 2 && ParseQueue(kv[1]) is { } q: queue = q; break;
                        case "locked" when kv.Length == 1: locked = true; break;
                        case "partially-mapped" when kv.Length == 1: partial = true; break;
                        case "underused" when kv.Length == 1: underused = true; break;
                        default: throw Error($"cannot read '{p}' (expected ref=N, memcg=none|memcg1|memcg2, queue=none|node0|memcg1|memcg2, order=N, locked, partially-mapped, underused)");
                    }
                }
                if (refs is null || memcg is null || queue is null)
                    throw Error("a folio needs ref=, memcg= and queue=");
                folios.Add(new FolioSpec(parts[1], refs.Value, memcg.Value, queue.Value, order.Value, locked, partial, underused));
            }
            else if (parts[0] == "cpu")
            {
                if (cpus.Count == MaxCpus)
                    throw Error($"more than {MaxCpus} CPUs");
                if (parts.Length < 2 || parts[1] != $"{cpus.Count + 1}:")
                    throw Error($"expected 'cpu {cpus.Count + 1}: CALL; CALL; ...'");
                var rest = text[(text.IndexOf(':') + 1)..];
                var ops = new List<Op>();
                foreach (var call in rest.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    ops.Add(ParseOp(call, folios, Error));
                cpus.Add([.. ops]);
            }
            else
                throw Error($"cannot read '{text}' (expected a 'folio' or 'cpu N:' line)");
        }
        if (folios.Count == 0)
            throw new FormatException($"{path}: the scenario has no folio lines");
        if (cpus.Count == 0)
            throw new FormatException($"{path}: the scenario has no cpu lines");
        return new Scenario(name, description, [.. folios], [.. cpus]);
    }

    static Op ParseOp(string call, List<FolioSpec> folios, Func<string, FormatException> error)
    {
        int open = call.IndexOf('('), close = call.LastIndexOf(')');
        if (open <= 0 || close != call.Length - 1)
            throw error($"cannot read call '{call}' (expected NAME(ARGS))");
        var fn = call[..open];
        var args = call[(open + 1)..close].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        int Folio(string n)
        {
            int i = folios.FindIndex(f => f.Name == n);
            return i >= 0 ? i : throw error($"unknown folio '{n}' in '{call}' (declared: {string.Join(", ", folios.Select(f => f.Name))})");
        }
        Op One(OpKind k) => args.Length == 1 ? new Op(k, [Folio(args[0])]) : throw error($"'{fn}' takes one folio");
        return fn switch
        {
            "deferred_split_scan" when args.Length == 2 && ParseQueue(args[0]) is { } q && q != QueueId.None
                && args[1].StartsWith("nr_to_scan=") && int.TryParse(args[1]["nr_to_scan=".Length..], out var nr) && nr > 0
                => new Op(OpKind.Scan, [], q, nr),
            "deferred_split_scan" => throw error($"expected 'deferred_split_scan(node0|memcg1|memcg2, nr_to_scan=N)' instead of '{call}'"),
            "folio_put" => One(OpKind.FolioPut),
            "folios_put_refs" when args.Length >= 1 => new Op(OpKind.FoliosPutRefs, [.. args.Select(Folio)]),
            "folio_get" => One(OpKind.FolioGet),
            "folio_lock" => One(OpKind.FolioLock),
            "folio_unlock" => One(OpKind.FolioUnlock),
            "deferred_split_folio" when args.Length == 2 && args[1] is "true" or "false"
                => new Op(OpKind.DeferredSplitFolio, [Folio(args[0])], PartiallyMapped: args[1] == "true"),
            "deferred_split_folio" => throw error($"expected 'deferred_split_folio(FOLIO, true|false)' instead of '{call}'"),
            "split_folio" => One(OpKind.SplitFolio),
            "migrate_folio" when args.Length == 2 && Folio(args[0]) is var src && Folio(args[1]) is var dst
                => src != dst ? new Op(OpKind.MigrateFolio, [src, dst]) : throw error($"'{call}': a folio cannot be its own destination"),
            "migrate_folio" => args.Length == 1 ? One(OpKind.MigrateFolio) : throw error($"expected 'migrate_folio(FOLIO)' or 'migrate_folio(FOLIO, DESTINATION)' instead of '{call}'"),
            "unmap_part" => One(OpKind.Unmap),
            "swapout" => One(OpKind.Swapout),
            "move_charge" when args.Length == 2 && ParseQueue(args[1]) is QueueId.Memcg1 or QueueId.Memcg2
                => new Op(OpKind.MoveCharge, [Folio(args[0])], ParseQueue(args[1])!.Value),
            "move_charge" => throw error($"expected 'move_charge(FOLIO, memcg1|memcg2)' instead of '{call}'"),
            // memcg1 is memcg2's parent and stays online (World.ParentMemcg): only memcg2 can go.
            "memcg_offline" when args is ["memcg2"] => new Op(OpKind.MemcgOffline, [], QueueId.Memcg2),
            "memcg_offline" => throw error($"expected 'memcg_offline(memcg2)' instead of '{call}' (memcg1 is memcg2's parent, whose own parent is not modelled: it stays online)"),
            _ => throw error($"unknown call '{fn}' (known: deferred_split_scan, folio_put, folios_put_refs, folio_get, folio_lock, folio_unlock, deferred_split_folio, split_folio, migrate_folio, swapout, move_charge, memcg_offline, unmap_part)"),
        };
    }

    /// <summary>Structural equality of two scenarios' initial state and programs (names and descriptions aside).</summary>
    public static bool SameRun(Scenario a, Scenario b) =>
        a.Folios.SequenceEqual(b.Folios) && a.Cpus.Length == b.Cpus.Length
        && a.Cpus.Zip(b.Cpus).All(p => p.First.Length == p.Second.Length && p.First.Zip(p.Second).All(o =>
            o.First.Kind == o.Second.Kind && o.First.Folios.SequenceEqual(o.Second.Folios) && o.First.Queue == o.Second.Queue
            && o.First.NrToScan == o.Second.NrToScan && o.First.PartiallyMapped == o.Second.PartiallyMapped));
}
