using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using NUnit.Framework;

namespace MmFuzz.Tests;

/// <summary>The one judge's rules, on made-up findings against real rows of history.</summary>
[TestFixture, Category("quick")]
public class JudgeTests
{
    sealed record Found(BugKind Kind, Scenario Scenario) : IFinding;

    static readonly Found MigrateBug = new(BugKind.Accounting, Catalog.ScanVsMigrate[0]);
    static readonly Found FreeBug = new(BugKind.ListCorruption, Catalog.ScanVsFree[0]);
    static readonly Found DataRace = new(BugKind.DataRace, Catalog.ScanVsFree[0]);
    static HistoryRow Row(Variant v) => History.Of(v)!;

    [Test]
    public void ARaceHistoryRecords_MustShow_UnlessTheSearchCannotSayItMissedIt()
    {
        var v69 = Row(Variants.V6_9);
        Assert.That(Judge.Of(v69, [Family.ScanVsMigrate], [MigrateBug]), Is.EqualTo(new Judgement(Expected.Bug, true, [Reading.Race])).Using<Judgement>(Same));
        Assert.That(Judge.Of(v69, [Family.ScanVsMigrate], [DataRace]).AsHistory, Is.False, "a kind beyond history is not the race");
        Assert.That(Judge.Of(v69, [Family.ScanVsMigrate], [], conclusive: false).AsHistory, Is.True);
    }

    [Test]
    public void WhereHistoryRecordsNone_OnlyKnownFindingsAndKindsBeyondHistoryMayShow()
    {
        var v69 = Row(Variants.V6_9);
        var safe = Judge.Of(v69, [Family.ScanVsFree], [FreeBug, DataRace]);
        Assert.That((safe.Expected, safe.AsHistory, safe.ExitCode), Is.EqualTo((Expected.Safe, false, Judge.DiffersExit)));
        Assert.That(safe.Readings, Is.EqualTo(new[] { Reading.Unexplained, Reading.BeyondHistory }));
        var known = Row(Variants.V6_13).Known[0];
        var shows = Catalog.All.First(known.Matches);
        Assert.That(Judge.Of(Row(Variants.V6_13), [Family.Of(shows)], [new Found(known.Kind, shows)]).AsHistory, Is.True);
    }

    [Test]
    public void FamiliesJudgedTogether_TakeTheRaceOfAny()
    {
        var v69 = Row(Variants.V6_9);
        var together = Judge.Of(v69, Family.All, [FreeBug]);
        Assert.That((together.Expected, together.AsHistory), Is.EqualTo((Expected.Bug, true)));
        Assert.That(together.Readings, Is.EqualTo(new[] { Reading.Unexplained }));
    }

    [Test]
    public void AStateWithoutARow_MustShowNoBug_AndTheExitCodeSaysSo()
    {
        var beyond = Judge.Of(null, [Family.ScanVsFree], [DataRace]);
        var bug = Judge.Of(null, [Family.ScanVsFree], [FreeBug]);
        Assert.That((beyond.Expected, beyond.AsHistory, bug.AsHistory), Is.EqualTo(((Expected?)null, true, false)));
        Assert.That(Judge.ExitCode([beyond], interrupted: false), Is.EqualTo(Judge.AsHistoryExit));
        Assert.That(Judge.ExitCode([beyond, bug], interrupted: false), Is.EqualTo(Judge.DiffersExit));
        Assert.That(Judge.ExitCode([bug], interrupted: true), Is.EqualTo(Judge.InterruptedExit));
    }

    static bool Same(Judgement a, Judgement b) => a.Expected == b.Expected && a.AsHistory == b.AsHistory && a.Readings.SequenceEqual(b.Readings);
}
