using MmFuzz.C.Ast;
using MmFuzz.C.Clang;
using MmFuzz.Engine;

namespace MmFuzz.C.Translate;

// Lvalues and memory: where a C lvalue lives (a C# local, the arena, the CPU's private frame), and
// its loads, stores and read-modify-writes (on shared memory each access is a scheduling point).
public sealed partial class FunctionWriter
{
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
        return $"PokeValueAt<{MemName(t)}>({mem.Addr}, {value.As(t)})";
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
            string rmw = $"RmwPrivateAt<{MemName(t)}>({mem.Addr}, RmwOp.{op}, {(op is Kernel.RmwOp.Shl or Kernel.RmwOp.Shr ? $"({CsTypes.Name(t)})({rhsCode})" : rhsCode)}, {(yieldOld ? "true" : "false")})";
            return asValue ? rmw : $"_ = {rmw}";
        }
        string rmwArg = op is Kernel.RmwOp.Shl or Kernel.RmwOp.Shr ? $"({CsTypes.Name(t)})({rhsCode})" : rhsCode;
        string call = $"(await RmwAt<{MemName(t)}>({mem.Addr}, RmwOp.{op}, {rmwArg}, Marking.{Store(mem.Marking)}, {(yieldOld ? "true" : "false")}))";
        return asValue ? call : $"_ = {call}";
    }

    string PostLocal(string name, CsType t, string csOp, string rhs) => csOp is "+" or "-"
        ? $"unchecked(({CsTypes.Name(t)})(({name} = unchecked(({CsTypes.Name(t)})({name} {csOp} {rhs}))) {(csOp == "+" ? "-" : "+")} {rhs}))"
        : throw new CError(here, $"{func.Name}() uses a postfix update other than ++/-- as a value");
}
