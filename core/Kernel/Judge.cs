using MmFuzz.Engine;
using MmFuzz.Scenarios;

namespace MmFuzz.Kernel;

/// <summary>What the judge reads of a finding: its kind and the scenario that showed it.</summary>
public interface IFinding
{
    /// <summary>The bug kind.</summary>
    BugKind Kind { get; }

    /// <summary>The scenario that showed it (its family is <see cref="Family.Of"/>).</summary>
    Scenario Scenario { get; }
}

/// <summary>What history makes of one finding.</summary>
public enum Reading : byte
{
    /// <summary>A bug of history's kinds in a family where history records a race.</summary>
    Race,
    /// <summary>One of the row's known findings (<see cref="HistoryRow.Known"/>): history's kind, found outside its races.</summary>
    Known,
    /// <summary>A kind no fix in history names for the state (<see cref="History.IsBeyondHistory"/>): recorded, never judged.</summary>
    BeyondHistory,
    /// <summary>A bug of history's kinds that history does not explain: not history's verdict.</summary>
    Unexplained,
}

/// <summary>A search's findings judged against history.</summary>
/// <param name="Expected">History's verdict over the families judged: bug when it records a race in one of them; null when it says nothing about the state (a test's mutant).</param>
/// <param name="AsHistory">Whether what the search found is history's verdict.</param>
/// <param name="Readings">What history makes of each finding, in the order given.</param>
public sealed record Judgement(Expected? Expected, bool AsHistory, IReadOnlyList<Reading> Readings)
{
    /// <summary>The exit code of this verdict alone: <see cref="Judge.AsHistoryExit"/> or <see cref="Judge.DiffersExit"/>.</summary>
    public int ExitCode => AsHistory ? Judge.AsHistoryExit : Judge.DiffersExit;
}

/// <summary>
/// The one judge: turns what a search found (each finding's kind and scenario) and a row of
/// <see cref="History"/> into history's verdict and an exit code, for every search that claims one
/// (<c>hunt</c>, <c>verify</c>, <c>verify --small-scope</c>, the verdict tests).
/// </summary>
/// <remarks>
/// The families judged together are what one search drew from: one family (a hunt or a verify of a
/// family's scenarios, judged family by family), every family (<c>hunt --scenario all</c>) or the
/// generated ones (a generating hunt, the small scope). Where history records a race in them, some
/// bug of history's kinds must show, unless the search cannot say it missed one (an exhaustive search
/// that ran out of budget, or stopped below the race's preemptions). Where it records none, every bug
/// of history's kinds must be a known finding of the row. A state history says nothing about must show
/// none. Kinds beyond history never count.
/// </remarks>
public static class Judge
{
    /// <summary>Exit code: every verdict is history's.</summary>
    public const int AsHistoryExit = 0;

    /// <summary>Exit code: a verdict differs from history's (a bug where none is expected, none where one is).</summary>
    public const int DiffersExit = 1;

    /// <summary>Exit code: interrupted (Ctrl-C or SIGTERM), so the verdicts are partial.</summary>
    public const int InterruptedExit = 130;

    /// <summary>What <paramref name="row"/> makes of <paramref name="finding"/> (a state without a row explains nothing).</summary>
    public static Reading Read(HistoryRow? row, IFinding finding) =>
        History.BeyondHistoryKinds.Contains(finding.Kind) && row?.Names(finding.Kind) != true ? Reading.BeyondHistory
        : row?.KnownFor(finding.Kind, finding.Scenario) is not null ? Reading.Known
        : row?[Family.Of(finding.Scenario)].IsBug == true ? Reading.Race
        : Reading.Unexplained;

    /// <summary>Judges what one search found in <paramref name="families"/> against <paramref name="row"/>.</summary>
    /// <param name="row">The state's row, or null when history says nothing about it.</param>
    /// <param name="families">The families the search drew from, judged together.</param>
    /// <param name="findings">Everything it found, beyond-history kinds included.</param>
    /// <param name="conclusive">
    /// Whether a race it did not find counts against it: true for a hunt (its budget is its claim) and
    /// an exhaustive search that covered the race's bound; false otherwise.
    /// </param>
    public static Judgement Of(HistoryRow? row, IEnumerable<Family> families, IEnumerable<IFinding> findings, bool conclusive = true)
    {
        var readings = findings.Select(f => Read(row, f)).ToList();
        var expected = row?.ExpectedIn(families);
        bool asHistory = expected switch
        {
            Expected.Bug => readings.Any(r => r != Reading.BeyondHistory) || !conclusive,
            Expected.Safe => readings.All(r => r is Reading.Known or Reading.BeyondHistory),
            _ => readings.All(r => r == Reading.BeyondHistory),
        };
        return new Judgement(expected, asHistory, readings);
    }

    /// <summary>
    /// The exit code of a run that judged <paramref name="judgements"/>: <see cref="InterruptedExit"/>
    /// when it was interrupted, else <see cref="DiffersExit"/> when one verdict differs, else <see cref="AsHistoryExit"/>.
    /// </summary>
    public static int ExitCode(IEnumerable<Judgement> judgements, bool interrupted) =>
        interrupted ? InterruptedExit : judgements.Any(j => !j.AsHistory) ? DiffersExit : AsHistoryExit;
}
