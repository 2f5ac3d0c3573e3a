using System.Collections.Concurrent;
using MmFuzz.C;
using MmFuzz.Kernel;

namespace MmFuzz.Tests.C;

/// <summary>
/// The C rendering of each history row (corpus/kernels/STATE/, laid out like a kernel tree), loaded
/// once per test run over that row's own ports: every function it defines replaces the port of the
/// same name, so the state's own functions run from C.
/// </summary>
public static class CRenderings
{
    static readonly ConcurrentDictionary<string, Lazy<CState>> loaded = new();

    /// <summary>The folder of <paramref name="state"/>'s rendering.</summary>
    public static string Folder(string state) => Path.Combine(Repo.Root(), "corpus", "kernels", state);

    /// <summary>Every file of the rendering, shown by its path in the tree (mm/huge_memory.c).</summary>
    public static IReadOnlyList<CSource> Files(string state) => CInputs.ReadFolder(Folder(state));

    /// <summary><paramref name="state"/> run from its C rendering.</summary>
    public static CState Of(string state) => loaded.GetOrAdd(state, s => new Lazy<CState>(() =>
        CState.Load(new CLoadOptions { Files = Files(s), Name = $"{s}+c" }, Variants.Find(s)!))).Value;

    /// <summary>The variant of <paramref name="state"/> in <paramref name="form"/>: "port" (the hand port) or "C" (its rendering).</summary>
    public static Variant Variant(string state, string form) => form == "C" ? Of(state).Variant : Variants.Find(state)!;

    /// <summary>The two forms every history row is tested in.</summary>
    public static readonly string[] Forms = ["port", "C"];
}
