namespace MmFuzz.Kernel;

/// <summary>
/// The two words of the folio's second page this model keeps: <c>nid</c> (low half) with the order
/// (high half), and the word holding PG_partially_mapped. One decoding for the ports, the oracles and
/// the report.
/// </summary>
public static class FolioWords
{
    /// <summary>The order in the nid/order word.</summary>
    public static int Order(ulong nidOrder) => (int)((nidOrder >> 32) & 0xff);

    /// <summary>The node in the nid/order word.</summary>
    public static int Nid(ulong nidOrder) => (int)(nidOrder & 0xffff_ffff);

    /// <summary>Whether PG_partially_mapped is set in its word.</summary>
    public static bool PartiallyMapped(ulong word) => (word & (1UL << PageFlags.PG_partially_mapped)) != 0;
}
