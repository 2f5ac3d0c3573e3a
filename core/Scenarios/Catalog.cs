namespace MmFuzz.Scenarios;

/// <summary>The named scenarios and the families they belong to.</summary>
public static class Catalog
{
    static Op Scan(QueueId q, int nr = 32) => new(OpKind.Scan, [], q, nr);
    static Op Put(int f) => new(OpKind.FolioPut, [f]);
    static Op PutRefs(params int[] f) => new(OpKind.FoliosPutRefs, f);
    static Op Lock(int f) => new(OpKind.FolioLock, [f]);
    static Op Unlock(int f) => new(OpKind.FolioUnlock, [f]);

    /// <summary>
    /// The seed mail as written: CPU 1 scans the memcg queue; its <c>folio_trylock()</c> fails because
    /// CPU 3 holds the folio lock; CPU 2 drops the last reference with <c>folio_put()</c>.
    /// </summary>
    public static readonly Scenario SeedMail = new("seed-mail",
        "the mail as written: CPU 1 scans memcg1's queue, CPU 3 holds A's lock so the trylock fails, CPU 2 drops the last reference with folio_put()",
        [new FolioSpec("A", 2, QueueId.Memcg1, QueueId.Memcg1)],
        [[Scan(QueueId.Memcg1)], [Put(0)], [Lock(0), Unlock(0), Put(0)]]);

    /// <summary>
    /// The seed mail's smallest neighbour: the last reference is dropped through the batch path the
    /// series changed (<c>release_pages()</c> → <c>folios_put_refs()</c>).
    /// </summary>
    public static readonly Scenario SeedMailBatch = new("seed-mail-batch",
        "as seed-mail, but CPU 2 drops the last reference through the batch path (release_pages -> folios_put_refs)",
        [new FolioSpec("A", 2, QueueId.Memcg1, QueueId.Memcg1)],
        [[Scan(QueueId.Memcg1)], [PutRefs(0)], [Lock(0), Unlock(0), Put(0)]]);

    /// <summary>Two neighbours on one memcg queue; each is freed by another CPU while the scan runs.</summary>
    public static readonly Scenario Neighbours = new("neighbours-batch",
        "A and B adjacent on memcg1's queue; CPU 2 batch-frees A and CPU 3 frees B while CPU 1 scans",
        [new FolioSpec("A", 1, QueueId.Memcg1, QueueId.Memcg1), new FolioSpec("B", 1, QueueId.Memcg1, QueueId.Memcg1)],
        [[Scan(QueueId.Memcg1)], [PutRefs(0)], [Put(1)]]);

    /// <summary>Folios on two memcg queues and the node queue: the scan of one memcg against batch frees in the others.</summary>
    public static readonly Scenario TwoMemcgs = new("two-memcgs-batch",
        "A on memcg1's queue, B on memcg2's; CPU 1 scans memcg1 while CPU 2 batch-frees both",
        [new FolioSpec("A", 1, QueueId.Memcg1, QueueId.Memcg1), new FolioSpec("B", 1, QueueId.Memcg2, QueueId.Memcg2)],
        [[Scan(QueueId.Memcg1)], [PutRefs(0, 1)]]);

    /// <summary>An uncharged folio on the node queue: scan and free take the same lock in every state.</summary>
    public static readonly Scenario NodeQueue = new("node-queue-batch",
        "A uncharged on node0's queue; CPU 1 scans node0 while CPU 2 batch-frees A (both sides take node0's lock)",
        [new FolioSpec("A", 1, QueueId.None, QueueId.Node0)],
        [[Scan(QueueId.Node0)], [PutRefs(0)]]);

    /// <summary>
    /// The lost-race branch: the scan finds A with refcount 0 and takes it off the queue while the
    /// free path peeks at <c>list_empty()</c> without the lock (the finding beyond history).
    /// </summary>
    public static readonly Scenario LostRace = new("lost-race",
        "CPU 2 drops A's only reference while CPU 1's scan reaches it: the scan's lost-race list_del_init races the free path's unlocked list_empty peek",
        [new FolioSpec("A", 1, QueueId.Memcg1, QueueId.Memcg1)],
        [[Scan(QueueId.Memcg1)], [Put(0)]]);

    /// <summary>Every named scenario.</summary>
    public static readonly IReadOnlyList<Scenario> All = [SeedMail, SeedMailBatch, Neighbours, TwoMemcgs, NodeQueue, LostRace];

    /// <summary>The families: named sets of scenarios (a variant's verdict is per family).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<Scenario>> Families = new Dictionary<string, IReadOnlyList<Scenario>>
    {
        ["scan-vs-free"] = All,
    };

    /// <summary>Resolves a scenario name, a family name or "all".</summary>
    public static IReadOnlyList<Scenario>? Resolve(string name)
    {
        if (name == "all")
            return All;
        if (Families.TryGetValue(name, out var family))
            return family;
        var s = All.FirstOrDefault(x => x.Name == name);
        return s is null ? null : [s];
    }

    /// <summary>The family a scenario belongs to (the first that lists it).</summary>
    public static string FamilyOf(Scenario s) => Families.First(f => f.Value.Any(x => x.Name == s.Name)).Key;
}
