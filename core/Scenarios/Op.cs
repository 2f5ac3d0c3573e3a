namespace MmFuzz.Scenarios;

/// <summary>One operation of a CPU program.</summary>
/// <param name="Kind">What it does.</param>
/// <param name="Folios">The folios it acts on (indices into <see cref="Scenario.Folios"/>): for a migration, the source and, if modelled, the destination.</param>
/// <param name="Queue">For a scan: the queue scanned. For a charge move: the memcg the charge moves to (memcg1 or memcg2; it moves from the other). For <see cref="OpKind.MemcgOffline"/>: the memcg.</param>
/// <param name="NrToScan">For a scan: <c>sc-&gt;nr_to_scan</c>.</param>
/// <param name="PartiallyMapped">For <see cref="OpKind.DeferredSplitFolio"/>: the v6.12 <c>partially_mapped</c> argument.</param>
public sealed record Op(OpKind Kind, int[] Folios, QueueId Queue = QueueId.None, int NrToScan = 0, bool PartiallyMapped = false)
{
    /// <summary>How many references of each of its folios the operation takes (+) or drops (-) (for a migration, of its source).</summary>
    public int RefDelta => Kind switch
    {
        OpKind.FolioPut or OpKind.FoliosPutRefs or OpKind.MigrateFolio or OpKind.Swapout => -1,
        OpKind.FolioGet => 1,
        _ => 0,
    };

    /// <summary>
    /// How many references of its <paramref name="i"/>th folio the operation takes or drops: <see cref="RefDelta"/>,
    /// but none of a migration's destination, whose reference becomes the mapping's when the migration
    /// succeeds and stays the allocation's when it does not.
    /// </summary>
    public int RefDeltaOf(int i) => Kind == OpKind.MigrateFolio && i == 1 ? 0 : RefDelta;
}
