using MmFuzz.C.Clang;

namespace MmFuzz.C.Ast;

/// <summary>What a C type is, as far as running it goes.</summary>
public enum CTypeKind
{
    /// <summary><c>void</c>.</summary>
    Void,
    /// <summary><c>_Bool</c>.</summary>
    Bool,
    /// <summary>An integer (an enum is its underlying integer).</summary>
    Int,
    /// <summary>A pointer (to data or to a function).</summary>
    Pointer,
    /// <summary>A struct or union.</summary>
    Record,
    /// <summary>An array of fixed length.</summary>
    Array,
    /// <summary>A function type.</summary>
    Function,
    /// <summary>Anything the front end does not run (floating point, vectors, incomplete arrays).</summary>
    Unsupported,
}

/// <summary>
/// A C type resolved to what the engine needs: its kind, size and signedness, what a pointer points
/// to, a record's fields and offsets (as clang lays them out for the front end's headers), and
/// whether the access is volatile (<c>READ_ONCE()</c>/<c>WRITE_ONCE()</c>).
/// </summary>
public sealed class CType
{
    /// <summary>The kind.</summary>
    public CTypeKind Kind { get; init; }
    /// <summary>Size in bytes (0 for void and functions).</summary>
    public int Size { get; init; }
    /// <summary>For integers: signed.</summary>
    public bool Signed { get; init; }
    /// <summary>Whether this type is volatile-qualified.</summary>
    public bool Volatile { get; init; }
    /// <summary>For pointers: the type pointed to; for arrays: the element type.</summary>
    public CType? Element { get; set; }
    /// <summary>For arrays: the number of elements.</summary>
    public long Length { get; init; }
    /// <summary>For records: the layout.</summary>
    public CRecord? Record { get; set; }
    /// <summary>For functions: the result type.</summary>
    public CType? Result { get; set; }
    /// <summary>The C spelling, for messages.</summary>
    public string Spelling { get; init; } = "";

    /// <summary>Whether values of this type are scalars (integers, bools, pointers).</summary>
    public bool IsScalar => Kind is CTypeKind.Bool or CTypeKind.Int or CTypeKind.Pointer;

    /// <summary>Whether this is a pointer to a record of the given name.</summary>
    public bool PointsTo(string record) => Kind == CTypeKind.Pointer && Element?.Record?.Name == record;

    /// <inheritdoc/>
    public override string ToString() => Spelling;
}

/// <summary>A struct or union: its name, size, fields, and whether it is CPU-private (<c>__mmfuzz_private</c>).</summary>
public sealed class CRecord
{
    /// <summary>The tag (<c>folio</c>), or a made-up name for an anonymous record.</summary>
    public string Name { get; init; } = "";
    /// <summary>Size in bytes.</summary>
    public int Size { get; init; }
    /// <summary>Whether it is a union.</summary>
    public bool IsUnion { get; init; }
    /// <summary>
    /// Whether objects of this type are the running CPU's own (a <c>folio_batch</c> or
    /// <c>shrink_control</c> on its stack): accessing them is not a scheduling point.
    /// </summary>
    public bool Private { get; init; }
    /// <summary>The fields, in declaration order.</summary>
    public List<CField> Fields { get; } = [];
}

/// <summary>A field: name, offset in bits, type, and bit width for a bitfield (0 otherwise).</summary>
public sealed record CField(string Name, long OffsetBits, CType Type, int BitWidth);

/// <summary>Builds <see cref="CType"/>s from libclang types, one per distinct canonical type.</summary>
public sealed class CTypes
{
    readonly Dictionary<string, CType> cache = new();
    readonly Dictionary<string, CRecord> records = new();

    /// <summary>The C type of <paramref name="t"/>.</summary>
    public CType Of(CXType t)
    {
        var canon = Native.clang_getCanonicalType(t);
        bool vol = Native.clang_isVolatileQualifiedType(canon) != 0;
        string spelling = Native.Take(Native.clang_getTypeSpelling(canon));
        string key = (vol ? "volatile " : "") + spelling;
        if (cache.TryGetValue(key, out var known))
            return known;
        var type = Build(canon, vol, spelling);
        cache[key] = type;
        // Elements are resolved after caching, so a struct that points to itself terminates.
        if (type.Kind == CTypeKind.Pointer)
            type.Element = Of(Native.clang_getPointeeType(canon));
        else if (type.Kind == CTypeKind.Array)
            type.Element = Of(Native.clang_getArrayElementType(canon));
        else if (type.Kind == CTypeKind.Function)
            type.Result = Of(Native.clang_getResultType(canon));
        else if (type.Kind == CTypeKind.Record)
            type.Record = RecordOf(canon, spelling);
        return type;
    }

    static CType Build(CXType canon, bool vol, string spelling)
    {
        int size = (int)Math.Max(0, Native.clang_Type_getSizeOf(canon));
        switch (canon.Kind)
        {
            case TypeKind.Void:
                return new CType { Kind = CTypeKind.Void, Spelling = spelling, Volatile = vol };
            case TypeKind.Bool:
                return new CType { Kind = CTypeKind.Bool, Size = 1, Spelling = spelling, Volatile = vol };
            case TypeKind.Char_U or TypeKind.UChar or TypeKind.UShort or TypeKind.UInt or TypeKind.ULong or TypeKind.ULongLong:
                return new CType { Kind = CTypeKind.Int, Size = size, Signed = false, Spelling = spelling, Volatile = vol };
            case TypeKind.Char_S or TypeKind.SChar or TypeKind.Short or TypeKind.Int or TypeKind.Long or TypeKind.LongLong:
                return new CType { Kind = CTypeKind.Int, Size = size, Signed = true, Spelling = spelling, Volatile = vol };
            case TypeKind.Enum:
                return new CType { Kind = CTypeKind.Int, Size = size == 0 ? 4 : size, Signed = true, Spelling = spelling, Volatile = vol };
            case TypeKind.Pointer:
                return new CType { Kind = CTypeKind.Pointer, Size = 8, Spelling = spelling, Volatile = vol };
            case TypeKind.Record:
                return new CType { Kind = CTypeKind.Record, Size = size, Spelling = spelling, Volatile = vol };
            case TypeKind.ConstantArray:
                return new CType { Kind = CTypeKind.Array, Size = size, Length = Native.clang_getArraySize(canon), Spelling = spelling, Volatile = vol };
            case TypeKind.FunctionProto or TypeKind.FunctionNoProto:
                return new CType { Kind = CTypeKind.Function, Spelling = spelling };
            default:
                return new CType { Kind = CTypeKind.Unsupported, Size = size, Spelling = spelling, Volatile = vol };
        }
    }

    CRecord RecordOf(CXType canon, string spelling)
    {
        var decl = Native.clang_getTypeDeclaration(canon);
        var definition = Native.clang_getCursorDefinition(decl);
        if (!Cursors.IsNull(definition))
            decl = definition;      // a struct declared before it is defined (struct mem_cgroup;)
        string key = Cursors.Usr(decl);
        if (key.Length == 0)
            key = spelling;
        if (records.TryGetValue(key, out var known))
            return known;
        var children = Cursors.Children(decl);
        var record = new CRecord
        {
            Name = Cursors.Spelling(decl) is { Length: > 0 } n && !n.Contains('(') ? n : spelling,
            Size = (int)Math.Max(0, Native.clang_Type_getSizeOf(canon)),
            IsUnion = decl.Kind == CursorKind.UnionDecl,
            Private = children.Any(c => c.Kind == CursorKind.AnnotateAttr && Cursors.Spelling(c) == "mmfuzz_private"),
        };
        records[key] = record;
        foreach (var field in children.Where(c => c.Kind == CursorKind.FieldDecl))
            record.Fields.Add(new CField(Cursors.Spelling(field), Native.clang_Cursor_getOffsetOfField(field),
                Of(Native.clang_getCursorType(field)),
                Native.clang_Cursor_isBitField(field) != 0 ? Native.clang_getFieldDeclBitWidth(field) : 0));
        return record;
    }
}
