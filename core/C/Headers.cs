using System.Reflection;

namespace MmFuzz.C;

/// <summary>
/// The front end's own kernel headers (core/C/include), embedded in the assembly so a fresh machine
/// needs nothing but the .NET SDK: <c>mmfuzz.h</c> and the files it includes, by their path under
/// the include root.
/// </summary>
public static class Headers
{
    const string Prefix = "mmfuzz-include/";

    /// <summary>Every header: its path under the include root (<c>mmfuzz/list.h</c>) and its text.</summary>
    public static IReadOnlyList<(string Name, string Text)> All { get; } = Load();

    static (string, string)[] Load()
    {
        var asm = typeof(Headers).Assembly;
        return asm.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (n[Prefix.Length..], Read(asm, n)))
            .ToArray();
    }

    static string Read(Assembly asm, string name)
    {
        using var s = asm.GetManifestResourceStream(name)!;
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }
}
