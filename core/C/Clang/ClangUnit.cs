using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using MmFuzz.C.Ast;

namespace MmFuzz.C.Clang;

/// <summary>A diagnostic clang gave: severity, place and text.</summary>
public sealed record CDiagnostic(int Severity, SourcePos Pos, string Text)
{
    /// <summary>Whether it is an error (or fatal).</summary>
    public bool IsError => Severity >= 3;

    /// <inheritdoc/>
    public override string ToString() => $"{Pos}: {(Severity >= 3 ? "error" : "warning")}: {Text}";
}

/// <summary>A function definition found in a file: its name, cursor and the byte range of its text.</summary>
public sealed record CFunctionDef(string Name, string Usr, CXCursor Cursor, SourcePos Pos, int StartOffset, int EndOffset, bool InHeader);

/// <summary>
/// One C file parsed by libclang against the front end's headers: its diagnostics, its function
/// definitions and globals, and the conversion of a function's cursors to <see cref="CNode"/>s.
/// Every <c>#include</c> of the file becomes a blank line (lines keep their numbers) and
/// <c>mmfuzz.h</c> is included first instead, so kernel headers are never needed.
/// </summary>
public sealed unsafe partial class ClangUnit : IDisposable
{
    const string IncludeRoot = "/mmfuzz/include";
    nint index, tu;
    readonly string virtualPath;
    readonly Dictionary<string, string> displayOf = new();
    readonly Dictionary<string, string> texts = new();

    /// <summary>The types of this unit.</summary>
    public CTypes Types { get; } = new();

    /// <summary>The path as the user gave it.</summary>
    public string DisplayPath { get; }

    /// <summary>Every diagnostic clang gave, in order.</summary>
    public List<CDiagnostic> Diagnostics { get; } = [];

    /// <summary>Function definitions of the file and of the headers, in order.</summary>
    public List<CFunctionDef> Functions { get; } = [];

    /// <summary>Global variables with their cursors, by name.</summary>
    public Dictionary<string, CXCursor> Globals { get; } = new();

    [GeneratedRegex(@"^[ \t]*#[ \t]*include\b.*$", RegexOptions.Multiline)]
    private static partial Regex IncludeLine();

    ClangUnit(string displayPath, string virtualPath)
    {
        DisplayPath = displayPath;
        this.virtualPath = virtualPath;
    }

    /// <summary>
    /// Parses <paramref name="text"/> (shown to the user as <paramref name="displayPath"/>) with the
    /// front end's headers and the user's <paramref name="stubHeaders"/> (path, text) included first.
    /// </summary>
    public static ClangUnit Parse(string displayPath, string text, IReadOnlyList<(string Path, string Text)> stubHeaders, string? prototypes = null)
    {
        var unit = new ClangUnit(displayPath, $"/mmfuzz/input/{Math.Abs(displayPath.GetHashCode()):x}/{Path.GetFileName(displayPath)}");
        unit.Text = text;
        unit.Run(text, stubHeaders, prototypes);
        return unit;
    }

    /// <summary>The file's text as given.</summary>
    public string Text { get; private set; } = "";

    /// <summary>
    /// The declaration of a function defined in this file, as written up to its body
    /// (<c>void deferred_split_folio(struct folio *folio, bool partially_mapped)</c>): what a kernel header
    /// declares for the file's other users, since the front end reads none of them.
    /// </summary>
    public string? Prototype(CFunctionDef def)
    {
        var body = Cursors.Children(def.Cursor).FirstOrDefault(c => c.Kind == CursorKind.CompoundStmt);
        if (Cursors.IsNull(body) || body.Kind != CursorKind.CompoundStmt)
            return null;
        int from = def.StartOffset, to = Cursors.Expansion(Native.clang_getCursorLocation(body)).Offset;
        var bytes = Encoding.UTF8.GetBytes(texts[virtualPath]);
        if (from < 0 || to > bytes.Length || to <= from)
            return null;
        return Encoding.UTF8.GetString(bytes, from, to - from).Trim() + ";";
    }

    void Run(string text, IReadOnlyList<(string Path, string Text)> stubHeaders, string? prototypes)
    {
        var files = new List<(string Path, string Text)> { (virtualPath, StripIncludes(text)) };
        displayOf[virtualPath] = DisplayPath;
        foreach (var (name, body) in Headers.All)
        {
            files.Add(($"{IncludeRoot}/{name}", body));
            displayOf[$"{IncludeRoot}/{name}"] = $"<mmfuzz>/{name}";
        }
        var args = new List<string> { "-x", "c", "-std=gnu11", "-nostdinc", "-ffreestanding", "-ferror-limit=0", "-fbracket-depth=256", "-w",
            "-I", IncludeRoot, "-include", $"{IncludeRoot}/mmfuzz.h" };
        for (int i = 0; i < stubHeaders.Count; i++)
        {
            var p = $"/mmfuzz/stub/{i}/{Path.GetFileName(stubHeaders[i].Path)}";
            files.Add((p, StripIncludes(stubHeaders[i].Text)));
            displayOf[p] = stubHeaders[i].Path;
            args.Add("-include");
            args.Add(p);
        }
        if (prototypes is not null)
        {
            var p = $"/mmfuzz/proto/{Path.GetFileName(virtualPath)}.h";
            files.Add((p, prototypes));
            displayOf[p] = $"<declarations of {DisplayPath}>";
            args.Add("-include");
            args.Add(p);
        }
        foreach (var (p, t) in files)
            texts[p] = t;

        var pinned = new List<nint>();
        nint Utf8(string s)
        {
            var bytes = Encoding.UTF8.GetBytes(s);
            var mem = Marshal.AllocHGlobal(bytes.Length + 1);
            Marshal.Copy(bytes, 0, mem, bytes.Length);
            ((byte*)mem)[bytes.Length] = 0;
            pinned.Add(mem);
            return mem;
        }
        try
        {
            var unsaved = new CXUnsavedFile[files.Count];
            for (int i = 0; i < files.Count; i++)
                unsaved[i] = new CXUnsavedFile { Filename = Utf8(files[i].Path), Contents = Utf8(files[i].Text), Length = (nuint)Encoding.UTF8.GetByteCount(files[i].Text) };
            var argv = new byte*[args.Count];
            for (int i = 0; i < args.Count; i++)
                argv[i] = (byte*)Utf8(args[i]);
            index = Native.clang_createIndex(0, 0);
            nint unit;
            int rc;
            fixed (CXUnsavedFile* u = unsaved)
            fixed (byte** a = argv)
                rc = Native.clang_parseTranslationUnit2(index, (byte*)Utf8(virtualPath), a, args.Count, u, (uint)unsaved.Length, 0x200 /* KeepGoing */, &unit);
            if (rc != 0 || unit == 0)
                throw new CError($"{DisplayPath}: libclang could not parse the file (error {rc})");
            tu = unit;
        }
        finally
        {
            foreach (var p in pinned)
                Marshal.FreeHGlobal(p);
        }
        ReadDiagnostics();
        ReadTopLevel();
    }

    /// <summary>The file's text with every <c>#include</c> line blanked, lines and columns kept.</summary>
    static string StripIncludes(string text) => IncludeLine().Replace(text, "");

    void ReadDiagnostics()
    {
        uint n = Native.clang_getNumDiagnostics(tu);
        for (uint i = 0; i < n; i++)
        {
            var d = Native.clang_getDiagnostic(tu, i);
            try
            {
                Diagnostics.Add(new CDiagnostic(Native.clang_getDiagnosticSeverity(d), Display(Cursors.Expansion(Native.clang_getDiagnosticLocation(d))),
                    Native.Take(Native.clang_getDiagnosticSpelling(d))));
            }
            finally
            {
                Native.clang_disposeDiagnostic(d);
            }
        }
    }

    void ReadTopLevel()
    {
        foreach (var c in Cursors.Children(Native.clang_getTranslationUnitCursor(tu)))
        {
            if (c.Kind == CursorKind.FunctionDecl && Native.clang_isCursorDefinition(c) != 0)
            {
                var extent = Native.clang_getCursorExtent(c);
                var start = Cursors.Expansion(Native.clang_getRangeStart(extent));
                var end = Cursors.Expansion(Native.clang_getRangeEnd(extent));
                var pos = Display(Cursors.Pos(c));
                Functions.Add(new CFunctionDef(Cursors.Spelling(c), Cursors.Usr(c), c, pos, start.Offset, end.Offset, start.File != virtualPath));
            }
            else if (c.Kind == CursorKind.VarDecl)
                Globals[Cursors.Spelling(c)] = c;
        }
    }

    /// <summary>
    /// The constant value of the global <paramref name="name"/> defined in this file (0 for a
    /// definition without initializer), or null when it is only declared or not constant.
    /// </summary>
    public long? GlobalValue(string name)
    {
        if (!Globals.TryGetValue(name, out var c) || Native.clang_isCursorDefinition(c) == 0)
            return null;
        var init = Native.clang_Cursor_getVarDeclInitializer(c);
        return Cursors.IsNull(init) ? 0 : Evaluate(init);
    }

    /// <summary>The type of the global <paramref name="name"/> (for checking the headers' layouts).</summary>
    public CType? TypeOfGlobal(string name) =>
        Globals.TryGetValue(name, out var c) ? Types.Of(Native.clang_getCursorType(c)) : null;

    /// <summary>The byte offset of <paramref name="field"/> (also inside an anonymous union) in the struct the global <paramref name="pointer"/> points to, or -1.</summary>
    public long OffsetOf(string pointer, string field)
    {
        if (!Globals.TryGetValue(pointer, out var c))
            return -1;
        var record = Native.clang_getPointeeType(Native.clang_getCursorType(c));
        var name = Encoding.UTF8.GetBytes(field + "\0");
        fixed (byte* p = name)
        {
            long bits = Native.clang_Type_getOffsetOf(record, p);
            return bits < 0 ? -1 : bits / 8;
        }
    }

    /// <summary>A position with the file named as the user knows it.</summary>
    public SourcePos Display(SourcePos pos) =>
        displayOf.TryGetValue(pos.File, out var shown) ? pos with { File = shown } : pos;

    /// <summary>Whether <paramref name="pos"/> (as displayed) is in the user's file rather than a header.</summary>
    public bool InMainFile(SourcePos pos) => pos.File == DisplayPath;

    /// <summary>Releases the translation unit and the index.</summary>
    public void Dispose()
    {
        if (tu != 0)
            Native.clang_disposeTranslationUnit(tu);
        if (index != 0)
            Native.clang_disposeIndex(index);
        tu = index = 0;
    }
}
