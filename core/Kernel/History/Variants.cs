namespace MmFuzz.Kernel;

/// <summary>The implemented variants: every row of <see cref="History"/>, and the ones the code names.</summary>
public static class Variants
{
    /// <summary>Every implemented variant, oldest kernel state first.</summary>
    public static IReadOnlyList<Variant> All { get; } = History.Rows.Select(r => r.Variant).ToArray();

    /// <summary>A variant by name, or null.</summary>
    public static Variant? Find(string name) => All.FirstOrDefault(v => v.Name == name);

#pragma warning disable CS1591 // each is the variant of that name
    public static Variant V6_8 { get; } = Find("v6.8")!;
    public static Variant Mm2024_03 { get; } = Find("mm-2024-03")!;
    public static Variant V6_9 { get; } = Find("v6.9")!;
    public static Variant V6_10Rc1 { get; } = Find("v6.10-rc1")!;
    public static Variant V6_10 { get; } = Find("v6.10")!;
    public static Variant V6_12Rc1 { get; } = Find("v6.12-rc1")!;
    public static Variant V6_13 { get; } = Find("v6.13")!;
    public static Variant FolioBatch { get; } = Find("folio-batch")!;
#pragma warning restore CS1591
}
