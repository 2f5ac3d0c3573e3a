using MmFuzz.Scenarios;

namespace MmFuzz.Schedules;

/// <summary>
/// Decodes a <see cref="ChoiceStream"/> into a well-formed <see cref="Scenario"/>: 1–6 folios of order
/// 2, 2–4 CPUs, 1–3 operations per CPU, every operation the model has. The schedule is read from the
/// same stream afterwards by <c>Strategies.ChoiceStreamStrategy</c>.
/// </summary>
/// <remarks>
/// <para>
/// Swarm testing (Groce, Zhang, Eide, Chen and Regehr, ISSTA 2012): each scenario first draws its own
/// mix of operation kinds, each left out with probability 1/4 and weighted 1 to 4 otherwise, so that
/// some scenarios are all frees, some all splits and migrations, some all rmap calls: a feature that
/// crowds the others out in a uniform mix (a lock held across everything, say) is absent from a good
/// share of the cases, and rare combinations become common in some of them.
/// </para>
/// <para>Well-formed by construction, as a kernel caller would be:</para>
/// <list type="bullet">
/// <item>every CPU that operates on a folio holds one reference to it from the start (counted in the
/// initial <c>_refcount</c>) and drops it at most once, as its last operation on that folio (a put, a
/// batch put, or the end of a migration); a <c>folio_get()</c> is made only by a CPU that holds a
/// reference, and the extra reference is put right after the CPU's next operation on the folio;</item>
/// <item>folio locks are taken and released in adjacent pairs, never on a folio that starts locked
/// (its holder never releases it) and never nested, so no CPU waits on itself;</item>
/// <item>a folio is isolated from the LRU, for migration, by reclaim for swapout or by memcg v1's
/// charge move (of a charged folio that is not partially mapped, to the other memcg), by at most one
/// CPU, and then nobody splits it (both need the folio lock in the kernel; reclaim only tries it, so
/// it may swap out a folio that starts locked); a folio is split by at most one CPU, and nobody queues
/// a folio that is split, migrated or swapped out (the rmap code unmaps before each);</item>
/// <item>only a queued folio starts partially mapped, and <c>deferred_split_folio(f, false)</c> (the
/// fault-time call) is made only for a fresh, unqueued folio that nobody else queues;</item>
/// <item>a charged folio is queued on its memcg's queue, an uncharged one on the node's;</item>
/// <item>memcg2, memcg1's child, goes offline at most once (memcg1 stays online);</item>
/// <item>a migration may name a destination: a fresh folio added to the scenario (while there is room),
/// with the migration's one reference, not queued, not charged, with its source's page contents; nothing
/// but a partial unmap (of a destination already drawn) and the scans touch it.</item>
/// </list>
/// <para>
/// The interesting cases are likely, not merely possible: folios mostly share memcg 1 (so several sit
/// on the queue a scan walks), CPU 1 starts with a scan 7 times in 8, a scan walks a queue that holds
/// folios, and each operation's folio is drawn anew, so the queue order and the roles vary. The empty
/// stream decodes to the smallest race there is: CPU 1 scans memcg 1's queue while CPU 2 drops the
/// only reference of the one folio on it.
/// </para>
/// </remarks>
public static class ScenarioDecoder
{
    /// <summary>At most this many folios.</summary>
    public const int MaxFolios = 6;

    /// <summary>At most this many CPUs.</summary>
    public const int MaxCpus = 4;

    /// <summary>At most this many operations per CPU (a lock/unlock or get/put pair counts as one).</summary>
    public const int MaxOps = 3;

    static readonly string[] Names = ["A", "B", "C", "D", "E", "F"];

    /// <summary>The operation kinds a scenario mixes (a pair counts as one kind), in the order of their swarm weights.</summary>
    /// <remarks>New kinds go last, so that an input written before them decodes as it did once a zero weight byte is inserted for each.</remarks>
    enum Choice { Put, BatchPut, LockPair, DeferredSplit, Split, Migrate, Swapout, MoveCharge, Offline, GetPut, Scan, MigrateInto, Unmap }

    static readonly Choice[] Choices = Enum.GetValues<Choice>();

    /// <summary>Decodes the scenario at the start of <paramref name="data"/>; <paramref name="consumed"/> is where the schedule's choices begin.</summary>
    public static Scenario Decode(byte[] data, out int consumed)
    {
        var s = new ChoiceStream(data);
        var scenario = Decode(s);
        consumed = Math.Min(s.Position, data.Length);
        return scenario;
    }

    /// <summary>How many bytes of <paramref name="data"/> the scenario takes (the rest is the schedule).</summary>
    public static int Length(byte[] data)
    {
        var s = new ChoiceStream(data);
        Decode(s);
        return Math.Min(s.Position, data.Length);
    }

    /// <summary>Decodes a scenario from <paramref name="s"/>, leaving it at the first schedule choice. Never throws.</summary>
    public static Scenario Decode(ChoiceStream s)
    {
        // The swarm: each kind's weight, 0 (left out) a quarter of the time. The empty stream weighs
        // every kind 1; a mix that leaves out everything falls back to puts.
        var weight = new int[Choices.Length];
        foreach (var c in Choices)
            weight[(int)c] = s.Draw(8) switch { 6 => 0, 7 => 4, int w => 1 + w / 2 };
        if (weight.All(w => w == 0))
            weight[(int)Choice.Put] = 1;

        int nFolios = 1 + s.Draw(MaxFolios);
        var dsts = new List<int>();         // the source of each destination folio nFolios, nFolios + 1, ...
        var memcg = new QueueId[nFolios];
        var queued = new bool[nFolios];
        var locked = new bool[nFolios];
        var partial = new bool[nFolios];
        var extra = new bool[nFolios];
        var underused = new bool[nFolios];
        // Most folios share one memcg, so that a scan's queue holds several.
        var home = s.Draw(4) == 3 ? QueueId.Memcg2 : QueueId.Memcg1;
        for (int f = 0; f < nFolios; f++)
        {
            // 0-4: the home memcg, 5: the other one, 6-7: uncharged (node 0's queue).
            memcg[f] = s.Draw(8) switch { < 5 => home, 5 => home == QueueId.Memcg1 ? QueueId.Memcg2 : QueueId.Memcg1, _ => QueueId.None };
            queued[f] = !s.OneIn(4);
            partial[f] = s.OneIn(4) && queued[f];
            locked[f] = s.OneIn(8);
            extra[f] = s.OneIn(4);
            underused[f] = s.OneIn(4);      // mostly zero-filled pages, max_ptes_none lowered (v6.12+'s scan splits it)
        }
        QueueId QueueOf(int f) => memcg[f] == QueueId.None ? QueueId.Node0 : memcg[f];

        int nCpus = 2 + s.Draw(MaxCpus - 1);
        var holds = new bool[nCpus, nFolios];
        var split = new bool[nFolios];
        var isolated = new bool[nFolios];      // taken off the LRU by a migration or by reclaim
        var programs = new Op[nCpus][];
        bool offline = false;       // memcg2 goes offline at most once
        int total = weight.Sum();
        for (int c = 0; c < nCpus; c++)
        {
            var dropped = new bool[nFolios];
            var ops = new List<Op>();
            int nOps = 1 + s.Draw(MaxOps);
            for (int i = 0; i < nOps; i++)
            {
                if (c == 0 && i == 0 && !s.OneIn(8))
                {
                    ops.Add(DecodeScan(s, nFolios, queued, QueueOf));
                    continue;
                }
                var kind = Pick(s.Draw(total), weight);
                int f = s.Draw(nFolios);
                // The first folio this CPU may still use with this operation, from f on; a scan if none.
                int First(Func<int, bool> ok)
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
                    case Choice.Put when (g = First(_ => true)) >= 0:
                        ops.Add(new Op(OpKind.FolioPut, [g]));
                        dropped[g] = holds[c, g] = true;
                        break;
                    case Choice.BatchPut when (g = First(_ => true)) >= 0:
                    {
                        var batch = new List<int> { g };
                        for (int more = s.Draw(3); more > 0; more--)
                            if (First(h => !batch.Contains(h)) is int h and >= 0)
                                batch.Add(h);
                        ops.Add(new Op(OpKind.FoliosPutRefs, [.. batch]));
                        foreach (var b in batch)
                            dropped[b] = holds[c, b] = true;
                        break;
                    }
                    case Choice.LockPair when (g = First(h => !locked[h])) >= 0:
                        ops.Add(new Op(OpKind.FolioLock, [g]));
                        ops.Add(new Op(OpKind.FolioUnlock, [g]));
                        holds[c, g] = true;
                        break;
                    case Choice.DeferredSplit when (g = First(h => !split[h])) >= 0:
                        ops.Add(new Op(OpKind.DeferredSplitFolio, [g], PartiallyMapped: s.OneIn(2)));
                        holds[c, g] = true;
                        break;
                    case Choice.Split when (g = First(h => !split[h] && !isolated[h] && !locked[h])) >= 0:
                        ops.Add(new Op(OpKind.SplitFolio, [g]));
                        split[g] = holds[c, g] = true;
                        break;
                    case Choice.Migrate when (g = First(h => !split[h] && !isolated[h] && !locked[h])) >= 0:
                        ops.Add(new Op(OpKind.MigrateFolio, [g]));
                        isolated[g] = dropped[g] = holds[c, g] = true;
                        break;
                    case Choice.MigrateInto when (g = First(h => !split[h] && !isolated[h] && !locked[h])) >= 0:
                        // Into a fresh destination while the scenario has room for one more folio.
                        if (nFolios + dsts.Count < MaxFolios)
                        {
                            ops.Add(new Op(OpKind.MigrateFolio, [g, nFolios + dsts.Count]));
                            dsts.Add(g);
                        }
                        else
                            ops.Add(new Op(OpKind.MigrateFolio, [g]));
                        isolated[g] = dropped[g] = holds[c, g] = true;
                        break;
                    case Choice.Unmap when dsts.Count > 0:
                        // A task unmaps part of a range some migration moves into its destination.
                        ops.Add(new Op(OpKind.Unmap, [nFolios + s.Draw(dsts.Count)]));
                        break;
                    case Choice.Swapout when (g = First(h => !split[h] && !isolated[h])) >= 0:
                        // Reclaim's folio_trylock() fails on a locked folio and puts it back: no wait.
                        ops.Add(new Op(OpKind.Swapout, [g]));
                        isolated[g] = dropped[g] = holds[c, g] = true;
                        break;
                    case Choice.MoveCharge when (g = First(h => !split[h] && !isolated[h] && !partial[h] && memcg[h] != QueueId.None)) >= 0:
                        // memcg v1 moves the charge of a PMD-mapped THP (never partially mapped) that its
                        // task maps (the CPU's reference); its folio_isolate_lru() excludes a migration or
                        // a swapout, and the model has the folio PMD-mapped, so nobody unmaps part of it.
                        ops.Add(new Op(OpKind.MoveCharge, [g], memcg[g] == QueueId.Memcg1 ? QueueId.Memcg2 : QueueId.Memcg1));
                        isolated[g] = holds[c, g] = true;
                        break;
                    case Choice.Offline when !offline:
                        // memcg2 (memcg1's child) is removed; its folios stay charged to it and, from the
                        // folio_batch series on, its queue is reparented onto memcg1's.
                        ops.Add(new Op(OpKind.MemcgOffline, [], QueueId.Memcg2));
                        offline = true;
                        break;
                    case Choice.GetPut when (g = First(_ => true)) >= 0:
                        // A transient extra reference (a GUP pin, a PFN walker): it makes a freeze fail.
                        ops.Add(new Op(OpKind.FolioGet, [g]));
                        ops.Add(new Op(OpKind.FolioPut, [g]));
                        holds[c, g] = true;
                        break;
                    default:
                        ops.Add(DecodeScan(s, nFolios, queued, QueueOf));
                        break;
                }
            }
            programs[c] = [.. ops];
        }

        // deferred_split_folio() is called by the rmap code on a mapped folio: never on one being
        // split (a split folio would be queued), migrated (migration unmaps it first) or swapped out
        // (reclaim unmaps it first, and deferred_split_folio() skips a folio in the swap cache), nor
        // on one whose charge moves (the model maps it by a PMD throughout), so such calls are dropped. Its partially_mapped argument is false only at fault time (v6.12+,
        // __do_huge_pmd_anonymous_page()): for a fresh folio that no queue holds yet, before any
        // unmap, so only as the folio's one call here. Every other call is a partial unmap: true.
        var calls = new int[nFolios];
        for (int c = 0; c < nCpus; c++)
            programs[c] = [.. programs[c].Where(op => op.Kind != OpKind.DeferredSplitFolio || !split[op.Folios[0]] && !isolated[op.Folios[0]])];
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

        var folios = new FolioSpec[nFolios + dsts.Count];
        for (int d = 0; d < dsts.Count; d++)
            folios[nFolios + d] = new FolioSpec(Names[nFolios + d], 1, QueueId.None, QueueId.None, Underused: underused[dsts[d]]);
        for (int f = 0; f < nFolios; f++)
        {
            // The holder of an initially locked folio holds a reference too, and never drops it here.
            int refs = extra[f] || locked[f] ? 1 : 0;
            for (int c = 0; c < nCpus; c++)
                if (holds[c, f])
                    refs++;
            var queue = queued[f] ? QueueOf(f) : QueueId.None;
            folios[f] = new FolioSpec(Names[f], Math.Max(refs, 1), memcg[f], queue, Locked: locked[f], PartiallyMapped: partial[f], Underused: underused[f]);
        }
        return new Scenario("generated", null!, folios, programs);     // described when first read
    }

    /// <summary>The kind whose cumulative weight covers <paramref name="draw"/>.</summary>
    static Choice Pick(int draw, int[] weight)
    {
        foreach (var c in Choices)
        {
            if (draw < weight[(int)c])
                return c;
            draw -= weight[(int)c];
        }
        return Choice.Put;
    }

    /// <summary>A scan, mostly of a queue that holds folios (the first such folio's, from a drawn start), with <c>nr_to_scan</c> 32, 1 or 2.</summary>
    static Op DecodeScan(ChoiceStream s, int nFolios, bool[] queued, Func<int, QueueId> queueOf)
    {
        int start = s.Draw(nFolios);
        var q = QueueId.Memcg1;
        if (s.OneIn(8))
            q = s.OneIn(2) ? QueueId.Node0 : QueueId.Memcg2;
        else
            for (int k = 0; k < nFolios; k++)
                if (queued[(start + k) % nFolios])
                {
                    q = queueOf((start + k) % nFolios);
                    break;
                }
        int nr = s.Draw(8) switch { 6 => 1, 7 => 2, _ => 32 };
        return new Op(OpKind.Scan, [], q, nr);
    }
}
