using MmFuzz.Scenarios;

namespace MmFuzz.Schedules;

/// <summary>
/// Decodes a <see cref="ChoiceStream"/> into a well-formed <see cref="Scenario"/>: 1–4 folios of
/// order 2, 2–3 CPUs, 1–3 operations per CPU. The schedule is read from the same stream afterwards
/// by <c>Strategies.ChoiceStreamStrategy</c>.
/// </summary>
/// <remarks>
/// Well-formed by construction, as a kernel caller would be:
/// <list type="bullet">
/// <item>every CPU that operates on a folio holds one reference to it from the start (counted in the
/// initial <c>_refcount</c>) and drops it at most once, as its last operation on that folio;</item>
/// <item>folio locks are taken and released in adjacent pairs, never on a folio that starts locked
/// (its holder never releases it) and never nested, so no CPU waits on itself;</item>
/// <item>a folio is isolated for migration by at most one CPU, and then nobody splits it (both need
/// the folio lock in the kernel, which the migration port does not model);</item>
/// <item>a folio is split by at most one CPU, and nobody queues a folio that is split or migrated;</item>
/// <item>only a queued folio starts partially mapped, and <c>deferred_split_folio(f, false)</c> (the
/// fault-time call) is never made for a folio that is or becomes partially mapped;</item>
/// <item>a charged folio is queued on its memcg's queue, an uncharged one on the node's.</item>
/// </list>
/// The interesting cases are likely, not merely possible: a folio is on memcg 1's queue half the
/// time, CPU 1 starts with a scan 7 times in 8, and the commonest operation drops a reference.
/// The empty stream decodes to the smallest race there is: CPU 1 scans memcg 1's queue while CPU 2
/// drops the only reference of the one folio on it.
/// </remarks>
public static class ScenarioDecoder
{
    /// <summary>At most this many folios.</summary>
    public const int MaxFolios = 4;

    /// <summary>At most this many CPUs.</summary>
    public const int MaxCpus = 3;

    /// <summary>At most this many operations per CPU (a lock/unlock pair counts as one).</summary>
    public const int MaxOps = 3;

    static readonly string[] Names = ["A", "B", "C", "D"];

    /// <summary>Decodes the scenario at the start of <paramref name="data"/>; <paramref name="consumed"/> is where the schedule's choices begin.</summary>
    public static Scenario Decode(byte[] data, out int consumed)
    {
        var s = new ChoiceStream(data);
        var scenario = Decode(s);
        consumed = Math.Min(s.Position, data.Length);
        return scenario;
    }

    /// <summary>Decodes a scenario from <paramref name="s"/>, leaving it at the first schedule choice. Never throws.</summary>
    public static Scenario Decode(ChoiceStream s)
    {
        int nFolios = 1 + s.Draw(MaxFolios);
        var memcg = new QueueId[nFolios];
        var queued = new bool[nFolios];
        var locked = new bool[nFolios];
        var partial = new bool[nFolios];
        var extra = new bool[nFolios];
        for (int f = 0; f < nFolios; f++)
        {
            // 0-3: memcg 1 (the seed mail's queue), 4-5: memcg 2, 6-7: uncharged (node 0's queue).
            memcg[f] = s.Draw(8) switch { < 4 => QueueId.Memcg1, < 6 => QueueId.Memcg2, _ => QueueId.None };
            queued[f] = !s.OneIn(4);
            partial[f] = s.OneIn(4) && queued[f];
            locked[f] = s.OneIn(8);
            extra[f] = s.OneIn(4);
        }

        int nCpus = 2 + s.Draw(MaxCpus - 1);
        var holds = new bool[nCpus, nFolios];
        var split = new bool[nFolios];
        var migrated = new bool[nFolios];
        var programs = new Op[nCpus][];
        for (int c = 0; c < nCpus; c++)
        {
            var dropped = new bool[nFolios];
            var ops = new List<Op>();
            int nOps = 1 + s.Draw(MaxOps);
            for (int i = 0; i < nOps; i++)
            {
                if (c == 0 && i == 0 && !s.OneIn(8))
                {
                    ops.Add(DecodeScan(s));
                    continue;
                }
                int kind = s.Draw(16);
                int f = s.Draw(nFolios);
                // The first folio this CPU may still use with this operation, from f on; a scan if none.
                int Pick(Func<int, bool> ok)
                {
                    for (int k = 0; k < nFolios; k++)
                    {
                        int g = (f + k) % nFolios;
                        if (!dropped[g] && ok(g))
                            return g;
                    }
                    return -1;
                }
                int g;
                switch (kind)
                {
                    case < 5 when (g = Pick(_ => true)) >= 0:
                        ops.Add(new Op(OpKind.FolioPut, [g]));
                        dropped[g] = holds[c, g] = true;
                        break;
                    case < 7 when (g = Pick(_ => true)) >= 0:
                        int second = s.OneIn(2) ? Pick(h => h != g) : -1;
                        ops.Add(new Op(OpKind.FoliosPutRefs, second >= 0 ? [g, second] : [g]));
                        dropped[g] = holds[c, g] = true;
                        if (second >= 0)
                            dropped[second] = holds[c, second] = true;
                        break;
                    case < 9 when (g = Pick(h => !locked[h])) >= 0:
                        ops.Add(new Op(OpKind.FolioLock, [g]));
                        ops.Add(new Op(OpKind.FolioUnlock, [g]));
                        holds[c, g] = true;
                        break;
                    case < 11 when (g = Pick(h => !split[h])) >= 0:
                        ops.Add(new Op(OpKind.DeferredSplitFolio, [g], PartiallyMapped: s.OneIn(2)));
                        holds[c, g] = true;
                        break;
                    case < 13 when (g = Pick(h => !split[h] && !migrated[h] && !locked[h])) >= 0:
                        ops.Add(new Op(OpKind.SplitFolio, [g]));
                        split[g] = holds[c, g] = true;
                        break;
                    case 13 when (g = Pick(h => !split[h] && !migrated[h] && !locked[h])) >= 0:
                        ops.Add(new Op(OpKind.MigrateFolio, [g]));
                        migrated[g] = dropped[g] = holds[c, g] = true;
                        break;
                    default:
                        ops.Add(DecodeScan(s));
                        break;
                }
            }
            programs[c] = [.. ops];
        }

        // deferred_split_folio() is called by the rmap code on a mapped folio: never on one being
        // split (a split folio would be queued) or migrated (migration unmaps it first), so such
        // calls are dropped. Its partially_mapped argument is false only at fault time (v6.12+,
        // __do_huge_pmd_anonymous_page()): for a fresh folio that no queue holds yet, before any
        // unmap, so only as the folio's one call here. Every other call is a partial unmap: true.
        var calls = new int[nFolios];
        for (int c = 0; c < nCpus; c++)
            programs[c] = [.. programs[c].Where(op => op.Kind != OpKind.DeferredSplitFolio || !split[op.Folios[0]] && !migrated[op.Folios[0]])];
        foreach (var p in programs)
            foreach (var op in p)
                if (op.Kind == OpKind.DeferredSplitFolio)
                    calls[op.Folios[0]]++;
        for (int c = 0; c < nCpus; c++)
            programs[c] = [.. programs[c].Select(op =>
                op.Kind != OpKind.DeferredSplitFolio || op.PartiallyMapped
                || calls[op.Folios[0]] == 1 && !partial[op.Folios[0]] && !queued[op.Folios[0]]
                    ? op
                    : op with { PartiallyMapped = true })];

        var folios = new FolioSpec[nFolios];
        for (int f = 0; f < nFolios; f++)
        {
            // The holder of an initially locked folio holds a reference too, and never drops it here.
            int refs = extra[f] || locked[f] ? 1 : 0;
            for (int c = 0; c < nCpus; c++)
                if (holds[c, f])
                    refs++;
            var queue = !queued[f] ? QueueId.None : memcg[f] == QueueId.None ? QueueId.Node0 : memcg[f];
            folios[f] = new FolioSpec(Names[f], Math.Max(refs, 1), memcg[f], queue, Locked: locked[f], PartiallyMapped: partial[f]);
        }
        return new Scenario("generated", Describe(folios, programs), folios, programs);
    }

    static Op DecodeScan(ChoiceStream s)
    {
        var q = s.Draw(8) switch { < 5 => QueueId.Memcg1, < 7 => QueueId.Memcg2, _ => QueueId.Node0 };
        int nr = s.Draw(8) switch { 6 => 1, 7 => 2, _ => 32 };
        return new Op(OpKind.Scan, [], q, nr);
    }

    /// <summary>A one-line description of a generated scenario (folios, then one program per CPU).</summary>
    public static string Describe(FolioSpec[] folios, Op[][] programs)
    {
        var fs = string.Join(" ", folios.Select(f =>
            $"{f.Name}(ref {f.Refcount}, {(f.Memcg == QueueId.None ? "uncharged" : ScenarioText.QueueName(f.Memcg))}, {(f.Queue == QueueId.None ? "unqueued" : "on " + ScenarioText.QueueName(f.Queue))}{(f.Locked ? ", locked" : "")}{(f.PartiallyMapped ? ", partially mapped" : "")})"));
        var ps = string.Join("; ", programs.Select((p, c) => $"CPU {c + 1}: " + string.Join(", ", p.Select(op => ScenarioText.OpText(op, folios)))));
        return fs + "; " + ps;
    }
}
