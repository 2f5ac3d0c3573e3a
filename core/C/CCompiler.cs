using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.C;

/// <summary>
/// Compiles the C# the translator wrote into a collectible assembly in this process (Roslyn), once
/// per distinct source: the same C over the same base loads the compiled class again.
/// </summary>
public static class CCompiler
{
    static readonly ConcurrentDictionary<string, (Func<World, Cpu, Kernel.Kernel>, Type)> compiled = new();
    static readonly Lazy<MetadataReference[]> references = new(References);

    /// <summary>The factory of the class named <paramref name="className"/> in <paramref name="source"/>, and the class.</summary>
    public static (Func<World, Cpu, Kernel.Kernel> Factory, Type Class) Compile(string source, string className) =>
        compiled.GetOrAdd(Hash(source), _ => Build(source, className));

    static string Hash(string s) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(s)));

    static (Func<World, Cpu, Kernel.Kernel>, Type) Build(string source, string className)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create($"MmFuzz.C.Generated.{Hash(source)[..16]}", [tree], references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release,
                allowUnsafe: false, checkOverflow: false, nullableContextOptions: NullableContextOptions.Disable,
                generalDiagnosticOption: ReportDiagnostic.Suppress));
        using var ms = new MemoryStream();
        var result = compilation.Emit(ms);
        if (!result.Success)
        {
            var first = result.Diagnostics.First(d => d.Severity == DiagnosticSeverity.Error);
            var line = first.Location.GetLineSpan().StartLinePosition.Line;
            var text = source.Split('\n');
            // The generated text names the C function each method comes from; find it for the message.
            string from = "";
            for (int i = Math.Min(line, text.Length - 1); i >= 0; i--)
                if (text[i].TrimStart().StartsWith("// ", StringComparison.Ordinal) && text[i].Contains("() from ", StringComparison.Ordinal))
                {
                    from = text[i].Trim()[3..];
                    break;
                }
            if (Environment.GetEnvironmentVariable("MMFUZZ_C_DEBUG") is { Length: > 0 } dump)
                File.WriteAllText(dump, source + "\n/*\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString())) + "\n*/\n");
            throw new CError($"the C front end wrote C# that does not compile ({first.GetMessage()}) for {(from.Length > 0 ? from : "the generated class")}: a construct it does not run");
        }
        ms.Position = 0;
        var context = new AssemblyLoadContext($"mmfuzz-c-{Hash(source)[..12]}", isCollectible: true);
        var asm = context.LoadFromStream(ms);
        var type = asm.GetType($"MmFuzz.C.Generated.{className}")!;
        var create = type.GetMethod("Create", BindingFlags.Public | BindingFlags.Static)!;
        return (create.CreateDelegate<Func<World, Cpu, Kernel.Kernel>>(), type);
    }

    static MetadataReference[] References()
    {
        var tpa = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var wanted = tpa.Where(p => Path.GetFileName(p) is var n && (n.StartsWith("System.", StringComparison.Ordinal) || n is "netstandard.dll" or "mscorlib.dll"));
        var core = typeof(Sim).Assembly.Location;
        if (string.IsNullOrEmpty(core))
            throw new CError("the C front end needs MmFuzz.Core.dll on disk to compile against (run from a normal build)");
        return wanted.Append(core).Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
    }
}
