using System.Runtime.InteropServices;

namespace MmFuzz.C.Clang;

/// <summary>Walking libclang cursors: a cursor's children as a list, and where a cursor is.</summary>
public static unsafe class Cursors
{
    /// <summary>The direct children of <paramref name="parent"/>, in libclang's order.</summary>
    public static List<CXCursor> Children(CXCursor parent)
    {
        var list = new List<CXCursor>();
        var handle = GCHandle.Alloc(list);
        try
        {
            Native.clang_visitChildren(parent, &Collect, GCHandle.ToIntPtr(handle));
        }
        finally
        {
            handle.Free();
        }
        return list;
    }

    [UnmanagedCallersOnly]
    static int Collect(CXCursor cursor, CXCursor parent, nint data)
    {
        ((List<CXCursor>)GCHandle.FromIntPtr(data).Target!).Add(cursor);
        return 1;   // CXChildVisit_Continue
    }

    /// <summary>The cursor's spelling (a name, an operator, a literal's text).</summary>
    public static string Spelling(CXCursor c) => Native.Take(Native.clang_getCursorSpelling(c));

    /// <summary>The cursor's USR: a name that identifies a declaration across the translation unit.</summary>
    public static string Usr(CXCursor c) => Native.Take(Native.clang_getCursorUSR(c));

    /// <summary>Where the cursor's first character was expanded: the file, line, column and byte offset a person reads.</summary>
    public static SourcePos Expansion(CXSourceLocation loc)
    {
        nint file;
        uint line, col, off;
        Native.clang_getExpansionLocation(loc, &file, &line, &col, &off);
        return new SourcePos(file == 0 ? "" : Native.Take(Native.clang_getFileName(file)), (int)line, (int)col, (int)off);
    }

    /// <summary>Where the cursor's first character is spelled (inside a macro's definition for macro-made code).</summary>
    public static SourcePos Spelling(CXSourceLocation loc)
    {
        nint file;
        uint line, col, off;
        Native.clang_getSpellingLocation(loc, &file, &line, &col, &off);
        return new SourcePos(file == 0 ? "" : Native.Take(Native.clang_getFileName(file)), (int)line, (int)col, (int)off);
    }

    /// <summary>Where <paramref name="c"/> starts, as a person reads it.</summary>
    public static SourcePos Pos(CXCursor c) => Expansion(Native.clang_getCursorLocation(c));

    /// <summary>Whether the cursor is the null cursor.</summary>
    public static bool IsNull(CXCursor c) => Native.clang_Cursor_isNull(c) != 0;
}

/// <summary>A place in a C file: the path as the user gave it, 1-based line and column, byte offset.</summary>
public readonly record struct SourcePos(string File, int Line, int Column, int Offset)
{
    /// <inheritdoc/>
    public override string ToString() => $"{File}:{Line}:{Column}";
}
