using MmFuzz.C.Ast;
using MmFuzz.C.Clang;

namespace MmFuzz.C.Translate;

/// <summary>A C function definition chosen to run: where it is written, its syntax tree, and the C# method it becomes.</summary>
public sealed class CFunc
{
    /// <summary>The C name.</summary>
    public required string Name { get; init; }
    /// <summary>The file that defines it.</summary>
    public required ClangUnit Unit { get; init; }
    /// <summary>The definition.</summary>
    public required CFunctionDef Def { get; init; }
    /// <summary>The C# method name (<c>c_deferred_split_scan</c>).</summary>
    public required string CsName { get; init; }
    /// <summary>The body and parameters, converted.</summary>
    public required CNode Ast { get; init; }
    /// <summary>Whether it comes from the front end's or a stub header rather than the user's C file.</summary>
    public bool InHeader => Def.InHeader;
    /// <summary>The C result type.</summary>
    public CType Result => Ast.Type.Result!;
    /// <summary>The parameters: names and types, in order.</summary>
    public IEnumerable<CNode> Params => Ast.Children.Where(c => c.Kind == CursorKind.ParmDecl);
    /// <summary>The body.</summary>
    public CNode? Body => Ast.Children.LastOrDefault(c => c.Kind == CursorKind.CompoundStmt);
}
