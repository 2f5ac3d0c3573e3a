using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using static MmFuzz.Zoo.Ops;

namespace MmFuzz.Zoo;

/// <summary>
/// The mutant zoo: plausible but wrong patches to the kernel states of <see cref="History"/>, each
/// with a witness scenario, for measuring how fast each search finds which bug (<c>bench --only zoo</c>)
/// and for checking that the oracles notice (tests/ZooTests.cs, which also runs the mutation check:
/// a catalog family's hunt catches each lock removal, the swapped free paths and the missing refcount
/// freeze). Mutants are not history: they have no row in <see cref="History"/>. The equivalent
/// mutants are harmless refactorings that must stay clean.
/// </summary>
public static class Zoo
{
    static Mutant Make<TKernel>(string name, string description, Variant @base, Func<World, Cpu, TKernel> factory,
        string function, Scenario witness, int preemptions, bool equivalent = false) where TKernel : MmFuzz.Kernel.Kernel =>
        new(name, description, @base, Variant.Of(name, $"{@base.Name} + mutant: {description}", factory), equivalent)
        {
            Function = function,
            Witness = witness,
            WitnessPreemptions = preemptions,
        };

    static Scenario Witness(string mutant, string description, FolioSpec[] folios, params Op[][] cpus) =>
        new($"witness-{mutant}", description, folios, cpus);

    const string Loop1 = "deferred_split_scan() loop 1";
    const string Loop2 = "deferred_split_scan() loop 2";

    /// <summary>A lost race: CPU 2 drops A's only reference while CPU 1's scan reaches it.</summary>
    static Scenario LostRace(string mutant) => Witness(mutant,
        "CPU 1 scans memcg1 while CPU 2 drops A's only reference with folio_put()",
        [Folio("A", 1)], [Scan(QueueId.Memcg1)], [Put(0)]);

    /// <summary>Every mutant, real ones first, oldest kernel state first.</summary>
    public static IReadOnlyList<Mutant> All { get; } =
    [
        // v6.9
        Make("v6.9-undo-without-recheck",
            "folio_undo_large_rmappable() unqueues on the unlocked data_race(list_empty()) peek alone, without re-checking under split_queue_lock",
            Variants.V6_9, (w, c) => new V6_9UndoWithoutRecheck(w, c), "folio_undo_large_rmappable()",
            LostRace("v6.9-undo-without-recheck"), 1),
        Make("v6.9-queue-without-recheck",
            "deferred_split_folio() queues on the unlocked list_empty() peek alone, without re-checking under split_queue_lock",
            Variants.V6_9, (w, c) => new V6_9QueueWithoutRecheck(w, c), "deferred_split_folio()",
            Witness("v6.9-queue-without-recheck", "CPU 1 and CPU 2 partially unmap A at once: both call deferred_split_folio(A)",
                [Folio("A", 1, queued: false)], [Queue(0, true)], [Queue(0, true)]), 1),
        Make("v6.9-split-unqueue-before-freeze",
            "split_huge_page_to_list_to_order() unqueues the folio before folio_ref_freeze() and returns -EAGAIN with it unqueued when the freeze fails",
            Variants.V6_9, (w, c) => new V6_9SplitUnqueueBeforeFreeze(w, c), "split_huge_page_to_list_to_order()",
            Witness("v6.9-split-unqueue-before-freeze", "A then B on memcg1's queue; CPU 1 scans memcg1 while CPU 2 splits A by another path and drops its reference",
                [Folio("A", 1), Folio("B", 1)], [Scan(QueueId.Memcg1)], [Split(0), Put(0)]), 1),
        Make("v6.9-lost-race-keeps-count",
            "deferred_split_scan()'s lost-race branch list_del_init()s the folio but forgets split_queue_len--",
            Variants.V6_9, (w, c) => new V6_9LostRaceKeepsCount(w, c), Loop1,
            LostRace("v6.9-lost-race-keeps-count"), 1),
        Make("v6.9-put-before-unlock",
            "deferred_split_scan() loop 2 drops the scan's reference with folio_put() before folio_unlock()",
            Variants.V6_9, (w, c) => new V6_9PutBeforeUnlock(w, c), Loop2,
            LostRace("v6.9-put-before-unlock"), 1),
        Make("v6.9-iterate-unsafe",
            "deferred_split_scan() loop 2 walks the on-stack list with list_for_each_entry(), reading the successor after split_folio() and folio_put()",
            Variants.V6_9, (w, c) => new V6_9IterateUnsafe(w, c), Loop2,
            LostRace("v6.9-iterate-unsafe"), 1),
        Make("v6.9-uncharge-before-unqueue",
            "__folio_put() calls mem_cgroup_uncharge() before folio_undo_large_rmappable()",
            Variants.V6_9, (w, c) => new V6_9UnchargeBeforeUnqueue(w, c), "__folio_put()",
            LostRace("v6.9-uncharge-before-unqueue"), 0),
        Make("v6.9-free-paths-uncharge-first",
            "both free paths uncharge before they unqueue: __folio_put() calls mem_cgroup_uncharge() first, folios_put_refs() leaves the unqueue to free_unref_folios() after mem_cgroup_uncharge_folios()",
            Variants.V6_9, (w, c) => new V6_9FreePathsUnchargeFirst(w, c), "__folio_put(), folios_put_refs()",
            Witness("v6.9-free-paths-uncharge-first", "A on memcg1's queue; CPU 1 scans memcg1 while CPU 2 drops A's only reference with folios_put_refs()",
                [Folio("A", 1)], [Scan(QueueId.Memcg1)], [PutRefs(0)]), 0),

        // v6.10
        Make("v6.10-unqueue-after-unfreeze",
            "folio_migrate_mapping() freezes the refcount but unqueues after folio_ref_unfreeze(), with the refcount live again",
            Variants.V6_10, (w, c) => new V6_10UnqueueAfterUnfreeze(w, c), "folio_migrate_mapping()",
            Witness("v6.10-unqueue-after-unfreeze", "B on memcg1's queue, A charged but not queued; CPU 2 migrates A (isolation reference) while CPU 3, unmapping A, queues it and drops its reference, and CPU 1 scans memcg1",
                [Folio("B", 1), Folio("A", 2, queued: false)], [Scan(QueueId.Memcg1)], [Migrate(1)], [Queue(1, true), Put(1)]), 3),
        Make("v6.10-lost-race-counted-after-unlock",
            "deferred_split_scan() loop 1 counts lost-race folios and subtracts them from split_queue_len after spin_unlock()",
            Variants.V6_10, (w, c) => new V6_10LostRaceCountedAfterUnlock(w, c), Loop1,
            LostRace("v6.10-lost-race-counted-after-unlock"), 1),
        Make("v6.10-split-unlink-after-unlock",
            "split_huge_page_to_list_to_order() counts the frozen folio off under split_queue_lock but list_del_init()s it after spin_unlock()",
            Variants.V6_10, (w, c) => new V6_10SplitUnlinkAfterUnlock(w, c), "split_huge_page_to_list_to_order()",
            Witness("v6.10-split-unlink-after-unlock", "A then X on memcg1's queue; CPU 1 scans memcg1 while CPU 2 drops X's last reference and CPU 3 drops its reference to A, so the scan splits A",
                [Folio("A", 1), Folio("X", 1)], [Scan(QueueId.Memcg1)], [Put(1)], [Put(0)]), 2),
        Make("v6.10-queue-under-node-lock",
            "deferred_split_folio() takes the node queue's split_queue_lock but links the folio on its memcg's queue",
            Variants.V6_10, (w, c) => new V6_10QueueUnderNodeLock(w, c), "deferred_split_folio()",
            Witness("v6.10-queue-under-node-lock", "B on memcg1's queue, A charged to memcg1 but not queued; CPU 1 scans memcg1 while CPU 2 partially unmaps A",
                [Folio("B", 1), Folio("A", 1, queued: false)], [Scan(QueueId.Memcg1)], [Queue(1, true)]), 0),
        Make("v6.10-migrate-without-freeze",
            "folio_migrate_mapping() unqueues without folio_ref_freeze(), trusting its folio_ref_count() check",
            Variants.V6_10, (w, c) => new V6_10MigrateWithoutFreeze(w, c), "folio_migrate_mapping()",
            Witness("v6.10-migrate-without-freeze", "B on memcg1's queue, A charged but not queued; CPU 2 migrates A (isolation reference) while CPU 3, unmapping A, queues it and drops its reference, and CPU 1 scans memcg1",
                [Folio("B", 1), Folio("A", 2, queued: false)], [Scan(QueueId.Memcg1)], [Migrate(1)], [Queue(1, true), Put(1)]), 3),

        // v6.13
        Make("v6.13-kept-folio-put-at-once",
            "deferred_split_scan() loop 2 puts a partially mapped folio it leaves on the local list at once instead of keeping it pinned as the separator prev",
            Variants.V6_13, (w, c) => new V6_13KeptFolioPutAtOnce(w, c), Loop2,
            Witness("v6.13-kept-folio-put-at-once", "A (not partially mapped) then P (partially mapped) on memcg1's queue; CPU 1 scans memcg1 while CPU 2 drops P's last reference",
                [Folio("A", 1), Folio("P", 1, partiallyMapped: true)], [Scan(QueueId.Memcg1)], [Put(1)]), 1),
        Make("v6.13-separator-from-split-folio",
            "deferred_split_scan() loop 2 without a3477c9e02cc: a folio the scan just split becomes the separator prev, and the partially mapped folio it replaces is released",
            Variants.V6_13, (w, c) => new V6_13SeparatorFromSplitFolio(w, c), Loop2,
            Witness("v6.13-separator-from-split-folio", "A (not partially mapped), S and K (partially mapped) on memcg1's queue; CPU 1 scans memcg1 while CPU 2 drops K's last reference and CPU 3 drops its reference to S",
                [Folio("A", 1), Folio("S", 1, partiallyMapped: true), Folio("K", 1, partiallyMapped: true)], [Scan(QueueId.Memcg1)], [Put(2)], [Put(1)]), 2),
        Make("v6.13-removed-subtracted-after-unlock",
            "deferred_split_scan() subtracts removed from split_queue_len after spin_unlock() instead of under the lock",
            Variants.V6_13, (w, c) => new V6_13RemovedSubtractedAfterUnlock(w, c), "deferred_split_scan() splice",
            LostRace("v6.13-removed-subtracted-after-unlock"), 0),
        Make("v6.13-pin-with-folio-get",
            "deferred_split_scan() loop 1 pins each folio with folio_get() instead of folio_try_get(), so a folio at refcount 0 is pinned",
            Variants.V6_13, (w, c) => new V6_13PinWithFolioGet(w, c), Loop1,
            LostRace("v6.13-pin-with-folio-get"), 1),

        // v6.13 with one function's split_queue_lock/unlock pair removed: each function that takes it.
        Make("v6.13-queue-unlocked",
            "deferred_split_folio() sets PG_partially_mapped and queues the folio without split_queue_lock",
            Variants.V6_13, (w, c) => new V6_13QueueUnlocked(w, c), "deferred_split_folio()",
            Witness("v6.13-queue-unlocked", "B on memcg1's queue, A charged to memcg1 but not queued; CPU 1 scans memcg1 while CPU 2 partially unmaps A",
                [Folio("B", 1), Folio("A", 1, queued: false)], [Scan(QueueId.Memcg1)], [Queue(1, true)]), 0),
        Make("v6.13-pin-unlocked",
            "deferred_split_scan() loop 1 pins the queued folios and moves them to its on-stack list without split_queue_lock",
            Variants.V6_13, (w, c) => new V6_13PinUnlocked(w, c), Loop1,
            LostRace("v6.13-pin-unlocked"), 0),
        Make("v6.13-splice-unlocked",
            "deferred_split_scan() splices the survivors back and subtracts removed from split_queue_len without split_queue_lock",
            Variants.V6_13, (w, c) => new V6_13SpliceUnlocked(w, c), "deferred_split_scan() splice",
            LostRace("v6.13-splice-unlocked"), 0),
        Make("v6.13-split-unlocked",
            "split_huge_page_to_list_to_order() freezes the refcount and unqueues the folio without split_queue_lock",
            Variants.V6_13, (w, c) => new V6_13SplitUnlocked(w, c), "split_huge_page_to_list_to_order()",
            Witness("v6.13-split-unlocked", "A on memcg1's queue; CPU 1 scans memcg1 while CPU 2 splits A by another path",
                [Folio("A", 1)], [Scan(QueueId.Memcg1)], [Split(0)]), 0),
        Make("v6.13-unqueue-unlocked",
            "__folio_unqueue_deferred_split() re-checks, counts off and unlinks the folio without split_queue_lock",
            Variants.V6_13, (w, c) => new V6_13UnqueueUnlocked(w, c), "__folio_unqueue_deferred_split()",
            LostRace("v6.13-unqueue-unlocked"), 0),

        // folio-batch
        Make("folio-batch-requeue-unlocked",
            "deferred_split_scan() loop 2 re-queues a partially mapped folio without the queue's split_queue_lock",
            Variants.FolioBatch, (w, c) => new FolioBatchRequeueUnlocked(w, c), Loop2,
            Witness("folio-batch-requeue-unlocked", "P (not partially mapped) on memcg1's queue; CPU 1 scans memcg1 while CPU 2 partially unmaps P (deferred_split_folio(P, true)) and drops its reference",
                [Folio("P", 1)], [Scan(QueueId.Memcg1)], [Queue(0, true), Put(0)]), 1),
        Make("folio-batch-put-before-requeue",
            "deferred_split_scan() loop 2 drops each batch reference before re-queueing the folio instead of with folios_put() after the loop",
            Variants.FolioBatch, (w, c) => new FolioBatchPutBeforeRequeue(w, c), Loop2,
            Witness("folio-batch-put-before-requeue", "P (not partially mapped) on memcg1's queue; CPU 1 scans memcg1 while CPU 2 partially unmaps P (deferred_split_folio(P, true)) and then drops its reference",
                [Folio("P", 1)], [Scan(QueueId.Memcg1)], [Queue(0, true), Put(0)]), 1),
        Make("folio-batch-requeue-without-recheck",
            "deferred_split_scan() loop 2 re-queues under the lock without re-checking list_empty(), though a partial unmap may have queued the folio meanwhile",
            Variants.FolioBatch, (w, c) => new FolioBatchRequeueWithoutRecheck(w, c), Loop2,
            Witness("folio-batch-requeue-without-recheck", "P (not partially mapped) on memcg1's queue; CPU 1 scans memcg1 while CPU 2 partially unmaps P (deferred_split_folio(P, true))",
                [Folio("P", 1)], [Scan(QueueId.Memcg1)], [Queue(0, true)]), 1),
        Make("folio-batch-requeue-check-outside-lock",
            "deferred_split_scan() loop 2 tests list_empty() before taking split_queue_lock for the re-queue, not under it",
            Variants.FolioBatch, (w, c) => new FolioBatchRequeueCheckOutsideLock(w, c), Loop2,
            Witness("folio-batch-requeue-check-outside-lock", "P (not partially mapped) on memcg1's queue; CPU 1 scans memcg1 while CPU 2 partially unmaps P (deferred_split_folio(P, true))",
                [Folio("P", 1)], [Scan(QueueId.Memcg1)], [Queue(0, true)]), 2),

        // Equivalent mutants: harmless refactorings, expected to stay clean.
        Make("v6.10-splice-to-head",
            "EQUIVALENT: deferred_split_scan() splices the survivors back to the head of the queue (list_splice) instead of the tail, still under the lock",
            Variants.V6_10, (w, c) => new V6_10SpliceToHead(w, c), Loop2,
            Witness("v6.10-splice-to-head", "A then B on memcg1's queue; CPU 1 scans memcg1 while CPU 2 drops A's reference and CPU 3 queues C",
                [Folio("A", 1), Folio("B", 1), Folio("C", 1, queued: false)], [Scan(QueueId.Memcg1)], [Put(0)], [Queue(2, true)]), 2, equivalent: true),
        Make("v6.13-put-prev-before-splice",
            "EQUIVALENT: deferred_split_scan() drops the separator prev before the locked splice instead of after it",
            Variants.V6_13, (w, c) => new V6_13PutPrevBeforeSplice(w, c), Loop2,
            Witness("v6.13-put-prev-before-splice", "A (not partially mapped) then P (partially mapped) on memcg1's queue; CPU 1 scans memcg1 while CPU 2 drops P's last reference",
                [Folio("A", 1), Folio("P", 1, partiallyMapped: true)], [Scan(QueueId.Memcg1)], [Put(1)]), 2, equivalent: true),
    ];
}
