namespace MmFuzz.Engine;

/// <summary>Names of bug kinds as used on the command line, in JSON and in regression files.</summary>
public static class BugKinds
{
    /// <summary>Stable lowercase name.</summary>
    public static string Name(BugKind kind) => kind switch
    {
        BugKind.None => "none",
        BugKind.ListCorruption => "list-corruption",
        BugKind.GeneralProtection => "gp-fault",
        BugKind.UseAfterFree => "use-after-free",
        BugKind.LostRaceWriteAfterFree => "lost-race-write-after-free",
        BugKind.Refcount => "refcount",
        BugKind.BadPageState => "bad-page-state",
        BugKind.WrongLock => "wrong-lock",
        BugKind.Accounting => "accounting",
        BugKind.Deadlock => "deadlock",
        BugKind.Livelock => "livelock",
        BugKind.LockMisuse => "lock-misuse",
        BugKind.DataRace => "data-race",
        BugKind.LostDeferredSplit => "lost-deferred-split",
        _ => kind.ToString(),
    };

    /// <summary>Every kernel bug kind (not <see cref="BugKind.None"/>).</summary>
    public static IEnumerable<BugKind> All => Enum.GetValues<BugKind>().Where(k => k != BugKind.None);

    /// <summary>Parses a name; null when unknown.</summary>
    public static BugKind? Parse(string name)
    {
        foreach (var k in Enum.GetValues<BugKind>())
            if (Name(k) == name)
                return k;
        return null;
    }
}
