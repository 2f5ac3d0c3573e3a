using System.Text.RegularExpressions;
using MmFuzz.C.Clang;
using MmFuzz.C.Translate;
using MmFuzz.Kernel;

namespace MmFuzz.C;

/// <summary>A C file given to the front end: the path the user knows it by, and its text.</summary>
public sealed record CSource(string Path, string Text);

/// <summary>What to load from C, and over which kernel state.</summary>
public sealed record CLoadOptions
{
    /// <summary>The C files (a tree's mm/*.c, a patched file, an excerpt).</summary>
    public required IReadOnlyList<CSource> Files { get; init; }
    /// <summary>Headers of the user's own (<c>--stub-header</c>), included after the front end's.</summary>
    public IReadOnlyList<CSource> StubHeaders { get; init; } = [];
    /// <summary>The functions to take from C (<c>--functions</c>); null: the default for the form (<see cref="FromTree"/>).</summary>
    public IReadOnlyCollection<string>? Functions { get; init; }
    /// <summary>
    /// Whether the files are a kernel tree's as they are: then only the deferred-split functions the
    /// model knows (<see cref="CKnown.FromTree"/>) are taken by default; otherwise every function the
    /// files define is.
    /// </summary>
    public bool FromTree { get; init; }
    /// <summary>The variant's name (default: the base's name and "+c").</summary>
    public string? Name { get; init; }
}

/// <summary>Where one function of a state loaded from C comes from.</summary>
/// <param name="Name">The kernel function.</param>
/// <param name="From">"C mm/huge_memory.c:3412", or "port" for the base state's.</param>
/// <param name="Note">Why a C function does not replace its port, or what it replaces.</param>
public sealed record CFunctionOrigin(string Name, string From, string? Note);

/// <summary>
/// A kernel state loaded from C: the variant the engine runs (the base state's ports with the C
/// functions translated and compiled over them), and the account of where each function came from
/// and what the files defined that was not taken.
/// </summary>
public sealed class CState
{
    /// <summary>The variant: hunt, verify, replay and minimize run it like any other.</summary>
    public required Variant Variant { get; init; }
    /// <summary>The base state whose ports supply every function not taken from C.</summary>
    public required Variant Base { get; init; }
    /// <summary>The functions taken from C and the ports the C calls.</summary>
    public required IReadOnlyList<CFunctionOrigin> Origins { get; init; }
    /// <summary>Functions the files define that were not taken (a real mm/huge_memory.c defines hundreds).</summary>
    public required IReadOnlyList<string> Skipped { get; init; }
    /// <summary>The generated C# (for <c>--emit-cs</c> and for reading).</summary>
    public required string GeneratedSource { get; init; }

    /// <summary>Reads, translates and compiles <paramref name="options"/>' C over <paramref name="baseVariant"/>.</summary>
    public static CState Load(CLoadOptions options, Variant baseVariant)
    {
        if (options.Files.Count == 0)
            throw new CError("no C file to read");
        var units = new List<ClangUnit>();
        try
        {
            var defined = Parse(options, units, out var taken);
            var program = new CProgram(units, new PortBinder(baseVariant.KernelType), taken, CheckDiagnostics);
            program.Translate();
            const string className = "CKernel";
            var writer = new KernelClassWriter(program, className);
            string source = writer.Write();
            var (factory, kernelClass) = CCompiler.Compile(source, className);
            var variant = Variant.Of(kernelClass, options.Name ?? $"{baseVariant.Name}+c",
                    $"{baseVariant.Name} with {string.Join(", ", taken.Order())} from C ({string.Join(", ", options.Files.Select(f => f.Path))})", factory)
                with { FrameBytes = Math.Max(8, program.FrameBytes), Base = baseVariant };
            var used = program.Functions.Select(f => f.Name).ToHashSet();
            return new CState
            {
                Variant = variant, Base = baseVariant, Origins = OriginsOf(writer, program, taken),
                Skipped = defined.Where(d => !used.Contains(d)).Order(StringComparer.Ordinal).ToList(), GeneratedSource = source,
            };
        }
        finally
        {
            foreach (var u in units)
                u.Dispose();
        }
    }

    /// <summary>Parses the files into <paramref name="units"/>; returns what they define and sets what is taken.</summary>
    static HashSet<string> Parse(CLoadOptions options, List<ClangUnit> units, out HashSet<string> taken)
    {
        var stubs = options.StubHeaders.Select(h => (h.Path, h.Text)).ToList();
        foreach (var f in options.Files)
            units.Add(ClangUnit.Parse(f.Path, f.Text, stubs));
        CheckHeaders(units);
        var defined = units.SelectMany(u => u.Functions.Where(d => !d.InHeader)).Select(d => d.Name).ToHashSet();
        taken = Taken(options, defined);
        if (taken.Count == 0)
            throw new CError(options.FromTree
                ? $"{string.Join(", ", options.Files.Select(f => f.Path))}: defines none of the deferred-split functions the model knows ({string.Join(", ", CKnown.FromTree)})"
                : $"{string.Join(", ", options.Files.Select(f => f.Path))}: defines no function");
        // A file calls its own extern functions before defining them, relying on a kernel header's
        // declaration; give the taken ones theirs (from their own definitions) and read the file again.
        for (int i = 0; i < units.Count; i++)
        {
            var u = units[i];
            var ours = taken;
            var conflicts = u.Functions.Where(d => !d.InHeader && ours.Contains(d.Name)
                && u.Diagnostics.Any(x => x.IsError && u.InMainFile(x.Pos) && x.Pos.Offset >= d.StartOffset && x.Pos.Offset <= d.EndOffset
                    && x.Text.StartsWith("conflicting types for", StringComparison.Ordinal))).ToList();
            if (conflicts.Count == 0)
                continue;
            var prototypes = string.Join("\n", conflicts.Select(u.Prototype).OfType<string>());
            u.Dispose();
            units[i] = ClangUnit.Parse(options.Files[i].Path, options.Files[i].Text, stubs, prototypes);
        }
        return defined;
    }

    /// <summary>Where each function comes from: the taken ones and their replacements, the C helpers, the ports the C calls.</summary>
    static List<CFunctionOrigin> OriginsOf(KernelClassWriter writer, CProgram program, HashSet<string> taken)
    {
        var origins = new List<CFunctionOrigin>();
        foreach (var r in writer.Replacements)
            origins.Add(new CFunctionOrigin(r.Function.Name, $"C {r.Function.Def.Pos.File}:{r.Function.Def.Pos.Line}",
                r.Port is null ? (r.Note is null ? "runs where C calls it" : $"runs where C calls it; the port of the same name stays for the ports that call it ({r.Note})")
                : r.Port.Name != r.Function.Name ? $"replaces the port {r.Port.Name}()" : null));
        foreach (var f in program.Functions.Where(f => !f.InHeader && !taken.Contains(f.Name)))
            origins.Add(new CFunctionOrigin(f.Name, $"C {f.Def.Pos.File}:{f.Def.Pos.Line}", "a helper the C calls"));
        foreach (var p in program.PortsCalled.Where(p => !taken.Contains(p)))
            origins.Add(new CFunctionOrigin(p, "port", null));
        return origins;
    }

    static HashSet<string> Taken(CLoadOptions options, HashSet<string> defined)
    {
        if (options.Functions is { } named)
        {
            foreach (var n in named)
                if (!defined.Contains(n))
                    throw new CError($"--functions names {n}(), which {string.Join(", ", options.Files.Select(f => f.Path))} does not define");
            return named.ToHashSet();
        }
        return options.FromTree ? defined.Where(CKnown.FromTree.Contains).ToHashSet() : defined;
    }

    /// <summary>An error in the front end's or the user's headers stops the load: every function depends on them.</summary>
    static void CheckHeaders(List<ClangUnit> units)
    {
        foreach (var u in units)
            foreach (var d in u.Diagnostics.Where(d => d.IsError && !u.InMainFile(d.Pos)))
                throw new CError(d.Pos, $"error: {d.Text}");
    }

    /// <summary>
    /// Errors inside a function about to run stop the load with clang's diagnostic (file, line, column);
    /// an undeclared call is said the model's way. Errors elsewhere in the file are in functions not taken.
    /// </summary>
    static void CheckDiagnostics(ClangUnit unit, CFunctionDef def)
    {
        if (def.InHeader)
            return;
        foreach (var d in unit.Diagnostics.Where(d => d.IsError && unit.InMainFile(d.Pos) && d.Pos.Offset >= def.StartOffset && d.Pos.Offset <= def.EndOffset))
        {
            var m = Regex.Match(d.Text, @"^call to undeclared function '(\w+)'");
            if (m.Success)
                throw new CError(d.Pos, $"{def.Name}() calls {m.Groups[1].Value}(), which the model does not provide (port it, or declare it in a header given with --stub-header)");
            var id = Regex.Match(d.Text, @"^use of undeclared identifier '(\w+)'");
            if (id.Success)
                throw new CError(d.Pos, $"{def.Name}() uses {id.Groups[1].Value}, which the model does not provide (declare it in a header given with --stub-header)");
            throw new CError(d.Pos, $"error: {d.Text}");
        }
    }
}
