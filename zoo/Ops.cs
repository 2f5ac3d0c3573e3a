using MmFuzz.Scenarios;

namespace MmFuzz.Zoo;

/// <summary>The operations of the witness scenarios, as <c>core/Scenarios/Catalog.cs</c> writes them.</summary>
static class Ops
{
    public static Op Scan(QueueId q, int nr = 32) => new(OpKind.Scan, [], q, nr);
    public static Op Put(int f) => new(OpKind.FolioPut, [f]);
    public static Op PutRefs(params int[] f) => new(OpKind.FoliosPutRefs, f);
    public static Op Lock(int f) => new(OpKind.FolioLock, [f]);
    public static Op Unlock(int f) => new(OpKind.FolioUnlock, [f]);
    public static Op Queue(int f, bool partiallyMapped) => new(OpKind.DeferredSplitFolio, [f], PartiallyMapped: partiallyMapped);
    public static Op Split(int f) => new(OpKind.SplitFolio, [f]);
    public static Op Migrate(int f) => new(OpKind.MigrateFolio, [f]);

    /// <summary>A folio charged to memcg1 and linked on memcg1's queue (or on none).</summary>
    public static FolioSpec Folio(string name, int refs, bool queued = true, bool partiallyMapped = false) =>
        new(name, refs, QueueId.Memcg1, queued ? QueueId.Memcg1 : QueueId.None, PartiallyMapped: partiallyMapped);
}
