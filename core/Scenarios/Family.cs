namespace MmFuzz.Scenarios;

/// <summary>
/// A named set of scenarios that race the shrinker's scan against one other path: history's verdict
/// for a kernel state is given per family (<c>Kernel.History</c>).
/// </summary>
public sealed class Family
{
    Family(string name, string description, IReadOnlyList<Scenario> scenarios, bool generated = true)
    {
        Name = name;
        Description = description;
        Scenarios = scenarios;
        Generated = generated;
    }

    /// <summary>
    /// Whether the scenario decoder draws the family's operations (the generating hunt, FsCheck and the
    /// fuzzers reach it); a family that is not generated is searched in its catalog scenarios only.
    /// </summary>
    public bool Generated { get; }

    /// <summary>The scan against the free paths (and the rmap path that queues).</summary>
    public static readonly Family ScanVsFree = new("scan-vs-free", "the scan against folio_put(), the batch free and the rmap path's queueing", Catalog.ScanVsFree);

    /// <summary>The scan against the migration of a queued folio (and the unmap of its destination).</summary>
    public static readonly Family ScanVsMigrate = new("scan-vs-migrate",
        "the scan against the migration of a queued folio, and a partial unmap of the folio it migrates into", Catalog.ScanVsMigrate);

    /// <summary>The scan against a split by another path.</summary>
    public static readonly Family ScanVsSplit = new("scan-vs-split", "the scan against a split by another path", Catalog.ScanVsSplit);

    /// <summary>The scan against reclaim swapping a queued folio out (cgroup v1).</summary>
    public static readonly Family ScanVsSwapout = new("scan-vs-swapout", "the scan against reclaim swapping a queued folio out (mem_cgroup_swapout(), cgroup v1)", Catalog.ScanVsSwapout);

    /// <summary>The scan against memcg v1 moving a queued THP's charge to another memcg.</summary>
    public static readonly Family ScanVsMoveCharge = new("scan-vs-move-charge", "the scan against memcg v1 moving a queued THP's charge (mem_cgroup_move_account(), cgroup v1)", Catalog.ScanVsMoveCharge);

    /// <summary>The scan against memcg offline, which reparents the deferred split queue from the folio_batch series on.</summary>
    public static readonly Family ScanVsReparent = new("scan-vs-reparent",
        "the scan against memcg offline (kill_css(), then mem_cgroup_css_offline(): reparent_deferred_split_queue() from the folio_batch series on)", Catalog.ScanVsReparent);

    /// <summary>Every family.</summary>
    public static readonly IReadOnlyList<Family> All = [ScanVsFree, ScanVsMigrate, ScanVsSplit, ScanVsSwapout, ScanVsMoveCharge, ScanVsReparent];

    /// <summary>The families the scenario decoder draws (<see cref="Generated"/>): what a generating hunt, the small scope and the fuzzers reach.</summary>
    public static IReadOnlyList<Family> Generating => [.. All.Where(f => f.Generated)];

    /// <summary>The name on the command line and in files.</summary>
    public string Name { get; }

    /// <summary>What races, in one line.</summary>
    public string Description { get; }

    /// <summary>The catalog scenarios of the family.</summary>
    public IReadOnlyList<Scenario> Scenarios { get; }

    /// <summary>The family named <paramref name="name"/>, or null.</summary>
    public static Family? Find(string name) => All.FirstOrDefault(f => f.Name == name);

    /// <summary>
    /// The family a scenario belongs to, decided by its operations so that generated scenarios have
    /// one too: a memcg offline makes it <see cref="ScanVsReparent"/>, else a migration <see cref="ScanVsMigrate"/>, else a split by another path
    /// <see cref="ScanVsSplit"/>, else a swapout <see cref="ScanVsSwapout"/>, else a charge move <see cref="ScanVsMoveCharge"/>,
    /// else <see cref="ScanVsFree"/>. For every catalog scenario this is the
    /// family that lists it (<c>CorpusTests</c> checks).
    /// </summary>
    public static Family Of(Scenario s)
    {
        var kinds = s.Cpus.SelectMany(program => program).Select(op => op.Kind).ToHashSet();
        return kinds.Contains(OpKind.MemcgOffline) ? ScanVsReparent
            : kinds.Contains(OpKind.MigrateFolio) ? ScanVsMigrate
            : kinds.Contains(OpKind.SplitFolio) ? ScanVsSplit
            : kinds.Contains(OpKind.Swapout) ? ScanVsSwapout
            : kinds.Contains(OpKind.MoveCharge) ? ScanVsMoveCharge
            : ScanVsFree;
    }

    /// <summary>
    /// Every family whose path <paramref name="s"/> runs against a scan: a free or the rmap path's
    /// queueing (<see cref="ScanVsFree"/>), a migration (or a partial unmap of its destination), a split by another path, a swapout, a charge move, a memcg offline. A generated scenario
    /// may run several; a state is safe for it only if history calls it safe in each.
    /// </summary>
    public static IReadOnlyList<Family> Touched(Scenario s)
    {
        var kinds = s.Cpus.SelectMany(program => program).Select(op => op.Kind).ToHashSet();
        var touched = new List<Family>();
        if (kinds.Overlaps([OpKind.FolioPut, OpKind.FoliosPutRefs, OpKind.DeferredSplitFolio]))
            touched.Add(ScanVsFree);
        if (kinds.Contains(OpKind.MigrateFolio) || kinds.Contains(OpKind.Unmap))
            touched.Add(ScanVsMigrate);     // a partial unmap is of a migration's destination
        if (kinds.Contains(OpKind.SplitFolio))
            touched.Add(ScanVsSplit);
        if (kinds.Contains(OpKind.Swapout))
            touched.Add(ScanVsSwapout);
        if (kinds.Contains(OpKind.MoveCharge))
            touched.Add(ScanVsMoveCharge);
        if (kinds.Contains(OpKind.MemcgOffline))
            touched.Add(ScanVsReparent);
        return touched;
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
