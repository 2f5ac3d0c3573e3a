using MmFuzz.Engine;

namespace MmFuzz.Kernel;

/// <summary>What history says a kernel state does under one scenario family.</summary>
public enum Expected : byte
{
    /// <summary>No corrupting schedule (history: the fixed state).</summary>
    Safe,
    /// <summary>History records a corrupting race and a fix.</summary>
    Bug,
}

/// <summary>
/// A kernel state of VARIANTS.md: its name, what history says about it per scenario family, and the
/// <see cref="Kernel"/> subclass that holds the functions that differ in it.
/// </summary>
/// <param name="Name">Name on the command line (<c>v6.9</c>, <c>mm-2024-03</c>).</param>
/// <param name="KernelState">The kernel state and commit it reproduces.</param>
/// <param name="Expectations">Expected verdict per scenario family, from history.</param>
/// <param name="History">The commit or mail behind the verdict.</param>
/// <param name="Factory">Creates the ports for one CPU.</param>
public sealed record Variant(string Name, string KernelState, IReadOnlyDictionary<string, Expected> Expectations, string History,
    Func<World, Cpu, Kernel> Factory)
{
    /// <summary>The ports bound to one CPU.</summary>
    public Kernel Create(World world, Cpu cpu) => Factory(world, cpu);

    /// <summary>Expected verdict for a family, or null when history says nothing about it.</summary>
    public Expected? ExpectedFor(string family) => Expectations.TryGetValue(family, out var e) ? e : null;

    /// <summary>
    /// The upstream commit (id, subject, author, release) that fixed this state's race, per scenario
    /// family history calls buggy here (HISTORY.md, VARIANTS.md); empty for a safe state.
    /// </summary>
    public IReadOnlyDictionary<string, string> Fixes { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether this kernel state has <c>PG_partially_mapped</c> (v6.12-rc1, dafff3f4c850, and later).</summary>
    public bool HasPartiallyMappedFlag { get; init; }

    /// <summary>The upstream fix of the race in <paramref name="family"/>, or <see cref="History"/> when none is recorded for it.</summary>
    public string UpstreamFor(string family) => Fixes.TryGetValue(family, out var fix) ? fix : History;
}

/// <summary>The implemented variants.</summary>
public static class Variants
{
    static IReadOnlyDictionary<string, Expected> Verdicts(Expected free, Expected migrate, Expected split) => new Dictionary<string, Expected>
    {
        ["scan-vs-free"] = free,
        ["scan-vs-migrate"] = migrate,
        ["scan-vs-split"] = split,
        ["all"] = free == Expected.Bug || migrate == Expected.Bug || split == Expected.Bug ? Expected.Bug : Expected.Safe,
    };

    const Expected Safe = Expected.Safe, Bug = Expected.Bug;

    /// <summary>The fix of scan x migrate (mem_cgroup_migrate() unqueueing a folio with a live refcount; 7262f208ca68's check after the fact).</summary>
    const string FixMigrate = "be9581ea8c05 \"mm: fix crashes from deferred split racing folio migration\" (Hugh Dickins, v6.10)";

    /// <summary>The fix of the seed mail's crashes (the batch free unqueueing after the uncharge).</summary>
    const string FixBatchFree = "47932e7048df \"mm: remove folio from deferred split list before uncharging it\" (Matthew Wilcox, v6.9-rc1)";

    /// <summary>The fix of dafff3f4c850's unlocked deletion in the scan's loop 2.</summary>
    const string FixUnderused = "e66f3185fa04 \"mm/thp: fix deferred split queue not partially_mapped\" and its follow-up (Hugh Dickins, v6.12)";

    /// <summary><c>v6.8</c>: before the batch-freeing series; migration unqueues with a live refcount (9bcef5973e31).</summary>
    public static readonly Variant V6_8 = new("v6.8",
        "v6.8: destroy_large_folio() unqueues before the uncharge; folio_migrate_mapping() checks the count without freezing",
        Verdicts(Safe, Bug, Safe),
        "scan x migrate fixed by be9581ea8c05 (Hugh Dickins, v6.10)",
        (w, c) => new KernelV6_8(w, c))
    {
        Fixes = new Dictionary<string, string> { ["scan-vs-migrate"] = FixMigrate },
    };

    /// <summary><c>mm-2024-03</c>: the seed mail's state, batch freeing before 47932e7048df.</summary>
    public static readonly Variant Mm2024_03 = new("mm-2024-03",
        "mm-unstable, March 2024: f77171d241e3 \"mm: allow non-hugetlb large folios to be batch processed\" before 47932e7048df",
        Verdicts(Bug, Bug, Safe),
        "seed mail (Matthew Wilcox, 2024-03); fixed by 47932e7048df; migration as v6.8",
        (w, c) => new KernelMm2024_03(w, c))
    {
        Fixes = new Dictionary<string, string> { ["scan-vs-free"] = FixBatchFree, ["scan-vs-migrate"] = FixMigrate },
    };

    /// <summary><c>v6.9</c>: 47932e7048df, the fix of the seed's crashes.</summary>
    public static readonly Variant V6_9 = new("v6.9",
        "v6.9: 47932e7048df \"mm: remove folio from deferred split list before uncharging it\"",
        Verdicts(Safe, Bug, Safe),
        "47932e7048df (Matthew Wilcox, v6.9-rc1); scan x migrate fixed by be9581ea8c05",
        (w, c) => new KernelV6_9(w, c))
    {
        Fixes = new Dictionary<string, string> { ["scan-vs-migrate"] = FixMigrate },
    };

    /// <summary><c>v6.10-rc1</c>: 7262f208ca68, split instead of migrating a queued THP (still racy).</summary>
    public static readonly Variant V6_10Rc1 = new("v6.10-rc1",
        "v6.10-rc1: 7262f208ca68 (Zi Yan) \"split a source THP that is on the deferred list instead of migrating it\"",
        Verdicts(Safe, Bug, Safe),
        "7262f208ca68 (Zi Yan); scan x migrate fixed by be9581ea8c05 (Hugh Dickins, v6.10)",
        (w, c) => new KernelV6_10Rc1(w, c))
    {
        Fixes = new Dictionary<string, string> { ["scan-vs-migrate"] = FixMigrate },
    };

    /// <summary><c>v6.10</c>: be9581ea8c05, freeze / unqueue / unfreeze in folio_migrate_mapping().</summary>
    public static readonly Variant V6_10 = new("v6.10",
        "v6.10: be9581ea8c05 (Hugh Dickins): freeze the refcount to 0 around the unqueue in folio_migrate_mapping(); no unqueue in mem_cgroup_migrate()",
        Verdicts(Safe, Safe, Safe),
        "be9581ea8c05 (Hugh Dickins, v6.10)",
        (w, c) => new KernelV6_10(w, c));

    /// <summary><c>v6.12-rc1</c>: dafff3f4c850, underused THPs and the unlocked deletion in scan loop 2.</summary>
    public static readonly Variant V6_12Rc1 = new("v6.12-rc1",
        "v6.12-rc1: dafff3f4c850 \"mm: split underused THPs\" (PG_partially_mapped; unlocked list_del_init in deferred_split_scan)",
        Verdicts(Bug, Bug, Bug),
        "Hugh Dickins, Oct 2024; fixed by e66f3185fa04 and its follow-up (v6.12); migrate and split by the same mechanism (inferred)",
        (w, c) => new KernelV6_12Rc1(w, c))
    {
        Fixes = new Dictionary<string, string> { ["scan-vs-free"] = FixUnderused, ["scan-vs-migrate"] = FixUnderused, ["scan-vs-split"] = FixUnderused },
        HasPartiallyMappedFlag = true,
    };

    /// <summary><c>v6.13</c>: e66f3185fa04 (+ follow-up) and f8f931bba0f9.</summary>
    public static readonly Variant V6_13 = new("v6.13",
        "v6.13: e66f3185fa04 \"mm/thp: fix deferred split queue not partially_mapped\" + follow-up, f8f931bba0f9 \"mm/thp: fix deferred split unqueue naming and locking\"",
        Verdicts(Safe, Safe, Safe),
        "e66f3185fa04, f8f931bba0f9 (Hugh Dickins, v6.12)",
        (w, c) => new KernelV6_13(w, c))
    {
        HasPartiallyMappedFlag = true,
    };

    /// <summary><c>folio-batch</c>: the seed mail's proposal as implemented in 2025 (Muchun Song, Qi Zheng).</summary>
    public static readonly Variant FolioBatch = new("folio-batch",
        "folio-batch: \"mm: thp: use folio_batch to handle THP splitting in deferred_split_scan()\" (Muchun Song / Qi Zheng, 2025) on v6.13",
        Verdicts(Safe, Safe, Safe),
        "the design the seed mail proposes; no corrupting race recorded",
        (w, c) => new KernelFolioBatch(w, c))
    {
        HasPartiallyMappedFlag = true,
    };

    /// <summary>Every implemented variant, oldest kernel state first.</summary>
    public static readonly IReadOnlyList<Variant> All = [V6_8, Mm2024_03, V6_9, V6_10Rc1, V6_10, V6_12Rc1, V6_13, FolioBatch];

    /// <summary>A variant by name, or null.</summary>
    public static Variant? Find(string name) => All.FirstOrDefault(v => v.Name == name);
}
