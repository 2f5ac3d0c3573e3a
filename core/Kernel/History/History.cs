using MmFuzz.Engine;
using MmFuzz.Scenarios;

namespace MmFuzz.Kernel;

/// <summary>
/// What history says about each kernel state the model reproduces, per scenario family: safe, or the
/// race a fix was merged for (its fix, the kinds it shows, the preemptions it needs). One row per
/// variant, listing its races by family (a family a row does not list is safe); the row is where a
/// variant is registered, so a new kernel state is one port file and one row here
/// (docs/ADDING-A-VARIANT.md). <see cref="Judge"/> reads what a search found against a row.
/// Sources: docs/HISTORY.md.
/// </summary>
public static class History
{
    const string FixMigrate = "be9581ea8c05 \"mm: fix crashes from deferred split racing folio migration\" (Hugh Dickins, v6.10)";
    const string FixBatchFree = "47932e7048df \"mm: remove folio from deferred split list before uncharging it\" (Matthew Wilcox, v6.9-rc1)";
    const string FixSwapout = "f8f931bba0f9 \"mm/thp: fix deferred split unqueue naming and locking\" (Hugh Dickins, v6.12): mem_cgroup_swapout() unqueues before clearing memcg_data";
    const string FixMoveCharge = "f8f931bba0f9 \"mm/thp: fix deferred split unqueue naming and locking\" (Hugh Dickins, v6.12): mem_cgroup_move_charge_pte_range() splits a queued THP or skips it";
    const string FixUnderused = "e66f3185fa04 \"mm/thp: fix deferred split queue not partially_mapped\" and its follow-up (Hugh Dickins, v6.12)";
    const string FixUnlockable = "3bac01168982 \"mm: fix deferred split queue races during migration\" (Lance Yang, v7.1): deferred_split_scan() re-queues a folio whose folio_trylock() fails (goto requeue)";
    const string FixRequeue = "3bac01168982 \"mm: fix deferred split queue races during migration\" (Lance Yang, v7.1): migrate_folio_move() requeues the destination before remove_migration_ptes(), and the scan re-queues a folio it could not lock";

    /// <summary>
    /// The folio_batch scan's <c>goto next</c> after a failed <c>folio_trylock()</c> (v6.19 to 7.0):
    /// an underused folio another task holds locked (a <c>folio_lock()</c> holder, a migration, a split,
    /// reclaim) is dropped from its queue untried, and nothing queues a fully mapped folio again
    /// (3bac01168982 names it: "silently lost from split_queue"). Silent in the kernel.
    /// </summary>
    static readonly BugKind[] UnlockableKinds = [BugKind.LostDeferredSplit];

    /// <summary>
    /// 8a8ca142a488's replay after <c>remove_migration_ptes()</c>: a partial unmap of the mapped destination
    /// flags it partially mapped before the replay's <c>deferred_split_folio(dst, false)</c>, which
    /// trips <c>VM_WARN_ON_FOLIO(folio_test_partially_mapped(folio))</c> (syzbot's report); and the
    /// destination, queued while migration holds its lock, is dropped by the scan's <c>goto next</c>.
    /// </summary>
    static readonly BugKind[] RequeueKinds = [BugKind.Accounting, BugKind.LostDeferredSplit];

    /// <summary>
    /// The lost deferred split of an underused folio in a family whose catalog does not show it: any
    /// scenario where a scan meets an underused folio (another path may hold its lock).
    /// </summary>
    static KnownFinding UnlockableElsewhere(string regression) =>
        new(BugKind.LostDeferredSplit,
            "a scan meets an underused folio whose lock another path holds (a split, reclaim, a folio_lock() holder): loop 2's goto next drops it",
            regression,
            s => s.Folios.Any(f => f.Underused) && s.Cpus.Any(p => p.Any(op => op.Kind == OpKind.Scan)));

    /// <summary>
    /// Migration's double free (be9581ea8c05): the scan's iteration revisits a folio migration unlinked
    /// from its local list and puts it twice, or never reaches it and its pin leaks.
    /// </summary>
    static readonly BugKind[] MigrationKinds =
        [BugKind.UseAfterFree, BugKind.Refcount, BugKind.ListCorruption, BugKind.BadPageState, BugKind.GeneralProtection, BugKind.Livelock, BugKind.Accounting];

    /// <summary>The seed mail's race: the batch free unqueues under the node's lock a folio linked on a memcg's queue or a scan's local list.</summary>
    static readonly BugKind[] BatchFreeKinds = [BugKind.WrongLock, BugKind.ListCorruption, BugKind.Accounting];

    /// <summary>
    /// Swapout (cgroup v1) clears memcg_data with the folio still on its memcg's queue; the free then
    /// unqueues it under the node's lock: wrong counts on both queues, and list corruption when a
    /// holder of the memcg's lock writes the same list meanwhile.
    /// </summary>
    static readonly BugKind[] SwapoutKinds = [BugKind.WrongLock, BugKind.ListCorruption, BugKind.Accounting, BugKind.UseAfterFree, BugKind.BadPageState];

    /// <summary>
    /// memcg v1's charge move (cgroup v1) switches memcg_data with the folio still on the old memcg's
    /// queue; every later unqueue (the free, a split) takes the new memcg's lock and counts on its queue:
    /// wrong counts on both queues (0 preemptions), and "from" memcg's list corrupted when a holder of
    /// its lock writes it meanwhile (1 preemption), then the folio freed while still linked.
    /// </summary>
    static readonly BugKind[] MoveChargeKinds =
        [BugKind.WrongLock, BugKind.ListCorruption, BugKind.Accounting, BugKind.UseAfterFree, BugKind.BadPageState, BugKind.GeneralProtection];

    /// <summary>v6.12-rc1's unlocked list_del_init() and split_queue_len-- in the scan's loop 2 (Hugh Dickins, Oct 2024).</summary>
    static readonly BugKind[] UnderusedKinds = [BugKind.WrongLock, BugKind.ListCorruption, BugKind.Accounting, BugKind.BadPageState];

    /// <summary>Migration's double free, within history's 2 preemptions (v6.8 to v6.9).</summary>
    static readonly (Family, HistoryCell) MigrateRace = (Family.ScanVsMigrate, HistoryCell.Bug(FixMigrate, MigrationKinds));

    /// <summary>Swapout's wrong-lock unqueue (cgroup v1), from v6.8 to v6.12-rc1: 1 preemption.</summary>
    static readonly (Family, HistoryCell) SwapoutRace = (Family.ScanVsSwapout, HistoryCell.Bug(FixSwapout, SwapoutKinds, preemptions: 1));

    /// <summary>The charge move's wrong-lock unqueue (cgroup v1), from v6.8 to v6.12-rc1: 1 preemption.</summary>
    static readonly (Family, HistoryCell) MoveChargeRace = (Family.ScanVsMoveCharge, HistoryCell.Bug(FixMoveCharge, MoveChargeKinds, preemptions: 1));

    /// <summary>The rows, oldest kernel state first.</summary>
    public static readonly IReadOnlyList<HistoryRow> Rows =
    [
        new(Variant.Of("v6.8",
                "v6.8: destroy_large_folio() unqueues before the uncharge; folio_migrate_mapping() checks the count without freezing",
                (w, c) => new KernelV6_8(w, c)),
            [MigrateRace, SwapoutRace, MoveChargeRace],
            "scan x migrate fixed by be9581ea8c05 (Hugh Dickins, v6.10)"),
        new(Variant.Of("mm-2024-03",
                "mm-unstable, March 2024: f77171d241e3 \"mm: allow non-hugetlb large folios to be batch processed\" before 47932e7048df",
                (w, c) => new KernelMm2024_03(w, c)),
            [(Family.ScanVsFree, HistoryCell.Bug(FixBatchFree, BatchFreeKinds)), MigrateRace, SwapoutRace, MoveChargeRace],
            "seed mail (Matthew Wilcox, 2024-03); fixed by 47932e7048df; migration as v6.8"),
        new(Variant.Of("v6.9",
                "v6.9: 47932e7048df \"mm: remove folio from deferred split list before uncharging it\"",
                (w, c) => new KernelV6_9(w, c)),
            [MigrateRace, SwapoutRace, MoveChargeRace],
            "47932e7048df (Matthew Wilcox, v6.9-rc1); scan x migrate fixed by be9581ea8c05"),
        new(Variant.Of("v6.10-rc1",
                "v6.10-rc1: 7262f208ca68 (Zi Yan) \"split a source THP that is on the deferred list instead of migrating it\"",
                (w, c) => new KernelV6_10Rc1(w, c)),
            // 7262f208ca68's hole needs the folio queued after the deferred-list check: three preemptions.
            [(Family.ScanVsMigrate, HistoryCell.Bug(FixMigrate, MigrationKinds, preemptions: 3)), SwapoutRace, MoveChargeRace],
            "7262f208ca68 (Zi Yan); scan x migrate fixed by be9581ea8c05 (Hugh Dickins, v6.10)"),
        new(Variant.Of("v6.10",
                "v6.10: be9581ea8c05 (Hugh Dickins): freeze the refcount to 0 around the unqueue in folio_migrate_mapping(); no unqueue in mem_cgroup_migrate()",
                (w, c) => new KernelV6_10(w, c)),
            [SwapoutRace, MoveChargeRace],
            "be9581ea8c05 (Hugh Dickins, v6.10)"),
        new(Variant.Of("v6.12-rc1",
                "v6.12-rc1: dafff3f4c850 \"mm: split underused THPs\" (PG_partially_mapped; unlocked list_del_init in deferred_split_scan)",
                (w, c) => new KernelV6_12Rc1(w, c)),
            // Migration and split race the same unlocked deletion (history names the free path; with the
            // model's wrong-lock assertion off, each family still shows a wrong count: split-beside-scan for split).
            [
                (Family.ScanVsFree, HistoryCell.Bug(FixUnderused, UnderusedKinds)), (Family.ScanVsMigrate, HistoryCell.Bug(FixUnderused, UnderusedKinds)),
                (Family.ScanVsSplit, HistoryCell.Bug(FixUnderused, UnderusedKinds)), SwapoutRace, MoveChargeRace,
            ],
            "Hugh Dickins, Oct 2024; fixed by e66f3185fa04 and its follow-up (v6.12); migrate and split by the same mechanism (inferred)"),
        new(Variant.Of("v6.13",
                "v6.13: e66f3185fa04 \"mm/thp: fix deferred split queue not partially_mapped\" + follow-up, f8f931bba0f9 \"mm/thp: fix deferred split unqueue naming and locking\"",
                (w, c) => new KernelV6_13(w, c)),
            // scan-vs-move-charge: v6.13 has no charge moving (6b611388b626 "memcg-v1: remove charge move
            // code", Shakeel Butt, 6.13-rc1), so the path is absent and safe; the port runs v6.12's last
            // form of it (f8f931bba0f9: split a queued THP or skip it), which is safe too.
            [],
            "e66f3185fa04, f8f931bba0f9 (Hugh Dickins, v6.12)")
        {
            Known =
            [
                new(BugKind.WrongLock,
                    "a scan while the rmap path queues a folio (deferred_split_folio(A, true)): loop 2's unlocked list_del_init() torn by the queueing",
                    "corpus/findings/0001-v6.13-fuzz-wrong-lock.schedule",
                    s => s.Cpus.Any(p => p.Any(op => op.Kind == OpKind.Scan)) && s.Cpus.Any(p => p.Any(op => op.Kind == OpKind.DeferredSplitFolio))),
                new(BugKind.ListCorruption,
                    "the same race as the kernel sees it: the re-queue lands between loop 2's two unlocked stores and the queue is left pointing at a self-linked folio",
                    "corpus/findings/0003-v6.13-list-corruption.schedule",
                    s => s.Cpus.Any(p => p.Any(op => op.Kind == OpKind.Scan)) && s.Cpus.Any(p => p.Any(op => op.Kind == OpKind.DeferredSplitFolio))),
            ],
        },
        new(Variant.Of("v6.19",
                "v6.19 (to v7.0): the folio_batch series as merged (fd603ae11e72, ad7c7f4576a5, 776bde7caf80, 46156dba32cb; Muchun Song / Qi Zheng); loop 2's failed folio_trylock() goes to next, which drops an underused folio",
                (w, c) => new KernelV6_19(w, c)),
            [(Family.ScanVsFree, HistoryCell.Bug(FixUnlockable, UnlockableKinds, preemptions: 1))],
            "776bde7caf80 etc. (v6.19); the underused folio the scan could not lock is lost, named by 3bac01168982 (Lance Yang, v7.1)")
        {
            Known = [UnlockableElsewhere("corpus/regressions/0027-v6.19-underused-locked.schedule")],
        },
        new(Variant.Of("folio-batch",
                "folio-batch: \"mm: thp: use folio_batch to handle THP splitting in deferred_split_scan()\" (Muchun Song / Qi Zheng, 2025) on v6.13, with 3bac01168982's goto requeue in the scan; no migration requeue (not a release)",
                (w, c) => new KernelFolioBatch(w, c)),
            [],
            "the design the seed mail proposes; no corrupting race recorded"),
        new(Variant.Of("mm-2026-03",
                "mm-stable, March 2026: v6.19 + 8a8ca142a488 \"mm: migrate: requeue destination folio on deferred split queue\" (Usama Arif; a2e0c0668a34 in mainline), replayed after remove_migration_ptes(); before 3bac01168982 (not a release)",
                (w, c) => new KernelMm2026_03(w, c)),
            [
                (Family.ScanVsFree, HistoryCell.Bug(FixUnlockable, UnlockableKinds, preemptions: 1)),
                (Family.ScanVsMigrate, HistoryCell.Bug(FixRequeue, RequeueKinds)),
            ],
            "8a8ca142a488 (Usama Arif, mm-stable 2026-03); syzbot's WARN and the lost underused folio fixed by 3bac01168982 (Lance Yang, v7.1)")
        {
            Known = [UnlockableElsewhere("corpus/regressions/0029-mm-2026-03-underused-locked.schedule")],
        },
        new(Variant.Of("v7.1",
                "v7.1: v6.19 + a2e0c0668a34 (8a8ca142a488 in mm-stable) + 3bac01168982: the destination is requeued before remove_migration_ptes() and the scan re-queues a folio it could not lock",
                (w, c) => new KernelV7_1(w, c)),
            [],
            "a2e0c0668a34 and 3bac01168982 (v7.1-rc1; backported to 7.0.y)"),
    ];

    /// <summary>The row of <paramref name="variant"/>, or null for a variant history says nothing about (a test's mutant).</summary>
    public static HistoryRow? Of(Variant variant) => Rows.FirstOrDefault(r => r.Variant == variant);

    /// <summary>History's verdict for <paramref name="variant"/> under <paramref name="family"/>, or null when it says nothing.</summary>
    public static Expected? ExpectedFor(Variant variant, Family family) => Of(variant)?[family].Expected;

    /// <summary>Bug kinds that no fix in history names: recorded once as findings, then set aside so a hunt goes on.</summary>
    /// <remarks>
    /// Data races are here too: history records no KCSAN report for these states (the KCSAN-strict
    /// races of plain writes and the lost race's peeks are told in docs/FINDINGS.md).
    /// A lost deferred split is silent in the kernel (memory stays unsplit, nothing corrupts).
    /// </remarks>
    public static readonly IReadOnlySet<BugKind> BeyondHistoryKinds = new HashSet<BugKind> { BugKind.LostRaceWriteAfterFree, BugKind.DataRace, BugKind.LostDeferredSplit };

    /// <summary>
    /// Whether <paramref name="kind"/> is beyond history in <paramref name="variant"/>: one of
    /// <see cref="BeyondHistoryKinds"/> that no fix names for this state (<see cref="HistoryRow.Names"/>).
    /// A state read from C (<see cref="Variant.Base"/>) is judged by its base state's row; a state
    /// without a row by <see cref="BeyondHistoryKinds"/> alone.
    /// </summary>
    public static bool IsBeyondHistory(Variant variant, BugKind kind) =>
        BeyondHistoryKinds.Contains(kind) && RowOrBase(variant)?.Names(kind) != true;

    /// <summary>The kinds beyond history in <paramref name="variant"/> (<see cref="IsBeyondHistory"/>).</summary>
    public static IReadOnlySet<BugKind> BeyondHistoryFor(Variant variant) =>
        BeyondHistoryKinds.Where(k => IsBeyondHistory(variant, k)).ToHashSet();

    /// <summary>The row of <paramref name="variant"/>, or of the state it was read over (a C form's base).</summary>
    static HistoryRow? RowOrBase(Variant variant) => Of(variant) ?? (variant.Base is { } b ? RowOrBase(b) : null);

    /// <summary>
    /// Kinds only the model asserts: no kernel check prints them (wrong-lock: no lockdep annotation
    /// guards these lists; a folio's use-after-free: KASAN does not track <c>struct page</c> memory,
    /// only a scan's stack frame). A buggy cell must also show a kind the kernel reports (list
    /// corruption, bad page state, a VM_BUG_ON, a WARN, a wrong count) with these set aside; the
    /// verdict test asserts both.
    /// </summary>
    public static readonly IReadOnlySet<BugKind> ModelAssertions = new HashSet<BugKind> { BugKind.WrongLock, BugKind.UseAfterFree, BugKind.LostRaceWriteAfterFree };

    /// <summary>The "upstream" line of a regression showing a kind beyond history.</summary>
    public static string BeyondHistoryUpstream(BugKind kind) => kind == BugKind.LostDeferredSplit
        ? "none: a finding beyond history, no fix names it in this state; gone in \"mm: thp: use folio_batch to handle THP splitting in deferred_split_scan()\" " +
          "(Muchun Song / Qi Zheng, v6.19), which drops the unlocked list_del_init(), together with 3bac01168982 (Lance Yang, v7.1), " +
          "which re-queues a folio the scan could not lock (variants folio-batch, v7.1; docs/FINDINGS.md)"
        : "none: a finding beyond history, no upstream fix addresses it (docs/FINDINGS.md)";
}
