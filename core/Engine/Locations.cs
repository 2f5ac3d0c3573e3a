namespace MmFuzz.Engine;

/// <summary>
/// Names of the locations a step can touch, as one <see cref="long"/> each: an 8-byte memory word, or
/// one of an arena object's two shadow cells.
/// </summary>
public static class Locations
{
    /// <summary>The 8-byte word containing <paramref name="addr"/> (a 4-byte field shares its word with its neighbour).</summary>
    public static long Word(nint addr) => (long)addr & ~7L;

    /// <summary>
    /// The liveness shadow of arena object <paramref name="obj"/>: read by every access to the object
    /// (KASAN), written when the folio is freed or a scan's stack frame enters or leaves scope.
    /// </summary>
    public static long Liveness(int obj) => -2L * obj - 1;

    /// <summary>
    /// The list-membership shadow of arena object <paramref name="obj"/> (for a CPU's stack area, also
    /// which queue its scan took the list from): read by the wrong-lock oracle on list writes, written
    /// by list_add, list_del, list_splice and the scan's entry and exit.
    /// </summary>
    public static long Owner(int obj) => -2L * obj - 2;
}
