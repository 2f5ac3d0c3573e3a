using MmFuzz.C.Clang;

namespace MmFuzz.C.Ast;

/// <summary>
/// One node of a C function's syntax tree, copied out of libclang so the translator never holds a
/// cursor: the cursor kind, spelling, type, where it was written, its children, and the facts the
/// translator needs that libclang only gives through a cursor (operator, referenced declaration,
/// constant value, a <c>for</c>'s clauses).
/// </summary>
public sealed class CNode
{
    /// <summary>The cursor kind.</summary>
    public CursorKind Kind { get; init; }
    /// <summary>The spelling: a declaration's name, a referenced name.</summary>
    public string Spelling { get; init; } = "";
    /// <summary>The type of an expression or declaration.</summary>
    public CType Type { get; init; } = null!;
    /// <summary>Where it was written (the expansion location: for macro-made code, the macro's use).</summary>
    public SourcePos Pos { get; init; }
    /// <summary>The children, in libclang's order.</summary>
    public List<CNode> Children { get; } = [];
    /// <summary>For binary and compound-assignment operators.</summary>
    public BinaryOp BinaryOp { get; init; }
    /// <summary>For unary operators.</summary>
    public UnaryOp UnaryOp { get; init; }
    /// <summary>For references (a name, a member, a callee, a label): the declaration referred to.</summary>
    public CDecl? Ref { get; init; }
    /// <summary>For a member access: the field's offset in bits and its bit width (0 if not a bitfield).</summary>
    public long FieldOffsetBits { get; init; }
    /// <summary>For a member access to a bitfield: its width.</summary>
    public int BitWidth { get; init; }
    /// <summary>For integer and character literals, <c>sizeof</c>, <c>offsetof</c>: the value.</summary>
    public long? Value { get; init; }
    /// <summary>For string literals: the text between the quotes.</summary>
    public string? Text { get; init; }
    /// <summary>For a <c>for</c>: which children are the init, condition and increment (null when absent) and the body.</summary>
    public CNode? ForInit { get; set; }
    /// <summary>For a <c>for</c>: the condition.</summary>
    public CNode? ForCond { get; set; }
    /// <summary>For a <c>for</c>: the increment.</summary>
    public CNode? ForInc { get; set; }
    /// <summary>For a <c>for</c>: the body.</summary>
    public CNode? ForBody { get; set; }
    /// <summary>For a variable: its initializer, or null.</summary>
    public CNode? Init { get; set; }
    /// <summary>For a call: the arguments (the callee is <see cref="Children"/>[0]).</summary>
    public List<CNode> Args { get; } = [];

    /// <summary>Child <paramref name="i"/>.</summary>
    public CNode this[int i] => Children[i];

    /// <inheritdoc/>
    public override string ToString() => $"{Kind} '{Spelling}' : {Type} at {Pos}";
}

/// <summary>What a name refers to: a function, a variable (local, parameter or global), an enum constant, a field, a label.</summary>
/// <param name="Kind">The declaration's cursor kind.</param>
/// <param name="Name">Its name.</param>
/// <param name="Usr">Its USR: the key that tells two declarations of the same name apart.</param>
/// <param name="Pos">Where it is declared.</param>
/// <param name="IsLocal">For variables: declared inside a function (not a global).</param>
public sealed record CDecl(CursorKind Kind, string Name, string Usr, SourcePos Pos, bool IsLocal);
