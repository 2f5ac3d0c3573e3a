using MmFuzz.Engine;

namespace MmFuzz.Kernel;

/// <summary>What history says a kernel state does under one scenario family.</summary>
public enum Expected : byte
{
    /// <summary>No corrupting schedule (history: the fixed state).</summary>
    Safe,
    /// <summary>History records a corrupting race and a fix.</summary>
    Bug,
}

/// <summary>
/// A kernel state of VARIANTS.md: its name, what history says about it per scenario family, and the
/// <see cref="Kernel"/> subclass that holds the functions that differ in it.
/// </summary>
/// <param name="Name">Name on the command line (<c>v6.9</c>, <c>mm-2024-03</c>).</param>
/// <param name="KernelState">The kernel state and commit it reproduces.</param>
/// <param name="Expectations">Expected verdict per scenario family, from history.</param>
/// <param name="History">The commit or mail behind the verdict.</param>
/// <param name="Factory">Creates the ports for one CPU.</param>
public sealed record Variant(string Name, string KernelState, IReadOnlyDictionary<string, Expected> Expectations, string History,
    Func<World, Cpu, Kernel> Factory)
{
    /// <summary>The ports bound to one CPU.</summary>
    public Kernel Create(World world, Cpu cpu) => Factory(world, cpu);

    /// <summary>Expected verdict for a family, or null when history says nothing about it.</summary>
    public Expected? ExpectedFor(string family) => Expectations.TryGetValue(family, out var e) ? e : null;
}

/// <summary>The implemented variants.</summary>
public static class Variants
{
    /// <summary><c>v6.9</c>: 47932e7048df, the fix of the seed's crashes.</summary>
    public static readonly Variant V6_9 = new("v6.9",
        "v6.9: 47932e7048df \"mm: remove folio from deferred split list before uncharging it\"",
        new Dictionary<string, Expected> { ["scan-vs-free"] = Expected.Safe },
        "47932e7048df (Matthew Wilcox, v6.9-rc1)",
        (w, c) => new KernelV6_9(w, c));

    /// <summary><c>mm-2024-03</c>: the seed mail's state, batch freeing before 47932e7048df.</summary>
    public static readonly Variant Mm2024_03 = new("mm-2024-03",
        "mm-unstable, March 2024: f77171d241e3 \"mm: allow non-hugetlb large folios to be batch processed\" before 47932e7048df",
        new Dictionary<string, Expected> { ["scan-vs-free"] = Expected.Bug },
        "seed mail (Matthew Wilcox, 2024-03); fixed by 47932e7048df",
        (w, c) => new KernelMm2024_03(w, c));

    /// <summary>Every implemented variant, oldest kernel state first.</summary>
    public static readonly IReadOnlyList<Variant> All = [Mm2024_03, V6_9];

    /// <summary>A variant by name, or null.</summary>
    public static Variant? Find(string name) => All.FirstOrDefault(v => v.Name == name);
}
