namespace MmFuzz.Scenarios;

/// <summary>The named scenarios and the families they belong to.</summary>
public static class Catalog
{
    /// <summary>
    /// A scan; without <paramref name="nr"/>, <c>nr_to_scan</c> is one more than the scenario's folios
    /// (<see cref="New"/>), as in the small scope: every state visits each folio as with any larger
    /// budget, and folio-batch's <c>goto retry</c> (which goes round while budget and queue remain)
    /// ends after as many visits instead of going round 32 times. Its bound-2 proofs then take
    /// thousands of executions, not hundreds of thousands.
    /// </summary>
    static Op Scan(QueueId q, int nr = 0) => new(OpKind.Scan, [], q, nr);

    /// <summary>A scenario whose scans without a budget of their own get <c>nr_to_scan</c> = folios + 1.</summary>
    static Scenario New(string name, string description, FolioSpec[] folios, Op[][] cpus) =>
        new(name, description, folios,
            [.. cpus.Select(p => p.Select(op => op.Kind == OpKind.Scan && op.NrToScan == 0 ? op with { NrToScan = folios.Length + 1 } : op).ToArray())]);
    static Op Put(int f) => new(OpKind.FolioPut, [f]);
    static Op PutRefs(params int[] f) => new(OpKind.FoliosPutRefs, f);
    static Op Lock(int f) => new(OpKind.FolioLock, [f]);
    static Op Unlock(int f) => new(OpKind.FolioUnlock, [f]);
    static Op Queue(int f, bool partiallyMapped) => new(OpKind.DeferredSplitFolio, [f], PartiallyMapped: partiallyMapped);
    static Op Split(int f) => new(OpKind.SplitFolio, [f]);
    static Op Migrate(int f) => new(OpKind.MigrateFolio, [f]);
    static Op MigrateInto(int f, int dst) => new(OpKind.MigrateFolio, [f, dst]);
    static Op Unmap(int f) => new(OpKind.Unmap, [f]);
    static Op Swapout(int f) => new(OpKind.Swapout, [f]);
    static Op MoveCharge(int f, QueueId to) => new(OpKind.MoveCharge, [f], to);
    static Op Offline(QueueId memcg) => new(OpKind.MemcgOffline, [], memcg);

    /// <summary>
    /// The seed mail as written: CPU 1 scans the memcg queue; its <c>folio_trylock()</c> fails because
    /// CPU 3 holds the folio lock; CPU 2 drops the last reference with <c>folio_put()</c>.
    /// </summary>
    public static readonly Scenario SeedMail = New("seed-mail",
        "the mail as written: CPU 1 scans memcg1's queue, CPU 3 holds A's lock so the trylock fails, CPU 2 drops the last reference with folio_put()",
        [new FolioSpec("A", 2, QueueId.Memcg1, QueueId.Memcg1)],
        [[Scan(QueueId.Memcg1)], [Put(0)], [Lock(0), Unlock(0), Put(0)]]);

    /// <summary>
    /// The seed mail's smallest neighbour: the last reference is dropped through the batch path the
    /// series changed (<c>release_pages()</c> → <c>folios_put_refs()</c>).
    /// </summary>
    public static readonly Scenario SeedMailBatch = New("seed-mail-batch",
        "as seed-mail, but CPU 2 drops the last reference through the batch path (release_pages -> folios_put_refs)",
        [new FolioSpec("A", 2, QueueId.Memcg1, QueueId.Memcg1)],
        [[Scan(QueueId.Memcg1)], [PutRefs(0)], [Lock(0), Unlock(0), Put(0)]]);

    /// <summary>Two neighbours on one memcg queue; each is freed by another CPU while the scan runs.</summary>
    public static readonly Scenario Neighbours = New("neighbours-batch",
        "A and B adjacent on memcg1's queue; CPU 2 batch-frees A and CPU 3 frees B while CPU 1 scans",
        [new FolioSpec("A", 1, QueueId.Memcg1, QueueId.Memcg1), new FolioSpec("B", 1, QueueId.Memcg1, QueueId.Memcg1)],
        [[Scan(QueueId.Memcg1)], [PutRefs(0)], [Put(1)]]);

    /// <summary>Folios on two memcg queues and the node queue: the scan of one memcg against batch frees in the others.</summary>
    public static readonly Scenario TwoMemcgs = New("two-memcgs-batch",
        "A on memcg1's queue, B on memcg2's; CPU 1 scans memcg1 while CPU 2 batch-frees both",
        [new FolioSpec("A", 1, QueueId.Memcg1, QueueId.Memcg1), new FolioSpec("B", 1, QueueId.Memcg2, QueueId.Memcg2)],
        [[Scan(QueueId.Memcg1)], [PutRefs(0, 1)]]);

    /// <summary>An uncharged folio on the node queue: scan and free take the same lock in every state.</summary>
    public static readonly Scenario NodeQueue = New("node-queue-batch",
        "A uncharged on node0's queue; CPU 1 scans node0 while CPU 2 batch-frees A (both sides take node0's lock)",
        [new FolioSpec("A", 1, QueueId.None, QueueId.Node0)],
        [[Scan(QueueId.Node0)], [PutRefs(0)]]);

    /// <summary>
    /// The lost-race branch: the scan finds A with refcount 0 and takes it off the queue while the
    /// free path peeks at <c>list_empty()</c> without the lock (the finding beyond history).
    /// </summary>
    public static readonly Scenario LostRace = New("lost-race",
        "CPU 2 drops A's only reference while CPU 1's scan reaches it: the scan's lost-race list_del_init races the free path's unlocked list_empty peek",
        [new FolioSpec("A", 1, QueueId.Memcg1, QueueId.Memcg1)],
        [[Scan(QueueId.Memcg1)], [Put(0)]]);

    /// <summary>
    /// v6.12's unlocked deletion (docs/HISTORY.md §5.1 (iv)): P (partially mapped) and A (not) adjacent on
    /// memcg1's queue. The scan keeps P on its local list and deletes A from it without the lock while
    /// CPU 2 drops P's last reference and unqueues P under the lock.
    /// </summary>
    public static readonly Scenario PartiallyMappedNeighbour = New("partially-mapped-neighbour",
        "P (partially mapped) then A on memcg1's queue; CPU 1 scans memcg1 while CPU 2 drops P's last reference with folio_put()",
        [new FolioSpec("P", 1, QueueId.Memcg1, QueueId.Memcg1, PartiallyMapped: true), new FolioSpec("A", 1, QueueId.Memcg1, QueueId.Memcg1)],
        [[Scan(QueueId.Memcg1)], [Put(0)]]);

    /// <summary>
    /// docs/HISTORY.md §5.1 (iv) in the order that sets it up: A then P on memcg1's queue, so that
    /// loop 1's <c>list_move()</c> (to the front) leaves P before A on the local list; loop 2 keeps P
    /// and then deletes A without the lock, next to P, while CPU 2 unqueues P under the lock.
    /// </summary>
    public static readonly Scenario PartiallyMappedBehind = New("partially-mapped-behind",
        "A then P (partially mapped) on memcg1's queue; CPU 1 scans memcg1 while CPU 2 drops P's last reference with folio_put()",
        [new FolioSpec("A", 1, QueueId.Memcg1, QueueId.Memcg1), new FolioSpec("P", 1, QueueId.Memcg1, QueueId.Memcg1, PartiallyMapped: true)],
        [[Scan(QueueId.Memcg1)], [Put(1)]]);

    /// <summary>The rmap path queues a folio (v6.12: as partially mapped) while the scan runs and a neighbour is freed.</summary>
    public static readonly Scenario QueueDuringScan = New("queue-during-scan",
        "A on memcg1's queue; CPU 1 scans memcg1, CPU 2 queues B (deferred_split_folio, partially mapped) and CPU 3 frees A",
        [new FolioSpec("A", 1, QueueId.Memcg1, QueueId.Memcg1), new FolioSpec("B", 1, QueueId.Memcg1, QueueId.None)],
        [[Scan(QueueId.Memcg1)], [Queue(1, partiallyMapped: true)], [Put(0)]]);

    /// <summary>
    /// An underused THP (v6.12+: fully mapped, mostly zero pages, max_ptes_none lowered) on the queue
    /// while another task holds its folio lock: the scan cannot lock it to split it (3bac01168982's case).
    /// </summary>
    public static readonly Scenario UnderusedLocked = New("underused-locked",
        "A on memcg1's queue, underused (fully mapped, mostly zero-filled pages); CPU 2 holds A's lock for a while as CPU 1 scans memcg1, so the scan's trylock may fail",
        [new FolioSpec("A", 1, QueueId.Memcg1, QueueId.Memcg1, Underused: true)],
        [[Scan(QueueId.Memcg1)], [Lock(0), Unlock(0)]]);

    /// <summary>Migration of a queued folio while the scan runs (docs/HISTORY.md §5.2).</summary>
    public static readonly Scenario MigrateVsScan = New("migrate-vs-scan",
        "A on memcg1's queue, isolated by CPU 2 (its only reference); CPU 1 scans memcg1 while CPU 2 migrates A",
        [new FolioSpec("A", 1, QueueId.Memcg1, QueueId.Memcg1)],
        [[Scan(QueueId.Memcg1)], [Migrate(0)]]);

    /// <summary>Migration unqueues A from the scan's local list while the scan's safe iteration has already read A as next.</summary>
    public static readonly Scenario MigrateNeighbour = New("migrate-neighbour",
        "B then A on memcg1's queue; CPU 1 scans memcg1 while CPU 2 migrates A (its only reference)",
        [new FolioSpec("B", 1, QueueId.Memcg1, QueueId.Memcg1), new FolioSpec("A", 1, QueueId.Memcg1, QueueId.Memcg1)],
        [[Scan(QueueId.Memcg1)], [Migrate(1)]]);

    /// <summary>v6.10-rc1's hole: A is queued after migration checked that it is not on a deferred list.</summary>
    public static readonly Scenario MigrateRequeue = New("migrate-requeue-neighbour",
        "B on memcg1's queue, A charged but not queued; CPU 2 migrates A (isolation reference) while CPU 3, unmapping A, queues it and drops its reference, and CPU 1 scans memcg1",
        [new FolioSpec("B", 1, QueueId.Memcg1, QueueId.Memcg1), new FolioSpec("A", 2, QueueId.Memcg1, QueueId.None)],
        [[Scan(QueueId.Memcg1)], [Migrate(1)], [Queue(1, partiallyMapped: true), Put(1)]]);

    /// <summary>
    /// 8a8ca142a488's race (syzbot, fixed by 3bac01168982): migration replays the source's deferred-split
    /// state on the destination after <c>remove_migration_ptes()</c> has mapped it, and a task unmapping
    /// part of the range in between has already flagged the destination partially mapped.
    /// </summary>
    public static readonly Scenario MigrateUnmapDst = New("migrate-unmap-dst",
        "A on memcg1's queue (fully mapped, queued at fault), isolated by CPU 1 (its only reference), which migrates it into B (a fresh folio: the migration's reference); CPU 2's task unmaps part of the range, whose PTEs map B once remove_migration_ptes() has run",
        [new FolioSpec("A", 1, QueueId.Memcg1, QueueId.Memcg1), new FolioSpec("B", 1, QueueId.None, QueueId.None)],
        [[MigrateInto(0, 1)], [Unmap(1)]]);

    /// <summary>A split by another path (folio lock held, refcount frozen under the queue lock) while the scan runs.</summary>
    public static readonly Scenario SplitVsScan = New("split-vs-scan",
        "A on memcg1's queue; CPU 2 holds a reference, splits A (folio_lock, split_folio, folio_unlock) and drops it while CPU 1 scans memcg1",
        [new FolioSpec("A", 1, QueueId.Memcg1, QueueId.Memcg1)],
        [[Scan(QueueId.Memcg1)], [Split(0), Put(0)]]);

    /// <summary>v6.12's unlocked deletion against a split of the earlier folio by another path.</summary>
    public static readonly Scenario SplitNeighbour = New("split-neighbour",
        "P (partially mapped) then A on memcg1's queue; CPU 2 splits P by another path while CPU 1 scans memcg1",
        [new FolioSpec("P", 1, QueueId.Memcg1, QueueId.Memcg1, PartiallyMapped: true), new FolioSpec("A", 1, QueueId.Memcg1, QueueId.Memcg1)],
        [[Scan(QueueId.Memcg1)], [Split(0)]]);

    /// <summary>
    /// v6.12-rc1's unlocked <c>split_queue_len--</c> in loop 2 against a split of a folio the scan left
    /// on the queue (<c>nr_to_scan=1</c> takes only A): both decrement the same count, one without the
    /// lock, and a lost update leaves a wrong count, which no model assertion is needed to see.
    /// </summary>
    public static readonly Scenario SplitBesideScan = New("split-beside-scan",
        "A then B on memcg1's queue; CPU 1 scans one folio of memcg1 (nr_to_scan=1) while CPU 2, holding B's only reference, splits B",
        [new FolioSpec("A", 1, QueueId.Memcg1, QueueId.Memcg1), new FolioSpec("B", 1, QueueId.Memcg1, QueueId.Memcg1)],
        [[Scan(QueueId.Memcg1, 1)], [Split(1)]]);

    /// <summary>Reclaim swaps out a queued folio while the scan walks its queue (f8f931bba0f9's race).</summary>
    public static readonly Scenario SwapoutVsScan = New("swapout-vs-scan",
        "A on memcg1's queue; CPU 2, holding the isolation reference, swaps A out (cgroup v1) while CPU 1 scans memcg1",
        [new FolioSpec("A", 1, QueueId.Memcg1, QueueId.Memcg1)],
        [[Scan(QueueId.Memcg1)], [Swapout(0)]]);

    /// <summary>The swapped-out folio's neighbour on the queue is the scan's; the free unqueues it under the node's lock.</summary>
    public static readonly Scenario SwapoutNeighbour = New("swapout-neighbour",
        "A then B on memcg1's queue; CPU 2 swaps B out while CPU 1 scans memcg1",
        [new FolioSpec("A", 1, QueueId.Memcg1, QueueId.Memcg1), new FolioSpec("B", 1, QueueId.Memcg1, QueueId.Memcg1)],
        [[Scan(QueueId.Memcg1)], [Swapout(1)]]);

    /// <summary>Swapout alone: the free after it unqueues the folio from memcg1's queue under node0's lock, no race needed.</summary>
    public static readonly Scenario SwapoutQueued = New("swapout-queued",
        "A on memcg1's queue, B charged to memcg1 but not queued; CPU 1 swaps A out while CPU 2 queues B (deferred_split_folio) under memcg1's lock",
        [new FolioSpec("A", 1, QueueId.Memcg1, QueueId.Memcg1), new FolioSpec("B", 1, QueueId.Memcg1, QueueId.None)],
        [[Swapout(0)], [new Op(OpKind.DeferredSplitFolio, [1], PartiallyMapped: true)]]);

    /// <summary>
    /// memcg v1 moves the charge of a queued THP (queued at fault since v6.12-rc1's dafff3f4c850, rarely
    /// before) while the scan walks the queue it is linked on; the task then unmaps it, and the free
    /// unqueues it under the destination memcg's lock (f8f931bba0f9's charge-move race).
    /// </summary>
    public static readonly Scenario MoveChargeVsScan = New("move-charge-vs-scan",
        "A on memcg1's queue, mapped by CPU 2's task (the mapping's reference); CPU 2 moves A's charge to memcg2 (cgroup v1) and unmaps A (folio_put) while CPU 1 scans memcg1",
        [new FolioSpec("A", 1, QueueId.Memcg1, QueueId.Memcg1)],
        [[Scan(QueueId.Memcg1)], [MoveCharge(0, QueueId.Memcg2), Put(0)]]);

    /// <summary>The moved folio's neighbour on the queue is the scan's; its free unqueues it under memcg2's lock.</summary>
    public static readonly Scenario MoveChargeNeighbour = New("move-charge-neighbour",
        "A then B on memcg1's queue; CPU 2 moves B's charge to memcg2 and unmaps B (its mapping's reference) while CPU 1 scans memcg1",
        [new FolioSpec("A", 1, QueueId.Memcg1, QueueId.Memcg1), new FolioSpec("B", 1, QueueId.Memcg1, QueueId.Memcg1)],
        [[Scan(QueueId.Memcg1)], [MoveCharge(1, QueueId.Memcg2), Put(1)]]);

    /// <summary>The charge move alone: the free after it unqueues A from memcg1's queue under memcg2's lock while memcg1's lock is taken to queue B.</summary>
    public static readonly Scenario MoveChargeQueued = New("move-charge-queued",
        "A on memcg1's queue, B charged to memcg1 but not queued; CPU 1 moves A's charge to memcg2 and unmaps A while CPU 2 queues B (deferred_split_folio) under memcg1's lock",
        [new FolioSpec("A", 1, QueueId.Memcg1, QueueId.Memcg1), new FolioSpec("B", 1, QueueId.Memcg1, QueueId.None)],
        [[MoveCharge(0, QueueId.Memcg2), Put(0)], [new Op(OpKind.DeferredSplitFolio, [1], PartiallyMapped: true)]]);

    /// <summary>
    /// memcg2 (memcg1's child) goes offline while CPU 1 scans its queue: from the folio_batch series on,
    /// the scan's lock, its re-queue and its retry each go to memcg1's queue once memcg2 is dying, and
    /// <c>reparent_deferred_split_queue()</c> splices memcg2's queue onto memcg1's. Every folio is
    /// partially mapped, so that no state's scan deletes one without the lock (v6.12-rc1's bug,
    /// scan-vs-free), and P's other reference makes its split fail so that it is re-queued.
    /// </summary>
    public static readonly Scenario ReparentVsScan = New("reparent-vs-scan",
        "P (partially mapped) on memcg2's queue, B on memcg1's (memcg2's parent); CPU 1 scans memcg2 (nr_to_scan=2) while CPU 2 takes memcg2 offline",
        [new FolioSpec("P", 1, QueueId.Memcg2, QueueId.Memcg2, PartiallyMapped: true), new FolioSpec("B", 1, QueueId.Memcg1, QueueId.Memcg1, PartiallyMapped: true)],
        [[Scan(QueueId.Memcg2, 2)], [Offline(QueueId.Memcg2)]]);

    /// <summary>
    /// The last reference of a folio of memcg2 goes while memcg2 goes offline and CPU 1 scans memcg1,
    /// where memcg2's folios land: the free's unqueue locks memcg1's queue once memcg2 is dying, and
    /// unlinks A from memcg2's list or, after the splice, from memcg1's.
    /// </summary>
    public static readonly Scenario ReparentFree = New("reparent-free",
        "A (partially mapped) on memcg2's queue, B on memcg1's; CPU 1 scans memcg1 (nr_to_scan=2) while CPU 2 drops A's only reference with folio_put() and CPU 3 takes memcg2 offline",
        [new FolioSpec("A", 1, QueueId.Memcg2, QueueId.Memcg2, PartiallyMapped: true), new FolioSpec("B", 1, QueueId.Memcg1, QueueId.Memcg1, PartiallyMapped: true)],
        [[Scan(QueueId.Memcg1, 2)], [Put(0)], [Offline(QueueId.Memcg2)]]);

    /// <summary>
    /// A split by another path of a folio of memcg2 while memcg2 goes offline and CPU 1 scans memcg2:
    /// the split's <c>folio_split_queue_lock()</c> resolves to memcg1's queue once memcg2 is dying.
    /// </summary>
    public static readonly Scenario ReparentSplit = New("reparent-split",
        "A (partially mapped) on memcg2's queue; CPU 1 scans memcg2 (nr_to_scan=2) while CPU 2, holding A's only reference, splits A and drops it and CPU 3 takes memcg2 offline",
        [new FolioSpec("A", 1, QueueId.Memcg2, QueueId.Memcg2, PartiallyMapped: true)],
        [[Scan(QueueId.Memcg2, 2)], [Split(0), Put(0)], [Offline(QueueId.Memcg2)]]);

    /// <summary>The scan-vs-free family: every scenario where the scan races a free path (and the rmap path that queues).</summary>
    public static readonly IReadOnlyList<Scenario> ScanVsFree = [SeedMail, SeedMailBatch, Neighbours, TwoMemcgs, NodeQueue, LostRace, PartiallyMappedNeighbour, PartiallyMappedBehind, QueueDuringScan, UnderusedLocked];

    /// <summary>The scan-vs-migrate family.</summary>
    public static readonly IReadOnlyList<Scenario> ScanVsMigrate = [MigrateVsScan, MigrateNeighbour, MigrateRequeue, MigrateUnmapDst];

    /// <summary>The scan-vs-split family.</summary>
    public static readonly IReadOnlyList<Scenario> ScanVsSplit = [SplitVsScan, SplitNeighbour, SplitBesideScan];

    /// <summary>The scan-vs-swapout family.</summary>
    public static readonly IReadOnlyList<Scenario> ScanVsSwapout = [SwapoutVsScan, SwapoutNeighbour, SwapoutQueued];

    /// <summary>The scan-vs-move-charge family.</summary>
    public static readonly IReadOnlyList<Scenario> ScanVsMoveCharge = [MoveChargeVsScan, MoveChargeNeighbour, MoveChargeQueued];

    /// <summary>The scan-vs-reparent family.</summary>
    public static readonly IReadOnlyList<Scenario> ScanVsReparent = [ReparentVsScan, ReparentFree, ReparentSplit];

    /// <summary>Every named scenario.</summary>
    public static readonly IReadOnlyList<Scenario> All = [.. ScanVsFree, .. ScanVsMigrate, .. ScanVsSplit, .. ScanVsSwapout, .. ScanVsMoveCharge, .. ScanVsReparent];

    /// <summary>Resolves a scenario name, a family name or "all".</summary>
    public static IReadOnlyList<Scenario>? Resolve(string name)
    {
        if (name == "all")
            return All;
        if (Family.Find(name) is { } family)
            return family.Scenarios;
        var s = All.FirstOrDefault(x => x.Name == name);
        return s is null ? null : [s];
    }
}
