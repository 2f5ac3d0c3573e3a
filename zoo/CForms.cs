using System.Collections.Concurrent;
using System.Reflection;
using MmFuzz.C;

namespace MmFuzz.Zoo;

/// <summary>
/// The C form of each mutant: its patch (zoo/c/NAME.patch, a unified diff over the rendering of its
/// base state, corpus/kernels/BASE) applied in memory with <see cref="CPatch.Apply"/>, and the result
/// read by the C front end over the base state's ports (<see cref="CState.Load"/>), once per process.
/// The patches and the renderings are embedded in this assembly (Zoo.csproj).
/// </summary>
public static class CForms
{
    static readonly Assembly Asm = typeof(CForms).Assembly;
    static readonly ConcurrentDictionary<string, Lazy<CState>> loaded = new();

    /// <summary>
    /// The files of <paramref name="state"/>'s rendering (every .c and .h under corpus/kernels/STATE),
    /// shown by their path in the repository (<c>corpus/kernels/v6.9/mm/huge_memory.c</c>).
    /// </summary>
    public static IReadOnlyList<CSource> Rendering(string state)
    {
        string prefix = $"kernels/{state}/";
        var files = Asm.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => new CSource($"corpus/{n}", Read(n)))
            .ToList();
        if (files.Count == 0)
            throw new CError($"corpus/kernels/{state}: no rendering of this state");
        return files;
    }

    /// <summary>The text of <paramref name="mutant"/>'s patch.</summary>
    public static string PatchText(Mutant mutant)
    {
        string name = $"zoo-c/{mutant.Name}.patch";
        if (Asm.GetManifestResourceInfo(name) is null)
            throw new CError($"{mutant.CPatch}: no C form of {mutant.Name}");
        return Read(name);
    }

    /// <summary>
    /// <paramref name="mutant"/>'s C form: <see cref="Mutant.CPatch"/> applied to the rendering of its
    /// base, every function of the files taken from C over the base's ports, as the variant
    /// <c>NAME+c</c>. Loaded once; a patch that does not apply or C the front end cannot run is a <see cref="CError"/>.
    /// </summary>
    public static CState Load(Mutant mutant) =>
        loaded.GetOrAdd(mutant.Name, _ => new Lazy<CState>(() => CState.Load(new CLoadOptions
        {
            Files = CPatch.Apply(Rendering(mutant.Base.Name), PatchText(mutant), mutant.CPatch),
            Name = $"{mutant.Name}+c",
        }, mutant.Base))).Value;

    static string Read(string name)
    {
        using var s = Asm.GetManifestResourceStream(name)!;
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }
}
