using MmFuzz.C.Ast;

namespace MmFuzz.C.Translate;

/// <summary>The C# type a C scalar runs as: integers keep their width and signedness, pointers are arena addresses (<c>nint</c>).</summary>
public enum CsType
{
    /// <summary>No value.</summary>
    Void,
    /// <summary><c>bool</c> (C's <c>_Bool</c>, and the value of a comparison or logical operator).</summary>
    Bool,
    /// <summary><c>sbyte</c>.</summary>
    I8,
    /// <summary><c>byte</c>.</summary>
    U8,
    /// <summary><c>short</c>.</summary>
    I16,
    /// <summary><c>ushort</c>.</summary>
    U16,
    /// <summary><c>int</c>.</summary>
    I32,
    /// <summary><c>uint</c>.</summary>
    U32,
    /// <summary><c>long</c>.</summary>
    I64,
    /// <summary><c>ulong</c>.</summary>
    U64,
    /// <summary><c>nint</c>: a pointer.</summary>
    Ptr,
}

/// <summary>Mapping C types to <see cref="CsType"/> and spelling them.</summary>
public static class CsTypes
{
    /// <summary>The C# type of a C scalar type (records and arrays have none: they live in memory).</summary>
    public static CsType Of(CType t) => t.Kind switch
    {
        CTypeKind.Void => CsType.Void,
        CTypeKind.Bool => CsType.Bool,
        CTypeKind.Pointer => CsType.Ptr,
        CTypeKind.Int => (t.Size, t.Signed) switch
        {
            (1, true) => CsType.I8,
            (1, false) => CsType.U8,
            (2, true) => CsType.I16,
            (2, false) => CsType.U16,
            (4, true) => CsType.I32,
            (4, false) => CsType.U32,
            (8, true) => CsType.I64,
            _ => CsType.U64,
        },
        _ => CsType.Void,
    };

    /// <summary>The C# spelling.</summary>
    public static string Name(CsType t) => t switch
    {
        CsType.Void => "void",
        CsType.Bool => "bool",
        CsType.I8 => "sbyte",
        CsType.U8 => "byte",
        CsType.I16 => "short",
        CsType.U16 => "ushort",
        CsType.I32 => "int",
        CsType.U32 => "uint",
        CsType.I64 => "long",
        CsType.U64 => "ulong",
        _ => "nint",
    };

    /// <summary>Whether it is an integer type (pointers count: they are <c>nint</c>).</summary>
    public static bool IsInteger(CsType t) => t is not (CsType.Void or CsType.Bool);

    /// <summary>Size in bytes of a scalar in memory.</summary>
    public static int Size(CsType t) => t switch
    {
        CsType.Bool or CsType.I8 or CsType.U8 => 1,
        CsType.I16 or CsType.U16 => 2,
        CsType.I32 or CsType.U32 => 4,
        _ => 8,
    };

    /// <summary>
    /// The code that converts <paramref name="code"/> of type <paramref name="from"/> to
    /// <paramref name="to"/> as C converts: integers wrap, anything to bool compares with zero.
    /// </summary>
    public static string Convert(string code, CsType from, CsType to)
    {
        if (from == to || to == CsType.Void)
            return code;
        if (to == CsType.Bool)
            return $"({code} != 0)";
        if (from == CsType.Bool)
            return $"(({code}) ? ({Name(to)})1 : ({Name(to)})0)";
        return $"unchecked(({Name(to)})({code}))";
    }
}

/// <summary>A translated C expression: its C# code, the C# type that code has, and the C type.</summary>
/// <param name="Code">C# code (may contain <c>await</c>).</param>
/// <param name="Cs">The C# type of <paramref name="Code"/>.</param>
/// <param name="C">The C type of the expression.</param>
public readonly record struct TExpr(string Code, CsType Cs, CType C)
{
    /// <summary>The value converted to <paramref name="to"/>.</summary>
    public string As(CsType to) => CsTypes.Convert(Code, Cs, to);

    /// <summary>The value as a C condition (nonzero is true).</summary>
    public string AsCondition => As(CsType.Bool);
}
