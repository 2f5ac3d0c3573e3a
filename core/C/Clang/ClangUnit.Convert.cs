using MmFuzz.C.Ast;

namespace MmFuzz.C.Clang;

public sealed unsafe partial class ClangUnit
{
    static readonly CType VoidType = new() { Kind = CTypeKind.Void, Spelling = "void" };

    const int MaxDepth = 400;
    int depth;

    /// <summary>The syntax tree of <paramref name="cursor"/> (a function definition, a global's initializer).</summary>
    public CNode Convert(CXCursor cursor)
    {
        if (++depth > MaxDepth)
        {
            depth = 0;
            throw new CError(Display(Cursors.Pos(cursor)), $"code nested more than {MaxDepth} levels deep, which the C front end does not read");
        }
        try
        {
            return ConvertNode(cursor);
        }
        finally
        {
            if (depth > 0)
                depth--;
        }
    }

    CNode ConvertNode(CXCursor cursor)
    {
        var kind = cursor.Kind;
        var cxType = Native.clang_getCursorType(cursor);
        var type = cxType.Kind == TypeKind.Invalid ? VoidType : Types.Of(cxType);
        var pos = Display(Cursors.Pos(cursor));
        CDecl? reference = null;
        long offsetBits = 0;
        int bitWidth = 0;
        long? value = null;
        string? text = null;
        string spelling = Cursors.Spelling(cursor);
        BinaryOp bop = default;
        UnaryOp uop = default;

        switch (kind)
        {
            case CursorKind.BinaryOperator or CursorKind.CompoundAssignOperator:
                bop = Native.clang_getCursorBinaryOperatorKind(cursor);
                break;
            case CursorKind.UnaryOperator:
                uop = Native.clang_getCursorUnaryOperatorKind(cursor);
                break;
            case CursorKind.DeclRefExpr or CursorKind.MemberRefExpr or CursorKind.LabelRef or CursorKind.GotoStmt:
            {
                var target = Native.clang_getCursorReferenced(cursor);
                if (!Cursors.IsNull(target))
                {
                    reference = DeclOf(target);
                    if (target.Kind == CursorKind.FieldDecl)
                    {
                        offsetBits = Native.clang_Cursor_getOffsetOfField(target);
                        bitWidth = Native.clang_Cursor_isBitField(target) != 0 ? Native.clang_getFieldDeclBitWidth(target) : 0;
                    }
                    else if (target.Kind == CursorKind.EnumConstantDecl)
                        value = Native.clang_getEnumConstantDeclValue(target);
                }
                break;
            }
            case CursorKind.IntegerLiteral or CursorKind.CharacterLiteral or CursorKind.UnaryExpr:
                value = Evaluate(cursor);
                break;
            case CursorKind.StringLiteral:
                text = Unquote(spelling);
                break;
        }

        var node = new CNode
        {
            Kind = kind, Spelling = spelling, Type = type, Pos = pos, Ref = reference, FieldOffsetBits = offsetBits,
            BitWidth = bitWidth, Value = value, Text = text, BinaryOp = bop, UnaryOp = uop,
        };
        var children = Cursors.Children(cursor);
        // __builtin_offsetof(type, member) is unexposed, with the member named by a MemberRef: a constant.
        if (kind == CursorKind.UnexposedExpr && type.Kind is CTypeKind.Int && children.Any(c => c.Kind == CursorKind.MemberRef)
            && Evaluate(cursor) is { } offset)
            return WithValue(node, offset);
        foreach (var child in children)
            if (IsCode(child.Kind))
                node.Children.Add(Convert(child));
        if (kind == CursorKind.UnexposedExpr && node.Children.Count == 0 && type.Kind is CTypeKind.Int or CTypeKind.Bool)
            node = WithValue(node, Evaluate(cursor));
        if (kind == CursorKind.CallExpr)
        {
            int n = Native.clang_Cursor_getNumArguments(cursor);
            for (int i = 0; i < n; i++)
                node.Args.Add(Convert(Native.clang_Cursor_getArgument(cursor, (uint)i)));
        }
        else if (kind == CursorKind.VarDecl)
        {
            var init = Native.clang_Cursor_getVarDeclInitializer(cursor);
            node.Init = Cursors.IsNull(init) ? null : Convert(init);
        }
        else if (kind == CursorKind.ForStmt)
            AssignForClauses(cursor, node);
        return node;
    }

    static bool IsCode(CursorKind k) => (int)k is >= 100 and < 300 || k is CursorKind.VarDecl or CursorKind.ParmDecl or CursorKind.LabelRef;

    static CNode WithValue(CNode n, long? v) => v is null ? n : new CNode
    {
        Kind = n.Kind, Spelling = n.Spelling, Type = n.Type, Pos = n.Pos, Value = v,
    };

    CDecl DeclOf(CXCursor target)
    {
        var parent = Native.clang_getCursorSemanticParent(target);
        bool local = target.Kind is CursorKind.VarDecl or CursorKind.ParmDecl && parent.Kind == CursorKind.FunctionDecl;
        return new CDecl(target.Kind, Cursors.Spelling(target), Cursors.Usr(target), Display(Cursors.Pos(target)), local);
    }

    static long? Evaluate(CXCursor cursor)
    {
        var e = Native.clang_Cursor_Evaluate(cursor);
        if (e == 0)
            return null;
        try
        {
            if (Native.clang_EvalResult_getKind(e) != 1)    // CXEval_Int
                return null;
            return Native.clang_EvalResult_isUnsignedInt(e) != 0 ? (long)Native.clang_EvalResult_getAsUnsigned(e) : Native.clang_EvalResult_getAsLongLong(e);
        }
        finally
        {
            Native.clang_EvalResult_dispose(e);
        }
    }

    static string Unquote(string literal)
    {
        int a = literal.IndexOf('"'), b = literal.LastIndexOf('"');
        return a >= 0 && b > a ? literal[(a + 1)..b].Replace("\\\"", "\"").Replace("\\\\", "\\") : literal;
    }

    /// <summary>
    /// libclang gives a <c>for</c>'s clauses as children without saying which one is missing. With all
    /// four present they are in order; otherwise the semicolons of the <c>for (...)</c> header, read
    /// from the file's tokens, tell which clause each child is. A <c>for</c> made by a macro with a
    /// missing clause is refused (no file text to read).
    /// </summary>
    void AssignForClauses(CXCursor cursor, CNode node)
    {
        var parts = node.Children;
        if (parts.Count == 0)
            throw new CError(node.Pos, "a for statement without a body");
        node.ForBody = parts[^1];
        if (parts.Count == 4)
        {
            (node.ForInit, node.ForCond, node.ForInc) = (parts[0], parts[1], parts[2]);
            return;
        }
        if (parts.Count == 1)
            return;
        var loc = Native.clang_getCursorLocation(cursor);
        var exp = Cursors.Expansion(loc);
        var spell = Cursors.Spelling(loc);
        if (exp.File != spell.File || exp.Offset != spell.Offset || !texts.TryGetValue(exp.File, out var source))
            throw new CError(node.Pos, "a for loop made by a macro with an empty clause is not supported");
        var (semi1, semi2) = ForSemicolons(source, exp.Offset);
        var exprs = Cursors.Children(cursor).Where(c => IsCode(c.Kind)).ToList();
        for (int i = 0; i < exprs.Count - 1; i++)
        {
            int off = Cursors.Expansion(Native.clang_getCursorLocation(exprs[i])).Offset;
            if (off < semi1) node.ForInit = parts[i];
            else if (off < semi2) node.ForCond = parts[i];
            else node.ForInc = parts[i];
        }
    }

    static (int, int) ForSemicolons(string text, int forOffset)
    {
        // Offsets are bytes in libclang; the inputs are ASCII in practice, and the scan only needs the header's own bytes.
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        int i = forOffset, depth = 0, semi1 = -1;
        for (; i < bytes.Length; i++)
        {
            char ch = (char)bytes[i];
            if (ch == '(') depth++;
            else if (ch == ')') { if (--depth == 0) break; }
            else if (ch == ';' && depth == 1)
            {
                if (semi1 < 0) semi1 = i;
                else return (semi1, i);
            }
        }
        return (semi1 < 0 ? int.MaxValue : semi1, int.MaxValue);
    }
}
