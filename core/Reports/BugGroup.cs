using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Search;

namespace MmFuzz.Reports;

/// <summary>
/// One raw finding as a hunt or a verification reports it: the finding, the family searched, its
/// recorded report and race, the command that replays it, and the files written for it.
/// </summary>
public sealed class FoundBug
{
    /// <summary>The minimized finding.</summary>
    public required Finding Finding { get; init; }

    /// <summary>The family (or scenario) whose search found it ("generated", "scan-vs-free", "seed-mail").</summary>
    public required string Family { get; init; }

    /// <summary>Its schedule replayed once and recorded.</summary>
    public required Report Report { get; init; }

    /// <summary>The command that replays it.</summary>
    public required string Replay { get; init; }

    /// <summary>Its <c>.schedule</c> file, or null when none was written (a catalog scenario's finding, hunted again by <see cref="Replay"/>).</summary>
    public string? File { get; init; }

    /// <summary>Whether its mail trace (<c>.txt</c>) and page (<c>.html</c>) were written beside <see cref="File"/>.</summary>
    public bool HasTraceAndPage { get; init; }

    /// <summary>Its comparison with the hunt's baseline, or null.</summary>
    public Comparison? Comparison { get; init; }

    /// <summary>The pair of racing accesses.</summary>
    public Race Race => race ??= Race.Of(Report) ?? new Race(Finding.Kind, []);
    Race? race;

    /// <summary>What history makes of it.</summary>
    public Reading Reading => Judge.Read(History.Of(Finding.Variant), Finding);

    /// <summary>The known finding of its state's row it is, or null.</summary>
    public KnownFinding? Known => History.Of(Finding.Variant)?.KnownFor(Finding.Kind, Finding.Scenario);

    /// <summary>Its mail trace, written beside its file, or null.</summary>
    public string? TraceFile => HasTraceAndPage && File is not null ? Path.ChangeExtension(File, ".txt") : null;

    /// <summary>Its page, written beside its file, or null.</summary>
    public string? PageFile => HasTraceAndPage && File is not null ? Path.ChangeExtension(File, ".html") : null;
}

/// <summary>
/// The findings of one kernel state that are one bug: the same kind and the same racing accesses
/// (<see cref="Race.Key"/>). Their masked signatures (<see cref="BugSignature"/>) may differ: the same
/// race on another folio or queue, in another scenario, reached through another path.
/// </summary>
/// <param name="State">The kernel state.</param>
/// <param name="Race">The race (of the first member).</param>
/// <param name="Members">The raw findings, in the order found.</param>
public sealed record BugGroup(Variant State, Race Race, IReadOnlyList<FoundBug> Members)
{
    /// <summary>The member with the fewest preemptions, then the fewest steps, then the first found.</summary>
    public FoundBug Representative => Members.OrderBy(m => m.Finding.Preemptions).ThenBy(m => m.Finding.Steps.Count).First();

    /// <summary>The distinct masked signatures the group merges.</summary>
    public IReadOnlyList<string> Signatures => [.. Members.Select(m => BugSignature.Of(m.Finding.Outcome).ToString()).Distinct()];

    /// <summary>Groups <paramref name="found"/> by state and race, in the order found.</summary>
    public static IReadOnlyList<BugGroup> Of(IEnumerable<FoundBug> found) =>
        [.. found.GroupBy(f => (f.Finding.Variant.Name, f.Race.Key)).Select(g => new BugGroup(g.First().Finding.Variant, g.First().Race, [.. g]))];
}

/// <summary>
/// One distinct bug of a whole hunt: the groups of every state that show the same race
/// (<see cref="Race.Key"/>), as syzbot lists one bug for every tree that shows its title.
/// </summary>
/// <param name="Number">Its number on the screen and the page (1-based).</param>
/// <param name="Groups">One group per state, in the hunt's order of states.</param>
/// <param name="KernelShows">For a model assertion: the kind the kernel reports, found for the same race, or null.</param>
public sealed record DistinctBug(int Number, IReadOnlyList<BugGroup> Groups, string? KernelShows)
{
    /// <summary>The race.</summary>
    public Race Race => Groups[0].Race;

    /// <summary>The bug kind.</summary>
    public BugKind Kind => Race.Kind;

    /// <summary>The representative of all the groups: fewest preemptions, then fewest steps.</summary>
    public FoundBug Representative => Groups.Select(g => g.Representative).OrderBy(m => m.Finding.Preemptions).ThenBy(m => m.Finding.Steps.Count).First();

    /// <summary>The states that show it, in the hunt's order.</summary>
    public IReadOnlyList<Variant> States => [.. Groups.Select(g => g.State)];

    /// <summary>Every raw finding it stands for.</summary>
    public IEnumerable<FoundBug> Members => Groups.SelectMany(g => g.Members);

    /// <summary>How many raw findings it stands for.</summary>
    public int Count => Groups.Sum(g => g.Members.Count);

    /// <summary>Whether only the model asserts it (<see cref="IsModelAssertionOf"/>).</summary>
    public bool IsModelAssertion => IsModelAssertionOf(Representative.Finding.Outcome);

    /// <summary>
    /// Whether its kind is one no fix in history names, in every state that shows it
    /// (<see cref="History.IsBeyondHistory"/>): a race that a fix names in one state is history's, and
    /// is listed with history's kinds, in all of them.
    /// </summary>
    public bool IsBeyondHistory => BeyondHistory(Groups);

    static bool BeyondHistory(IReadOnlyList<BugGroup> groups) => groups.All(g => History.IsBeyondHistory(g.State, g.Race.Kind));

    /// <summary>Whether every finding of it is a known finding of its state's row.</summary>
    public bool IsKnown => Members.All(m => m.Reading == Reading.Known);

    /// <summary>The known findings' regression files ("corpus/findings/0001-v6.13-fuzz-wrong-lock.schedule").</summary>
    public IReadOnlyList<string> KnownAs => [.. Members.Select(m => m.Known?.Regression).OfType<string>().Distinct()];

    /// <summary>
    /// The distinct bugs of <paramref name="found"/>: its <see cref="BugGroup"/>s merged across states
    /// by race, history's kinds first (in the order of the states that show them), then the kinds beyond
    /// history, kind by kind (data races: real ones first, those only KCSAN_STRICT reports last); numbered from 1.
    /// </summary>
    /// <param name="found">Every raw finding of a hunt.</param>
    /// <param name="states">The hunt's states, in its order (a state not listed sorts last).</param>
    /// <param name="search">
    /// For a model assertion no finding of a kind the kernel reports explains: where to look for one
    /// (<see cref="KernelView.Search"/>, given the representative); null to look no further.
    /// </param>
    public static IReadOnlyList<DistinctBug> Of(IEnumerable<FoundBug> found, IReadOnlyList<Variant> states, Func<FoundBug, string?>? search = null)
    {
        var index = states.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i);
        int Order(Variant v) => index.GetValueOrDefault(v, int.MaxValue);
        var groups = BugGroup.Of(found);
        var merged = groups.GroupBy(g => g.Race.Key)
            .Select(k => k.OrderBy(g => Order(g.State)).ToList())
            .OrderBy(k => BeyondHistory(k))
            .ThenBy(k => BeyondHistory(k) ? k[0].Race.Kind : BugKind.None)
            .ThenBy(k => k[0].Race.Kind != BugKind.DataRace ? 0
                : groups.Any(g => g.Race.Kind != BugKind.DataRace && g.Race.Accesses == k[0].Race.Accesses && k.Any(x => x.State == g.State)) ? 0
                : RaceOrder(k[0].Representative.Finding.Outcome.Message))
            .ThenBy(k => Order(k[0].State))
            .ThenBy(k => IsModelAssertionOf(k[0].Representative.Finding.Outcome))
            .ThenBy(k => k.Min(g => g.Representative.Finding.Preemptions))
            .ThenBy(k => k[0].Race.Key, StringComparer.Ordinal)
            .ToList();
        string? Shows(IReadOnlyList<BugGroup> k) =>
            !IsModelAssertionOf(k[0].Representative.Finding.Outcome) ? null
            : KernelVisible(k, groups) ?? search?.Invoke(k.Select(g => g.Representative).OrderBy(m => m.Finding.Preemptions).ThenBy(m => m.Finding.Steps.Count).First());
        return [.. merged.Select((k, n) => new DistinctBug(n + 1, k, Shows(k)))];
    }

    /// <summary>Data races with a plain read (1) before those only KCSAN_STRICT reports (2: plain writes against marked reads); real ones (0) come first.</summary>
    static int RaceOrder(string message) => message.Contains("KCSAN_STRICT only", StringComparison.Ordinal) ? 2 : 1;

    /// <summary>
    /// What the kernel reports for the race a model assertion names: a kind of history's that no model
    /// asserts, found in one of the same states by the same kernel functions (the model's assertion
    /// fires first, at the statement that breaks the rule; the kernel's check fires later, on the
    /// list or the count that statement left wrong; <see cref="Race.SameFunctionsAs"/>).
    /// </summary>
    static string? KernelVisible(IReadOnlyList<BugGroup> bug, IReadOnlyList<BugGroup> all)
    {
        var states = bug.Select(g => g.State).ToHashSet();
        var kinds = all.Where(g => states.Contains(g.State) && bug[0].Race.SameFunctionsAs(g.Race) && IsKernelVisible(g.Representative.Finding.Outcome))
            .Select(g => BugKinds.Name(g.Race.Kind)).Distinct().ToList();
        return kinds.Count == 0 ? null : string.Join(", ", kinds);
    }

    /// <summary>
    /// Whether only the model asserts <paramref name="outcome"/>: a kind of <see cref="History.ModelAssertions"/>
    /// whose message says so ("MODEL ASSERTION (...)"; KASAN's report of a scan's freed stack frame is the kernel's own).
    /// </summary>
    public static bool IsModelAssertionOf(Outcome outcome) =>
        History.ModelAssertions.Contains(outcome.Kind) && outcome.Message.StartsWith("MODEL ASSERTION", StringComparison.Ordinal);

    /// <summary>Whether the kernel itself reports <paramref name="outcome"/>: neither a model assertion nor a kind beyond history.</summary>
    public static bool IsKernelVisible(Outcome outcome) => !IsModelAssertionOf(outcome) && !History.BeyondHistoryKinds.Contains(outcome.Kind);
}
