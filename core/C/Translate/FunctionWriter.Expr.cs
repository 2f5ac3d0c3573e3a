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

    // ---- lvalues -----------------------------------------------------------------------------

    /// <summary>Where an lvalue expression lives.</summary>
    LValue Lv(CNode e)
    {
        e = Strip(e);
        here = e.Pos;
        if (IsOnceAccess(e, out var once))
        {
            var inner = Lv(once);
            if (inner is MemLValue mem)
                return mem with { Marking = Marking.ReadOnce, Type = e.Type };
            return inner;       // READ_ONCE of a C# local: an ordinary read
        }
        switch (e.Kind)
        {
            case CursorKind.DeclRefExpr:
            {
                var r = e.Ref ?? throw Unsupported(e, $"the name {e.Spelling}");
                if (r.Kind is CursorKind.VarDecl or CursorKind.ParmDecl && r.IsLocal)
                {
                    if (!locals.TryGetValue(DeclKey(r), out var local))
                        throw Unsupported(e, $"the local {e.Spelling} before its declaration");
                    if (!local.InArena)
                        return new LocalLValue(local.CsName, local.Type);
                    return new MemLValue(local.CsName, e.Type, Marking.Plain, local.Private);
                }
                if (r.Kind == CursorKind.VarDecl)
                    return program.Global(func, e);
                throw Unsupported(e, $"the name {e.Spelling}");
            }
            case CursorKind.MemberRefExpr:
            {
                var baseNode = e.Children.Count > 0 ? e.Children[0] : throw Unsupported(e, "a member access without a base");
                var baseType = Strip(baseNode).Type;
                string addr;
                bool priv;
                Marking marking = Marking.Plain;
                if (baseType.Kind == CTypeKind.Pointer)
                {
                    var p = Rv(baseNode);
                    addr = p.Code;
                    priv = baseType.Element?.Record?.Private ?? false;
                }
                else
                {
                    var b = Lv(baseNode) as MemLValue ?? throw Unsupported(e, "a member of a struct held in a C# local");
                    addr = b.Addr;
                    priv = b.Private || (baseType.Record?.Private ?? false);
                    marking = b.Marking;
                }
                long bits = e.FieldOffsetBits;
                string at = bits / 8 == 0 ? addr : $"({addr} + {bits / 8})";
                if (e.BitWidth > 0)
                    return new MemLValue($"({addr} + {(bits / 64) * 8})", e.Type, marking, priv, (int)(bits % 64), e.BitWidth);
                return new MemLValue(at, e.Type, e.Type.Volatile ? Marking.ReadOnce : marking, priv);
            }
            case CursorKind.ArraySubscriptExpr:
            {
                TExpr x = Rv(e.Children[0]), y = Rv(e.Children[1]);
                var (ptr, idx) = x.C.Kind == CTypeKind.Pointer ? (x, y) : (y, x);
                bool priv = PrivateOrigin(Strip(e.Children[0]));
                return new MemLValue($"unchecked({ptr.Code} + (nint)({idx.As(CsType.I64)} * {Math.Max(1, e.Type.Size)}L))", e.Type, Marking.Plain, priv);
            }
            case CursorKind.UnaryOperator when e.UnaryOp == UnaryOp.Deref:
            {
                var p = Rv(e.Children[0]);
                return new MemLValue(p.Code, e.Type, e.Type.Volatile ? Marking.ReadOnce : Marking.Plain, false);
            }
            case CursorKind.UnexposedExpr when e.Children.Count == 1:
                return Lv(e.Children[0]);
            default:
                throw Unsupported(e, $"an assignment to or address of a {e.Kind}");
        }
    }

    /// <summary>Whether an array lvalue or pointer expression points into the CPU's own memory (a folio_batch's folios[]).</summary>
    bool PrivateOrigin(CNode baseExpr)
    {
        var s = baseExpr;
        while (s.Kind is CursorKind.UnexposedExpr or CursorKind.ParenExpr && s.Children.Count == 1)
            s = s.Children[0];
        if (s.Kind == CursorKind.MemberRefExpr && s.Type.Kind == CTypeKind.Array)
            return Lv(s) is MemLValue { Private: true };
        return false;
    }

    string AddressOf(LValue lv) => lv switch
    {
        MemLValue { BitWidth: > 0 } => throw new CError(here, $"{func.Name}() takes the address of a bitfield"),
        MemLValue m => m.Addr,
        LocalLValue l => throw new CError(here, $"{func.Name}(): internal error: the address of {l.Name} was not planned"),
        _ => throw new InvalidOperationException(),
    };

    /// <summary>The C# type a memory word of <paramref name="t"/> is loaded as.</summary>
    static string MemName(CsType t) => CsTypes.Name(t);

    static string Load(Marking m) => m == Marking.WriteOnce ? nameof(Marking.ReadOnce) : m.ToString();

    static string Store(Marking m) => m == Marking.ReadOnce ? nameof(Marking.WriteOnce) : m.ToString();

    void CheckScalarMemory(MemLValue mem, CNode at)
    {
        if (!mem.Type.IsScalar)
            throw Unsupported(at, $"a copy of a whole {mem.Type.Spelling}");
        if (!mem.Private && mem.BitWidth == 0 && mem.Type.Size is not (4 or 8))
            throw Unsupported(at, $"a {mem.Type.Size}-byte access to shared memory ({mem.Type.Spelling}); the engine's shared accesses are 4 or 8 bytes");
    }

    TExpr Load(LValue lv)
    {
        if (lv is LocalLValue local)
            return new TExpr(local.Name, CsTypes.Of(local.Type), local.Type);
        var mem = (MemLValue)lv;
        if (mem.Type.Kind == CTypeKind.Array)
            return new TExpr(mem.Addr, CsType.Ptr, mem.Type);
        var t = CsTypes.Of(mem.Type);
        if (mem.BitWidth > 0)
        {
            string word = mem.Private ? $"PeekAt<ulong>({mem.Addr})" : $"(await LoadAt<ulong>({mem.Addr}, Marking.{Load(mem.Marking)}))";
            ulong mask = mem.BitWidth >= 64 ? ulong.MaxValue : (1UL << mem.BitWidth) - 1;
            return new TExpr($"unchecked(({CsTypes.Name(t)})(({word} >> {mem.BitOffset}) & {mask}UL))", t, mem.Type);
        }
        if (!mem.Type.IsScalar)
            throw new CError(here, $"{func.Name}() reads a whole {mem.Type.Spelling}, which the C front end does not copy");
        if (mem.Private)
            return new TExpr($"PeekAt<{MemName(t)}>({mem.Addr})", t, mem.Type);
        if (mem.Type.Size is not (4 or 8))
            throw new CError(here, $"{func.Name}() makes a {mem.Type.Size}-byte read of shared memory ({mem.Type.Spelling}); the engine's shared accesses are 4 or 8 bytes");
        return new TExpr($"(await LoadAt<{MemName(t)}>({mem.Addr}, Marking.{Load(mem.Marking)}))", t, mem.Type);
    }

    /// <summary>A store as a statement (without the semicolon).</summary>
    string StoreTo(LValue lv, TExpr value)
    {
        CheckNotGlobal(lv);
        if (lv is LocalLValue local)
            return $"{local.Name} = {value.As(CsTypes.Of(local.Type))}";
        var mem = (MemLValue)lv;
        var t = CsTypes.Of(mem.Type);
        if (mem.BitWidth > 0)
            return StoreBitfield(mem, value);
        if (mem.Private)
            return $"PokeAt<{MemName(t)}>({mem.Addr}, {value.As(t)})";
        if (!mem.Type.IsScalar || mem.Type.Size is not (4 or 8))
            throw new CError(here, $"{func.Name}() makes a {mem.Type.Size}-byte write of shared memory ({mem.Type.Spelling}); the engine's shared accesses are 4 or 8 bytes");
        return $"await StoreAt<{MemName(t)}>({mem.Addr}, {value.As(t)}, Marking.{Store(mem.Marking)})";
    }

    void CheckNotGlobal(LValue lv)
    {
        if (lv is LocalLValue { Name: var n } && n.StartsWith("g_", StringComparison.Ordinal))
            throw new CError(here, $"{func.Name}() writes the global {n[2..]}, which the model keeps constant");
    }

    string AssignPrivate(MemLValue mem, TExpr value)
    {
        var t = CsTypes.Of(mem.Type);
        string v = Temp();
        // A private store used as a value: store, then yield the value (evaluated once).
        return $"((Func<{MemName(t)}, {MemName(t)}>)({v} => {{ PokeAt<{MemName(t)}>({mem.Addr}, {v}); return {v}; }}))({value.As(t)})";
    }

    string StoreBitfield(MemLValue mem, TExpr value)
    {
        ulong mask = mem.BitWidth >= 64 ? ulong.MaxValue : ((1UL << mem.BitWidth) - 1) << mem.BitOffset;
        string a = Temp();
        string v = $"((({value.As(CsType.U64)}) << {mem.BitOffset}) & {mask}UL)";
        if (mem.Private)
            return $"{{ nint {a} = {mem.Addr}; PokeAt<ulong>({a}, (PeekAt<ulong>({a}) & ~{mask}UL) | {v}); }}".TrimEnd(';');
        return $"{{ nint {a} = {mem.Addr}; await StoreAt<ulong>({a}, ((await LoadAt<ulong>({a}, Marking.Plain)) & ~{mask}UL) | {v}, Marking.Plain); }}";
    }

    /// <summary><c>x op= v</c>: on a local in C#, on memory as a load and a store.</summary>
    string CompoundAssign(CNode e, bool asValue)
    {
        var lv = Lv(e.Children[0]);
        var rhs = Rv(e.Children[1]);
        var op = e.BinaryOp switch
        {
            BinaryOp.AddAssign => Kernel.RmwOp.Add, BinaryOp.SubAssign => Kernel.RmwOp.Sub, BinaryOp.MulAssign => Kernel.RmwOp.Mul,
            BinaryOp.DivAssign => Kernel.RmwOp.Div, BinaryOp.RemAssign => Kernel.RmwOp.Rem, BinaryOp.AndAssign => Kernel.RmwOp.And,
            BinaryOp.OrAssign => Kernel.RmwOp.Or, BinaryOp.XorAssign => Kernel.RmwOp.Xor, BinaryOp.ShlAssign => Kernel.RmwOp.Shl,
            _ => Kernel.RmwOp.Shr,
        };
        return Rmw(lv, op, rhs, asValue, yieldOld: false, e);
    }

    string Increment(CNode e, bool asValue)
    {
        var lv = Lv(e.Children[0]);
        bool inc = e.UnaryOp is UnaryOp.PreInc or UnaryOp.PostInc;
        bool post = e.UnaryOp is UnaryOp.PostInc or UnaryOp.PostDec;
        var type = lv.Type;
        long step = type.Kind == CTypeKind.Pointer ? Math.Max(1, type.Element!.Kind == CTypeKind.Void ? 1 : type.Element.Size) : 1;
        var one = new TExpr($"{step}L", CsType.I64, LongType);
        return Rmw(lv, inc ? Kernel.RmwOp.Add : Kernel.RmwOp.Sub, one, asValue, post, e);
    }

    string Rmw(LValue lv, Kernel.RmwOp op, TExpr rhs, bool asValue, bool yieldOld, CNode at)
    {
        CheckNotGlobal(lv);
        var t = CsTypes.Of(lv.Type);
        string csOp = op switch
        {
            Kernel.RmwOp.Add => "+", Kernel.RmwOp.Sub => "-", Kernel.RmwOp.Mul => "*", Kernel.RmwOp.Div => "/", Kernel.RmwOp.Rem => "%",
            Kernel.RmwOp.And => "&", Kernel.RmwOp.Or => "|", Kernel.RmwOp.Xor => "^", Kernel.RmwOp.Shl => "<<", _ => ">>",
        };
        string rhsCode = op is Kernel.RmwOp.Shl or Kernel.RmwOp.Shr ? $"(int)({rhs.As(CsType.I64)})" : rhs.As(t == CsType.Bool ? CsType.I32 : t);
        if (lv is LocalLValue local)
        {
            string name = local.Name;
            if (t == CsType.Bool)
                throw Unsupported(at, "arithmetic on a bool");
            string update = $"{name} = unchecked(({CsTypes.Name(t)})({name} {csOp} {rhsCode}))";
            if (!asValue)
                return update;
            return yieldOld ? PostLocal(name, t, csOp, rhsCode) : $"({update})";
        }
        var mem = (MemLValue)lv;
        CheckScalarMemory(mem, at);
        if (mem.BitWidth > 0)
            throw Unsupported(at, "a read-modify-write of a bitfield");
        if (mem.Private)
        {
            string a = Temp(), o = Temp();
            string body = $"nint {a} = {mem.Addr}; var {o} = PeekAt<{MemName(t)}>({a}); PokeAt<{MemName(t)}>({a}, unchecked(({CsTypes.Name(t)})({o} {csOp} {rhsCode})));";
            if (!asValue)
                return "{ " + body + " }";
            return $"((Func<{CsTypes.Name(t)}>)(() => {{ {body} return {(yieldOld ? o : $"PeekAt<{MemName(t)}>({a})")}; }}))()";
        }
        string rmwArg = op is Kernel.RmwOp.Shl or Kernel.RmwOp.Shr ? $"({CsTypes.Name(t)})({rhsCode})" : rhsCode;
        string call = $"(await RmwAt<{MemName(t)}>({mem.Addr}, RmwOp.{op}, {rmwArg}, Marking.{Store(mem.Marking)}, {(yieldOld ? "true" : "false")}))";
        return asValue ? call : $"_ = {call}";
    }

    string PostLocal(string name, CsType t, string csOp, string rhs) => csOp is "+" or "-"
        ? $"unchecked(({CsTypes.Name(t)})(({name} = unchecked(({CsTypes.Name(t)})({name} {csOp} {rhs}))) {(csOp == "+" ? "-" : "+")} {rhs}))"
        : throw new CError(here, $"{func.Name}() uses a postfix update other than ++/-- as a value");
}
