using System.Globalization;
using MmFuzz.C.Ast;
using MmFuzz.C.Clang;
using MmFuzz.Engine;

namespace MmFuzz.C.Translate;

// Expressions: every value is C# code of a known C# type; every access to memory is a LoadAt/StoreAt
// of the kernel class (a scheduling point) or a PeekAt/PokeAt of the CPU's private frame.
public sealed partial class FunctionWriter
{
    static readonly CType IntType = new() { Kind = CTypeKind.Int, Size = 4, Signed = true, Spelling = "int" };
    static readonly CType LongType = new() { Kind = CTypeKind.Int, Size = 8, Signed = true, Spelling = "long" };

    /// <summary>An expression evaluated for its effect.</summary>
    void ExpressionStatement(CNode e)
    {
        e = Strip(e);
        switch (e.Kind)
        {
            case CursorKind.BinaryOperator when e.BinaryOp == BinaryOp.Comma:
                ExpressionStatement(e.Children[0]);
                ExpressionStatement(e.Children[1]);
                return;
            case CursorKind.BinaryOperator when e.BinaryOp == BinaryOp.Assign:
                w.Line(StoreTo(Lv(e.Children[0]), Rv(e.Children[1])) + ";");
                return;
            case CursorKind.CompoundAssignOperator:
                w.Line(CompoundAssign(e, asValue: false) + ";");
                return;
            case CursorKind.UnaryOperator when e.UnaryOp is UnaryOp.PostInc or UnaryOp.PostDec or UnaryOp.PreInc or UnaryOp.PreDec:
                w.Line(Increment(e, asValue: false) + ";");
                return;
            case CursorKind.CStyleCastExpr when e.Type.Kind == CTypeKind.Void:
                ExpressionStatement(e.Children[^1]);
                return;
            case CursorKind.UnexposedExpr when e.Children.Count == 1 && e.Type.Kind == CTypeKind.Void:
                ExpressionStatement(e.Children[0]);
                return;
            case CursorKind.CallExpr:
            {
                var call = Call(e);
                w.Line(call.Cs == CsType.Void ? call.Code + ";" : $"_ = {call.Code};");
                return;
            }
            case CursorKind.ConditionalOperator:
                w.Line($"if ({Rv(e.Children[0]).AsCondition})");
                w.Open();
                ExpressionStatement(e.Children[1]);
                w.Close();
                w.Line("else");
                w.Open();
                ExpressionStatement(e.Children[2]);
                w.Close();
                return;
            case CursorKind.StmtExpr:
                Statement(e.Children[0]);
                return;
        }
        var v = Rv(e);
        if (v.Code.Contains("await", StringComparison.Ordinal))
            w.Line($"_ = {v.Code};");
    }

    /// <summary>The value of an expression.</summary>
    TExpr Rv(CNode e)
    {
        e = Strip(e);
        here = e.Pos;
        if (e.Value is { } constant && e.Kind is CursorKind.IntegerLiteral or CursorKind.CharacterLiteral or CursorKind.UnaryExpr or CursorKind.UnexposedExpr
            || e.Kind == CursorKind.DeclRefExpr && e.Ref?.Kind == CursorKind.EnumConstantDecl && e.Value is not null)
            return Literal(e.Value!.Value, e.Type);
        switch (e.Kind)
        {
            case CursorKind.UnexposedExpr or CursorKind.CStyleCastExpr:
                return Cast(e);
            case CursorKind.DeclRefExpr:
                if (e.Ref?.Kind == CursorKind.FunctionDecl)
                    throw Unsupported(e, $"a pointer to the function {e.Spelling}()");
                return Load(Lv(e));
            case CursorKind.MemberRefExpr or CursorKind.ArraySubscriptExpr:
                return Load(Lv(e));
            case CursorKind.UnaryOperator:
                return Unary(e);
            case CursorKind.BinaryOperator:
                return Binary(e);
            case CursorKind.CompoundAssignOperator:
                return new TExpr(CompoundAssign(e, asValue: true), CsTypes.Of(e.Type), e.Type);
            case CursorKind.ConditionalOperator:
            {
                var t = CsTypes.Of(e.Type);
                return new TExpr($"({Rv(e.Children[0]).AsCondition} ? {Rv(e.Children[1]).As(t)} : {Rv(e.Children[2]).As(t)})", t, e.Type);
            }
            case CursorKind.CallExpr:
                return Call(e);
            case CursorKind.StringLiteral:
                throw Unsupported(e, "a string literal outside a BUG or WARN");
            case CursorKind.StmtExpr:
                throw Unsupported(e, "a statement expression ({ ... }) used as a value");
            case CursorKind.InitListExpr:
                throw Unsupported(e, "an initializer list outside a declaration");
            default:
                throw Unsupported(e, $"an expression of kind {e.Kind}");
        }
    }

    TExpr Literal(long v, CType type)
    {
        var t = CsTypes.Of(type);
        string code = t switch
        {
            CsType.Bool => v != 0 ? "true" : "false",
            CsType.I32 => v < 0 ? $"({(int)v})" : ((int)v).ToString(CultureInfo.InvariantCulture),
            CsType.U32 => $"{(uint)v}U",
            CsType.I64 => v < 0 ? $"({v}L)" : $"{v}L",
            CsType.U64 => $"{(ulong)v}UL",
            CsType.Ptr => $"((nint){v}L)",
            _ => $"unchecked(({CsTypes.Name(t)})({v}L))",
        };
        return new TExpr(code, t, type);
    }

    /// <summary>An implicit or explicit conversion, including the loads clang leaves implicit.</summary>
    TExpr Cast(CNode e)
    {
        if (e.Children.Count == 0)
        {
            if (e.Value is { } v)
                return Literal(v, e.Type);
            throw Unsupported(e, "an expression the C front end cannot see into (an unexposed expression)");
        }
        var inner = e.Children[^1];
        var stripped = Strip(inner);
        // __builtin_offsetof and other constants clang folds.
        if (e.Kind == CursorKind.UnexposedExpr && e.Value is { } c)
            return Literal(c, e.Type);
        if (stripped.Type.Kind == CTypeKind.Array && e.Type.Kind == CTypeKind.Pointer)
            return new TExpr(AddressOf(Lv(stripped)), CsType.Ptr, e.Type);     // array decays to a pointer
        if (stripped.Type.Kind == CTypeKind.Function)
            throw Unsupported(e, $"a pointer to a function ({stripped.Spelling})");
        var value = Rv(inner);
        if (e.Type.Kind == CTypeKind.Void)
            return value with { Cs = CsType.Void };
        if (!e.Type.IsScalar)
        {
            if (e.Type.Kind == CTypeKind.Record && stripped.Type.Kind == CTypeKind.Record)
                return value;       // a no-op cast of a struct value (used only by member access)
            throw Unsupported(e, $"a conversion to {e.Type.Spelling}");
        }
        var to = CsTypes.Of(e.Type);
        return new TExpr(value.As(to), to, e.Type);
    }

    TExpr Unary(CNode e)
    {
        var operand = e.Children[0];
        switch (e.UnaryOp)
        {
            case UnaryOp.AddrOf:
            {
                var target = Strip(operand);
                if (target.Kind == CursorKind.DeclRefExpr && target.Ref?.Kind == CursorKind.FunctionDecl)
                    throw Unsupported(e, $"a pointer to the function {target.Spelling}()");
                return new TExpr(AddressOf(Lv(operand)), CsType.Ptr, e.Type);
            }
            case UnaryOp.Deref:
                return Load(Lv(e));
            case UnaryOp.Plus:
                return Rv(operand);
            case UnaryOp.Minus:
            {
                var t = CsTypes.Of(e.Type);
                return new TExpr($"unchecked(({CsTypes.Name(t)})(-{Rv(operand).As(t)}))", t, e.Type);
            }
            case UnaryOp.Not:
            {
                var t = CsTypes.Of(e.Type);
                return new TExpr($"unchecked(({CsTypes.Name(t)})(~{Rv(operand).As(t)}))", t, e.Type);
            }
            case UnaryOp.LNot:
                return new TExpr($"(!{Rv(operand).AsCondition})", CsType.Bool, e.Type);
            case UnaryOp.PreInc or UnaryOp.PreDec or UnaryOp.PostInc or UnaryOp.PostDec:
                return new TExpr(Increment(e, asValue: true), CsTypes.Of(e.Type), e.Type);
            case UnaryOp.Extension:
                return Rv(operand);
            default:
                throw Unsupported(e, $"the unary operator {e.UnaryOp}");
        }
    }

    TExpr Binary(CNode e)
    {
        var op = e.BinaryOp;
        CNode a = e.Children[0], b = e.Children[1];
        switch (op)
        {
            case BinaryOp.Assign:
            {
                var lv = Lv(a);
                var value = Rv(b);
                CheckNotGlobal(lv);
                if (lv is LocalLValue local)
                    return new TExpr($"({local.Name} = {value.As(CsTypes.Of(local.Type))})", CsTypes.Of(local.Type), local.Type);
                var mem = (MemLValue)lv;
                CheckScalarMemory(mem, e);
                var t = CsTypes.Of(mem.Type);
                if (mem.Private)
                    return new TExpr($"{AssignPrivate(mem, value)}", t, mem.Type);
                return new TExpr($"(await AssignAt<{MemName(t)}>({mem.Addr}, {value.As(t)}, Marking.{Store(mem.Marking)}))", t, mem.Type);
            }
            case BinaryOp.LAnd:
                return new TExpr($"({Rv(a).AsCondition} && {Rv(b).AsCondition})", CsType.Bool, e.Type);
            case BinaryOp.LOr:
                return new TExpr($"({Rv(a).AsCondition} || {Rv(b).AsCondition})", CsType.Bool, e.Type);
            case BinaryOp.Comma:
                throw Unsupported(e, "the comma operator used as a value");
            case BinaryOp.EQ or BinaryOp.NE or BinaryOp.LT or BinaryOp.GT or BinaryOp.LE or BinaryOp.GE:
            {
                TExpr x = Rv(a), y = Rv(b);
                var common = x.Cs == CsType.Bool && y.Cs == CsType.Bool ? CsType.Bool : Wider(x.Cs, y.Cs);
                string sym = op switch { BinaryOp.EQ => "==", BinaryOp.NE => "!=", BinaryOp.LT => "<", BinaryOp.GT => ">", BinaryOp.LE => "<=", _ => ">=" };
                return new TExpr($"({x.As(common)} {sym} {y.As(common)})", CsType.Bool, e.Type);
            }
        }
        var ta = Rv(a);
        var tb = Rv(b);
        var result = CsTypes.Of(e.Type);
        // Pointer arithmetic: scale by the pointee's size.
        if (op is BinaryOp.Add or BinaryOp.Sub && (ta.C.Kind == CTypeKind.Pointer || tb.C.Kind == CTypeKind.Pointer))
        {
            if (ta.C.Kind == CTypeKind.Pointer && tb.C.Kind == CTypeKind.Pointer)
            {
                int size = Math.Max(1, ta.C.Element!.Size);
                return new TExpr($"unchecked((long)(({ta.Code} - {tb.Code}) / {size}))", CsType.I64, e.Type);
            }
            var (ptr, idx) = ta.C.Kind == CTypeKind.Pointer ? (ta, tb) : (tb, ta);
            int scale = Math.Max(1, ptr.C.Element!.Kind == CTypeKind.Void ? 1 : ptr.C.Element.Size);
            string sign = op == BinaryOp.Sub ? "-" : "+";
            return new TExpr($"unchecked({ptr.Code} {sign} (nint)({idx.As(CsType.I64)} * {scale}L))", CsType.Ptr, e.Type);
        }
        string symbol = op switch
        {
            BinaryOp.Mul => "*", BinaryOp.Div => "/", BinaryOp.Rem => "%", BinaryOp.Add => "+", BinaryOp.Sub => "-",
            BinaryOp.And => "&", BinaryOp.Xor => "^", BinaryOp.Or => "|", BinaryOp.Shl => "<<", BinaryOp.Shr => ">>",
            _ => throw Unsupported(e, $"the operator {op}"),
        };
        if (op is BinaryOp.Shl or BinaryOp.Shr)
            return new TExpr($"unchecked(({CsTypes.Name(result)})({ta.As(result)} {symbol} (int)({tb.As(CsType.I64)})))", result, e.Type);
        return new TExpr($"unchecked(({CsTypes.Name(result)})({ta.As(result)} {symbol} {tb.As(result)}))", result, e.Type);
    }

    static CsType Wider(CsType a, CsType b)
    {
        if (a == CsType.Ptr || b == CsType.Ptr)
            return CsType.Ptr;
        if (a == CsType.Bool) return b;
        if (b == CsType.Bool) return a;
        int sa = CsTypes.Size(a), sb = CsTypes.Size(b);
        if (sa != sb)
            return sa > sb ? a : b;
        return a is CsType.U8 or CsType.U16 or CsType.U32 or CsType.U64 ? a : b;
    }
}
