namespace MmFuzz.Kernel;

/// <summary>Page flag bits of <c>folio->flags</c> used here (include/linux/page-flags.h).</summary>
public static class PageFlags
{
    /// <summary><c>PG_locked</c>: the folio lock.</summary>
    public const int PG_locked = 0;
    /// <summary><c>PG_large_rmappable</c> (<c>PG_workingset</c>'s alias on the second page in the kernel).</summary>
    public const int PG_large_rmappable = 1;
    /// <summary>
    /// <c>PG_partially_mapped</c> (v6.12+): a flag of the folio's second page, so it lives in the word
    /// that also holds the order (<c>folio-&gt;_flags_1</c>, here <c>nid</c>/<c>order</c>), not in the
    /// word of PG_locked — a non-atomic update of it does not race with the folio lock.
    /// </summary>
    public const int PG_partially_mapped = 0;
}
