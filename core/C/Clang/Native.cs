using System.Runtime.InteropServices;

namespace MmFuzz.C.Clang;

// A thin P/Invoke layer over libclang's stable C API (clang-c/Index.h, LLVM 23): only the calls the
// C front end makes. The native library comes from the NuGet package libclang.runtime.linux-x64, so
// nothing from apt is needed. Structs are passed by value exactly as the C API declares them.

#pragma warning disable CS1591 // the members mirror clang-c/Index.h one to one
#pragma warning disable CS0649 // fields are written by the native side

[StructLayout(LayoutKind.Sequential)]
public struct CXString
{
    public nint Data;
    public uint Flags;
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct CXCursor
{
    public CursorKind Kind;
    public int XData;
    public nint Data0, Data1, Data2;
}

[StructLayout(LayoutKind.Sequential)]
public struct CXType
{
    public TypeKind Kind;
    public nint Data0, Data1;
}

[StructLayout(LayoutKind.Sequential)]
public struct CXSourceLocation
{
    public nint Ptr0, Ptr1;
    public uint IntData;
}

[StructLayout(LayoutKind.Sequential)]
public struct CXSourceRange
{
    public nint Ptr0, Ptr1;
    public uint BeginIntData, EndIntData;
}

[StructLayout(LayoutKind.Sequential)]
public struct CXToken
{
    public uint Int0, Int1, Int2, Int3;
    public nint Ptr;
}

[StructLayout(LayoutKind.Sequential)]
public struct CXUnsavedFile
{
    public nint Filename;
    public nint Contents;
    public nuint Length;
}

/// <summary>The subset of <c>enum CXCursorKind</c> the front end names.</summary>
public enum CursorKind
{
    UnexposedDecl = 1, StructDecl = 2, UnionDecl = 3, EnumDecl = 5, FieldDecl = 6, EnumConstantDecl = 7,
    FunctionDecl = 8, VarDecl = 9, ParmDecl = 10, TypedefDecl = 20,
    TypeRef = 43, MemberRef = 47, LabelRef = 48,
    UnexposedExpr = 100, DeclRefExpr = 101, MemberRefExpr = 102, CallExpr = 103, IntegerLiteral = 106,
    FloatingLiteral = 107, StringLiteral = 109, CharacterLiteral = 110, ParenExpr = 111, UnaryOperator = 112,
    ArraySubscriptExpr = 113, BinaryOperator = 114, CompoundAssignOperator = 115, ConditionalOperator = 116,
    CStyleCastExpr = 117, CompoundLiteralExpr = 118, InitListExpr = 119, AddrLabelExpr = 120, StmtExpr = 121,
    GenericSelectionExpr = 122, UnaryExpr = 136,
    UnexposedStmt = 200, LabelStmt = 201, CompoundStmt = 202, CaseStmt = 203, DefaultStmt = 204, IfStmt = 205,
    SwitchStmt = 206, WhileStmt = 207, DoStmt = 208, ForStmt = 209, GotoStmt = 210, IndirectGotoStmt = 211,
    ContinueStmt = 212, BreakStmt = 213, ReturnStmt = 214, AsmStmt = 215, NullStmt = 230, DeclStmt = 231,
    TranslationUnit = 350,
    UnexposedAttr = 400, AnnotateAttr = 406, AsmLabelAttr = 407, PackedAttr = 408, PureAttr = 409, ConstAttr = 410,
    MacroDefinition = 501, MacroExpansion = 502, InclusionDirective = 503,
    StaticAssert = 602,
}

/// <summary>The subset of <c>enum CXTypeKind</c> the front end names.</summary>
public enum TypeKind
{
    Invalid = 0, Unexposed = 1, Void = 2, Bool = 3, Char_U = 4, UChar = 5, UShort = 8, UInt = 9, ULong = 10,
    ULongLong = 11, UInt128 = 12, Char_S = 13, SChar = 14, Short = 16, Int = 17, Long = 18, LongLong = 19, Int128 = 20,
    Float = 21, Double = 22,
    Pointer = 101, Record = 105, Enum = 106, Typedef = 107, FunctionNoProto = 110, FunctionProto = 111,
    ConstantArray = 112, IncompleteArray = 114, Elaborated = 119, Attributed = 163, Atomic = 177,
}

/// <summary><c>enum CXBinaryOperatorKind</c> (LLVM 17 and later).</summary>
public enum BinaryOp
{
    Invalid, PtrMemD, PtrMemI, Mul, Div, Rem, Add, Sub, Shl, Shr, Cmp, LT, GT, LE, GE, EQ, NE, And, Xor, Or, LAnd, LOr,
    Assign, MulAssign, DivAssign, RemAssign, AddAssign, SubAssign, ShlAssign, ShrAssign, AndAssign, XorAssign, OrAssign, Comma,
}

/// <summary><c>enum CXUnaryOperatorKind</c> (LLVM 17 and later).</summary>
public enum UnaryOp
{
    Invalid, PostInc, PostDec, PreInc, PreDec, AddrOf, Deref, Plus, Minus, Not, LNot, Real, Imag, Extension, Coawait,
}

/// <summary>The libclang entry points.</summary>
public static unsafe partial class Native
{
    const string Lib = "libclang";

    [DllImport(Lib)] public static extern nint clang_createIndex(int excludeDeclarationsFromPCH, int displayDiagnostics);
    [DllImport(Lib)] public static extern void clang_disposeIndex(nint index);
    [DllImport(Lib)] public static extern int clang_parseTranslationUnit2(nint index, byte* sourceFilename, byte** args, int numArgs,
        CXUnsavedFile* unsaved, uint numUnsaved, uint options, nint* tu);
    [DllImport(Lib)] public static extern void clang_disposeTranslationUnit(nint tu);
    [DllImport(Lib)] public static extern CXCursor clang_getTranslationUnitCursor(nint tu);

    [DllImport(Lib)] public static extern nint clang_getCString(CXString s);
    [DllImport(Lib)] public static extern void clang_disposeString(CXString s);
    [DllImport(Lib)] public static extern CXString clang_getClangVersion();

    [DllImport(Lib)] public static extern uint clang_getNumDiagnostics(nint tu);
    [DllImport(Lib)] public static extern nint clang_getDiagnostic(nint tu, uint index);
    [DllImport(Lib)] public static extern int clang_getDiagnosticSeverity(nint diag);
    [DllImport(Lib)] public static extern CXSourceLocation clang_getDiagnosticLocation(nint diag);
    [DllImport(Lib)] public static extern CXString clang_getDiagnosticSpelling(nint diag);
    [DllImport(Lib)] public static extern void clang_disposeDiagnostic(nint diag);

    [DllImport(Lib)] public static extern uint clang_visitChildren(CXCursor parent, delegate* unmanaged<CXCursor, CXCursor, nint, int> visitor, nint clientData);
    [DllImport(Lib)] public static extern CXString clang_getCursorSpelling(CXCursor c);
    [DllImport(Lib)] public static extern CXType clang_getCursorType(CXCursor c);
    [DllImport(Lib)] public static extern CXType clang_getCursorResultType(CXCursor c);
    [DllImport(Lib)] public static extern CXCursor clang_getCursorReferenced(CXCursor c);
    [DllImport(Lib)] public static extern CXCursor clang_getCursorDefinition(CXCursor c);
    [DllImport(Lib)] public static extern CXCursor clang_getCanonicalCursor(CXCursor c);
    [DllImport(Lib)] public static extern uint clang_isCursorDefinition(CXCursor c);
    [DllImport(Lib)] public static extern uint clang_equalCursors(CXCursor a, CXCursor b);
    [DllImport(Lib)] public static extern uint clang_hashCursor(CXCursor c);
    [DllImport(Lib)] public static extern int clang_Cursor_isNull(CXCursor c);
    [DllImport(Lib)] public static extern CXSourceLocation clang_getCursorLocation(CXCursor c);
    [DllImport(Lib)] public static extern CXSourceRange clang_getCursorExtent(CXCursor c);
    [DllImport(Lib)] public static extern BinaryOp clang_getCursorBinaryOperatorKind(CXCursor c);
    [DllImport(Lib)] public static extern UnaryOp clang_getCursorUnaryOperatorKind(CXCursor c);
    [DllImport(Lib)] public static extern int clang_Cursor_getNumArguments(CXCursor c);
    [DllImport(Lib)] public static extern CXCursor clang_Cursor_getArgument(CXCursor c, uint i);
    [DllImport(Lib)] public static extern long clang_Cursor_getOffsetOfField(CXCursor c);
    [DllImport(Lib)] public static extern uint clang_Cursor_isBitField(CXCursor c);
    [DllImport(Lib)] public static extern int clang_getFieldDeclBitWidth(CXCursor c);
    [DllImport(Lib)] public static extern long clang_getEnumConstantDeclValue(CXCursor c);
    [DllImport(Lib)] public static extern int clang_Cursor_getStorageClass(CXCursor c);
    [DllImport(Lib)] public static extern uint clang_Cursor_isMacroFunctionLike(CXCursor c);
    [DllImport(Lib)] public static extern nint clang_Cursor_Evaluate(CXCursor c);
    [DllImport(Lib)] public static extern int clang_EvalResult_getKind(nint e);
    [DllImport(Lib)] public static extern uint clang_EvalResult_isUnsignedInt(nint e);
    [DllImport(Lib)] public static extern ulong clang_EvalResult_getAsUnsigned(nint e);
    [DllImport(Lib)] public static extern long clang_EvalResult_getAsLongLong(nint e);
    [DllImport(Lib)] public static extern void clang_EvalResult_dispose(nint e);

    [DllImport(Lib)] public static extern CXType clang_getCanonicalType(CXType t);
    [DllImport(Lib)] public static extern CXString clang_getTypeSpelling(CXType t);
    [DllImport(Lib)] public static extern CXType clang_getPointeeType(CXType t);
    [DllImport(Lib)] public static extern CXType clang_getArrayElementType(CXType t);
    [DllImport(Lib)] public static extern long clang_getArraySize(CXType t);
    [DllImport(Lib)] public static extern long clang_Type_getSizeOf(CXType t);
    [DllImport(Lib)] public static extern long clang_Type_getAlignOf(CXType t);
    [DllImport(Lib)] public static extern CXCursor clang_getTypeDeclaration(CXType t);
    [DllImport(Lib)] public static extern uint clang_isVolatileQualifiedType(CXType t);
    [DllImport(Lib)] public static extern uint clang_isConstQualifiedType(CXType t);
    [DllImport(Lib)] public static extern CXType clang_getResultType(CXType t);
    [DllImport(Lib)] public static extern int clang_getNumArgTypes(CXType t);
    [DllImport(Lib)] public static extern CXType clang_getArgType(CXType t, uint i);
    [DllImport(Lib)] public static extern uint clang_isFunctionTypeVariadic(CXType t);

    [DllImport(Lib)] public static extern CXSourceLocation clang_getRangeStart(CXSourceRange r);
    [DllImport(Lib)] public static extern CXSourceLocation clang_getRangeEnd(CXSourceRange r);
    [DllImport(Lib)] public static extern void clang_getExpansionLocation(CXSourceLocation l, nint* file, uint* line, uint* column, uint* offset);
    [DllImport(Lib)] public static extern void clang_getSpellingLocation(CXSourceLocation l, nint* file, uint* line, uint* column, uint* offset);
    [DllImport(Lib)] public static extern CXString clang_getFileName(nint file);
    [DllImport(Lib)] public static extern int clang_Location_isFromMainFile(CXSourceLocation l);

    [DllImport(Lib)] public static extern void clang_tokenize(nint tu, CXSourceRange range, CXToken** tokens, uint* numTokens);
    [DllImport(Lib)] public static extern void clang_disposeTokens(nint tu, CXToken* tokens, uint numTokens);
    [DllImport(Lib)] public static extern CXString clang_getTokenSpelling(nint tu, CXToken token);
    [DllImport(Lib)] public static extern CXSourceLocation clang_getTokenLocation(nint tu, CXToken token);
    [DllImport(Lib)] public static extern int clang_getTokenKind(CXToken token);

    /// <summary>Takes a libclang string: copies it and disposes the native one.</summary>
    public static string Take(CXString s)
    {
        try
        {
            var p = clang_getCString(s);
            return p == 0 ? "" : Marshal.PtrToStringUTF8(p) ?? "";
        }
        finally
        {
            clang_disposeString(s);
        }
    }
}

public static unsafe partial class Native
{
    [DllImport(Lib)] public static extern CXString clang_getCursorUSR(CXCursor c);
    [DllImport(Lib)] public static extern CXCursor clang_Cursor_getVarDeclInitializer(CXCursor c);
    [DllImport(Lib)] public static extern CXCursor clang_getCursorSemanticParent(CXCursor c);
    [DllImport(Lib)] public static extern CXCursor clang_getNullCursor();
    [DllImport(Lib)] public static extern int clang_Cursor_hasAttrs(CXCursor c);
    [DllImport(Lib)] public static extern long clang_Type_getOffsetOf(CXType t, byte* field);
}
