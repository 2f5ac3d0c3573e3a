using System.CommandLine;
using MmFuzz.C;
using MmFuzz.Kernel;

namespace MmFuzz.Cli;

/// <summary>
/// "Bring your patch": <c>--kernel-tree DIR</c> or <c>--c FILE</c> with <c>--base STATE</c> make the
/// kernel state a verb runs from C, read by the C front end (core/C) over the base state's ports.
/// Shared by every verb that runs a variant; a verb adds them with <see cref="AddTo"/> and calls
/// <see cref="Load"/> once. The loaded state is registered by name, so a regression file it wrote
/// names it and <c>replay</c>/<c>minimize</c> find it when given the same options.
/// </summary>
public sealed class CSourceOptions
{
    readonly Option<string?> tree = Opt.Path("--kernel-tree", "DIR",
        "run the kernel's own C: the deferred-split functions of DIR/mm/huge_memory.c and DIR/mm/internal.h, over --base's ports");
    readonly Option<string[]> files = new("--c")
    {
        Description = "run the C of FILE (a patched file, an excerpt; repeat for several), or of every .c and .h under a folder (a state's rendering, corpus/kernels/STATE), over --base's ports: every function it defines",
        HelpName = "FILE|DIR",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };
    readonly Option<string[]> patches = new("--patch")
    {
        Description = "apply this unified diff (git diff, diff -u) to the C read, in memory, before reading it (repeatable): a patch under review over a tree or a rendering",
        HelpName = "FILE",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };
    readonly Option<Variant?> baseState = Opt.OneVariant("--base", false, "the kernel state whose ports supply every function the C does not define (with --kernel-tree or --c)");
    readonly Option<string?> functions = new("--functions")
    {
        Description = "take only these functions from the C, comma-separated (default: --kernel-tree's known deferred-split functions, --c's every one)",
        HelpName = "NAME[,NAME]",
    };
    readonly Option<string?> treeFiles = new("--tree-files")
    {
        Description = $"also read these files of the tree, comma-separated (of {string.Join(", ", CKnown.OptionalTreeFiles)}); name their functions with --functions",
        HelpName = "PATH[,PATH]",
    };
    readonly Option<string[]> stubHeaders = new("--stub-header")
    {
        Description = "a header of your own, included after MmFuzz's: declarations, macros and inline C for what the model does not provide (repeatable)",
        HelpName = "FILE",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };
    readonly Option<string?> name = new("--name")
    {
        Description = "the state's name in reports and regression files (default: BASE+c)",
        HelpName = "NAME",
    };
    readonly Option<string?> emitCs = Opt.Path("--emit-cs", "FILE", "also write the C# the C was translated to (for reading; never overwritten)");

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public CSourceOptions AddTo(Command command)
    {
        command.Add(tree);
        command.Add(files);
        command.Add(patches);
        command.Add(baseState);
        command.Add(functions);
        command.Add(treeFiles);
        command.Add(stubHeaders);
        command.Add(name);
        command.Add(emitCs);
        return this;
    }

    /// <summary>Whether C was asked for.</summary>
    public bool Given(ParseResult p) => p.GetValue(tree) is not null || (p.GetValue(files)?.Length ?? 0) > 0;

    /// <summary>
    /// The kernel state loaded from the C the options name, or null when none is named. Prints where
    /// each function comes from on stderr. A problem with the C is one line and exit 2.
    /// </summary>
    public Variant? Load(ParseResult p)
    {
        string? dir = p.GetValue(tree);
        var cfiles = p.GetValue(files) ?? [];
        bool others = p.GetValue(baseState) is not null || (p.GetValue(patches)?.Length ?? 0) > 0 || p.GetValue(functions) is not null || p.GetValue(treeFiles) is not null
                      || (p.GetValue(stubHeaders)?.Length ?? 0) > 0 || p.GetValue(name) is not null || p.GetValue(emitCs) is not null;
        if (dir is null && cfiles.Length == 0)
        {
            if (others)
                throw new UsageException("--base, --patch, --functions, --tree-files, --stub-header, --name and --emit-cs go with --kernel-tree or --c");
            return null;
        }
        if (dir is not null && cfiles.Length > 0)
            throw new UsageException("--kernel-tree and --c: give one of them (a tree, or files)");
        var @base = p.GetValue(baseState) ?? throw new UsageException($"{(dir is not null ? "--kernel-tree" : "--c")} needs --base: the kernel state whose ports supply what the C does not define (valid: {string.Join(", ", Kernel.Variants.All.Select(v => v.Name))})");
        if (p.GetValue(emitCs) is { } emit)
            Files.CheckNew("--emit-cs", emit, false);
        var wanted = List(p.GetValue(functions), "--functions");
        var extra = List(p.GetValue(treeFiles), "--tree-files");
        if (extra is not null && dir is null)
            throw new UsageException("--tree-files goes with --kernel-tree");
        foreach (var f in extra ?? [])
            if (!CKnown.OptionalTreeFiles.Contains(f) && !CKnown.TreeFiles.Contains(f))
                throw new UsageException($"--tree-files: '{Cli.Escape(f)}' is not a file the front end reads (valid: {string.Join(", ", CKnown.OptionalTreeFiles)})");
        string variantName = p.GetValue(name) ?? $"{@base.Name}+c";
        if (Kernel.Variants.Find(variantName) is { } clash && !Kernel.Variants.IsRegistered(clash))
            throw new UsageException($"--name: '{Cli.Escape(variantName)}' is a kernel state of history; choose another name");
        CState state;
        try
        {
            var sources = dir is not null ? CInputs.ReadTree(dir, extra ?? []) : cfiles.SelectMany(CInputs.ReadFileOrFolder).ToList();
            foreach (var patch in p.GetValue(patches) ?? [])
                sources = CPatch.Apply(sources, CInputs.ReadFile(patch).Text, patch);
            var stubs = (p.GetValue(stubHeaders) ?? []).Select(h => CInputs.ReadFile(h)).ToList();
            state = Terminal.Progress($"reading C over {@base.Name}", 5, _ => CState.Load(new CLoadOptions
            {
                Files = sources,
                StubHeaders = stubs,
                Functions = wanted,
                FromTree = dir is not null,
                Name = variantName,
            }, @base));
        }
        catch (CError e)
        {
            throw new UsageException(e.Message);
        }
        if (p.GetValue(emitCs) is { } emitTo)
            File.WriteAllText(emitTo, state.GeneratedSource);
        Kernel.Variants.Register(state.Variant);
        Launch.CSource = (dir is not null ? $" --kernel-tree {Launch.Arg(dir)}" : string.Concat(cfiles.Select(f => $" --c {Launch.Arg(f)}")))
            + $" --base {@base.Name}"
            + string.Concat((p.GetValue(patches) ?? []).Select(x => $" --patch {Launch.Arg(x)}"))
            + (p.GetValue(functions) is { } fs ? $" --functions {Launch.Arg(fs)}" : "")
            + (p.GetValue(treeFiles) is { } tf ? $" --tree-files {Launch.Arg(tf)}" : "")
            + string.Concat((p.GetValue(stubHeaders) ?? []).Select(h => $" --stub-header {Launch.Arg(h)}"))
            + (p.GetValue(name) is { } n ? $" --name {Launch.Arg(n)}" : "");
        PrintOrigins(state);
        return state.Variant;
    }

    /// <summary>
    /// The variants a verb runs: <c>--variant</c>'s, or the state loaded from C. With
    /// <paramref name="compare"/> (bench) both, and the C with its base when no <c>--variant</c> is given.
    /// </summary>
    public Variant[] Variants(ParseResult p, Option<Variant[]> variant, bool compare = false)
    {
        var given = p.GetResult(variant) is { Implicit: false } ? p.GetValue(variant) : null;
        if (given is not null && !compare && Given(p))
            throw new UsageException("--variant and --kernel-tree/--c: give one of them (the state from C is the variant; compare it with --baseline)");
        var c = Load(p);
        if (c is null)
            return given ?? (compare ? [.. Kernel.Variants.All] : throw new UsageException($"{p.CommandResult.Command.Name}: --variant is required (or --kernel-tree / --c with --base: a state read from C)"));
        if (!compare)
            return [c];
        var @base = p.GetValue(baseState)!;
        return given is not null ? [.. given, c] : [@base, c];
    }

    static string[]? List(string? value, string option)
    {
        if (value is null)
            return null;
        var items = value.Split(',', StringSplitOptions.TrimEntries);
        if (items.Any(i => i.Length == 0))
            throw new UsageException($"{option}: an empty name in '{Cli.Escape(value)}'");
        return items;
    }

    /// <summary>Which functions run from C and which from the ports, and what the files defined that was not taken.</summary>
    static void PrintOrigins(CState s)
    {
        var e = Console.Error;
        e.WriteLine($"{s.Variant.Name}: {s.Base.Name}'s ports with C in place of:");
        foreach (var o in s.Origins.Where(o => o.From != "port"))
            e.WriteLine($"  {o.Name + "()",-36} {o.From[2..]}{(o.Note is null ? "" : $"  ({o.Note})")}");
        var ports = s.Origins.Where(o => o.From == "port").Select(o => o.Name).ToList();
        e.WriteLine($"  the C calls {ports.Count} of {s.Base.Name}'s ports: {string.Join(", ", ports)}");
        if (s.Skipped.Count > 0)
            e.WriteLine($"  not taken: {s.Skipped.Count} other function(s) the files define (--functions takes them): {string.Join(", ", s.Skipped.Take(12))}{(s.Skipped.Count > 12 ? ", ..." : "")}");
    }
}
