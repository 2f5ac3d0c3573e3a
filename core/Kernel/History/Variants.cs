namespace MmFuzz.Kernel;

/// <summary>The implemented variants: every row of <see cref="History"/>, and the ones the code names.</summary>
public static class Variants
{
    /// <summary>Every implemented variant, oldest kernel state first.</summary>
    public static IReadOnlyList<Variant> All { get; } = History.Rows.Select(r => r.Variant).ToArray();

    static readonly List<Variant> registered = [];

    /// <summary>A variant by name (a history row's, or one registered at run time), or null.</summary>
    public static Variant? Find(string name)
    {
        var v = All.FirstOrDefault(v => v.Name == name);
        if (v is not null)
            return v;
        lock (registered)
            return registered.LastOrDefault(r => r.Name == name);
    }

    /// <summary>
    /// Makes a variant made at run time (a kernel state loaded from C) findable by name, so a regression
    /// file that names it replays when the same state is loaded again. A later one of the same name wins.
    /// </summary>
    public static void Register(Variant variant)
    {
        if (All.Any(v => v.Name == variant.Name))
            throw new ArgumentException($"{variant.Name} is a history row's name", nameof(variant));
        lock (registered)
            registered.Add(variant);
    }

    /// <summary>Whether <paramref name="variant"/> was registered at run time (it is no history row).</summary>
    public static bool IsRegistered(Variant variant)
    {
        lock (registered)
            return registered.Contains(variant);
    }

#pragma warning disable CS1591 // each is the variant of that name
    public static Variant V6_8 { get; } = Find("v6.8")!;
    public static Variant Mm2024_03 { get; } = Find("mm-2024-03")!;
    public static Variant V6_9 { get; } = Find("v6.9")!;
    public static Variant V6_10Rc1 { get; } = Find("v6.10-rc1")!;
    public static Variant V6_10 { get; } = Find("v6.10")!;
    public static Variant V6_12Rc1 { get; } = Find("v6.12-rc1")!;
    public static Variant V6_13 { get; } = Find("v6.13")!;
    public static Variant V6_19 { get; } = Find("v6.19")!;
    public static Variant FolioBatch { get; } = Find("folio-batch")!;
    public static Variant Mm2026_03 { get; } = Find("mm-2026-03")!;
    public static Variant V7_1 { get; } = Find("v7.1")!;
#pragma warning restore CS1591
}
