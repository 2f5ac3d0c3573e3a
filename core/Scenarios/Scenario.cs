namespace MmFuzz.Scenarios;

/// <summary>A deferred split queue a folio can be on, or a scan can scan.</summary>
public enum QueueId : byte
{
    /// <summary>On no queue.</summary>
    None,
    /// <summary><c>NODE_DATA(0)-&gt;deferred_split_queue</c>.</summary>
    Node0,
    /// <summary>The first memcg's queue.</summary>
    Memcg1,
    /// <summary>The second memcg's queue.</summary>
    Memcg2,
}

/// <summary>The initial state of one folio.</summary>
/// <param name="Name">Name in traces: "A", "B", ...</param>
/// <param name="Refcount">Initial <c>_refcount</c>: the references the CPU programs hold.</param>
/// <param name="Memcg">The memcg charged (<see cref="QueueId.Memcg1"/>, <see cref="QueueId.Memcg2"/>) or <see cref="QueueId.None"/>.</param>
/// <param name="Queue">The queue it is linked on initially.</param>
/// <param name="Order">Folio order (2 or more to have a <c>_deferred_list</c>).</param>
/// <param name="Locked">PG_locked set initially.</param>
/// <param name="PartiallyMapped">PG_partially_mapped set (v6.12+).</param>
public sealed record FolioSpec(string Name, int Refcount, QueueId Memcg, QueueId Queue, int Order = 2, bool Locked = false, bool PartiallyMapped = false);

/// <summary>The operations a CPU program can contain.</summary>
public enum OpKind : byte
{
    /// <summary><c>deferred_split_scan()</c> of a queue.</summary>
    Scan,
    /// <summary><c>folio_put()</c>.</summary>
    FolioPut,
    /// <summary><c>folios_put_refs()</c> on a batch of one reference each (the release_pages path).</summary>
    FoliosPutRefs,
    /// <summary><c>folio_get()</c>.</summary>
    FolioGet,
    /// <summary><c>folio_lock()</c>.</summary>
    FolioLock,
    /// <summary><c>folio_unlock()</c>.</summary>
    FolioUnlock,
    /// <summary><c>deferred_split_folio(folio, partially_mapped)</c> (the argument exists from v6.12).</summary>
    DeferredSplitFolio,
    /// <summary>
    /// <c>split_folio()</c> by a path other than the scan (for example a truncation or
    /// <c>split_huge_pages</c> via debugfs): the CPU holds a reference, takes the folio lock, splits, unlocks.
    /// </summary>
    SplitFolio,
    /// <summary>
    /// Migration of an isolated folio whose only reference the CPU holds: the variant's
    /// <c>migrate_pages_batch()</c> / <c>folio_migrate_mapping()</c> / <c>mem_cgroup_migrate()</c>
    /// sequence, then the isolation reference is dropped (<c>migrate_folio_done()</c> or putback).
    /// </summary>
    MigrateFolio,
}

/// <summary>One operation of a CPU program.</summary>
/// <param name="Kind">What it does.</param>
/// <param name="Folios">The folios it acts on (indices into <see cref="Scenario.Folios"/>).</param>
/// <param name="Queue">For a scan: the queue scanned.</param>
/// <param name="NrToScan">For a scan: <c>sc-&gt;nr_to_scan</c>.</param>
/// <param name="PartiallyMapped">For <see cref="OpKind.DeferredSplitFolio"/>: the v6.12 <c>partially_mapped</c> argument.</param>
public sealed record Op(OpKind Kind, int[] Folios, QueueId Queue = QueueId.None, int NrToScan = 0, bool PartiallyMapped = false)
{
    /// <summary>How many references of each of its folios the operation takes (+) or drops (-).</summary>
    public int RefDelta => Kind switch
    {
        OpKind.FolioPut or OpKind.FoliosPutRefs or OpKind.MigrateFolio => -1,
        OpKind.FolioGet => 1,
        _ => 0,
    };
}

/// <summary>A named initial state plus one program per CPU.</summary>
/// <param name="Name">Name used on the command line.</param>
/// <param name="Description">One line on what it shows.</param>
/// <param name="Folios">Initial folios.</param>
/// <param name="Cpus">One program per CPU (CPU 1 first).</param>
public sealed record Scenario(string Name, string Description, FolioSpec[] Folios, Op[][] Cpus)
{
    /// <summary>Each folio's refcount once every program has finished (no kernel-internal reference may remain).</summary>
    public int[] ExpectedFinalRefcounts()
    {
        var refs = Folios.Select(f => f.Refcount).ToArray();
        foreach (var program in Cpus)
            foreach (var op in program)
                foreach (var f in op.Folios)
                    refs[f] += op.RefDelta;
        return refs;
    }
}
