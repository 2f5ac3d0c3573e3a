namespace MmFuzz.Kernel;

/// <summary>
/// <c>struct folio_batch</c> (include/linux/pagevec.h): a CPU-local array of folio pointers and its
/// count. It lives on the caller's stack in the kernel, so it is not in the shared arena: no other
/// CPU can see it, and filling or compacting it is not a scheduling point.
/// </summary>
public sealed class FolioBatch
{
    /// <summary>
    /// <c>PAGEVEC_SIZE</c>: 31 since 9cecde80aae0 (v6.9-rc), the size the 2025 folio_batch series
    /// used (15 was the size when the seed mail was written, docs/HISTORY.md §9; the scenarios never fill either).
    /// </summary>
    public const int PAGEVEC_SIZE = 31;

    /// <summary>Creates an empty batch of <paramref name="capacity"/> slots.</summary>
    public FolioBatch(int capacity = PAGEVEC_SIZE) => folios = new FolioPtr[capacity];

    /// <summary>A batch holding <paramref name="folios"/> (as a caller fills it with <c>folio_batch_add()</c>).</summary>
    public static FolioBatch Of(params ReadOnlySpan<FolioPtr> folios)
    {
        var batch = new FolioBatch(Math.Max(PAGEVEC_SIZE, folios.Length));
        foreach (var f in folios)
            batch.add(f);
        return batch;
    }

    /// <summary><c>folios-&gt;folios</c>.</summary>
    public readonly FolioPtr[] folios;

    /// <summary><c>folios-&gt;nr</c>.</summary>
    public int nr;

    /// <summary><c>folio_batch_init()</c> / <c>folio_batch_reinit()</c>.</summary>
    public void reinit() => nr = 0;

    /// <summary><c>folio_batch_add()</c>: adds a folio, returns the space left.</summary>
    public int add(FolioPtr folio)
    {
        folios[nr++] = folio;
        return folios.Length - nr;
    }

    /// <summary><c>folio_batch_count()</c>.</summary>
    public int count => nr;
}
