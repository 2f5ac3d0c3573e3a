using MmFuzz.C.Ast;
using MmFuzz.C.Clang;

namespace MmFuzz.C.Translate;

/// <summary>
/// Turns one C function into one C# async method of the generated kernel class. Every local is
/// declared at the top (C lets a goto cross a declaration; C# does not), under a unique name (C lets
/// a block shadow a name). A local whose address is taken, and every struct or array local, lives
/// in the arena: the scan's <c>LIST_HEAD(list)</c> in the CPU's stack list (so the stack checks see
/// it), the others in the CPU's private frame. Loops become <c>while</c> loops with explicit labels
/// for <c>continue</c>; a <c>switch</c> becomes tests and gotos, so C's fall-through is kept.
/// </summary>
public sealed partial class FunctionWriter
{
    readonly CProgram program;
    readonly CFunc func;
    readonly CodeWriter w = new();
    readonly Dictionary<string, Local> locals = new();
    readonly HashSet<string> addressTaken = new();
    readonly List<(string Kind, string Label)> breakTargets = new();     // ("loop", null) or ("switch", label)
    readonly List<string?> continueTargets = new();                      // null: C# continue; else goto label
    int temp;
    bool usesStackList;
    SourcePos here;     // the expression being translated, for messages

    /// <summary>A C local: its C# name and where it lives.</summary>
    sealed record Local(string CsName, CType Type, bool InArena, bool StackList, bool Private, int FrameOffset);

    FunctionWriter(CProgram program, CFunc func)
    {
        this.program = program;
        this.func = func;
    }

    /// <summary>The C# text of <paramref name="func"/>'s method.</summary>
    public static string Write(CProgram program, CFunc func)
    {
        var fw = new FunctionWriter(program, func);
        fw.Emit();
        return fw.w.ToString();
    }

    CError Unsupported(CNode at, string what) => new(at.Pos, $"{func.Name}() uses {what}, which the C front end does not run");

    void Emit()
    {
        var body = func.Body ?? throw new CError(func.Def.Pos, $"{func.Name}() has no body");
        FindAddressTaken(body);
        var ps = func.Params.ToList();
        var result = func.Result;
        string ret = result.Kind == CTypeKind.Void ? "Sim" : $"Sim<{CsTypes.Name(ScalarOf(result, func.Def.Pos))}>";
        var paramText = string.Join(", ", ps.Select((p, i) => $"{CsTypes.Name(ScalarOf(p.Type, p.Pos))} p{i}_{p.Spelling}"));
        w.Line($"// {func.Name}() from {func.Def.Pos}");
        w.Open($"async {ret} {func.CsName}({paramText})");
        // The entry points an adapter calls have the port's frame, with the port's arguments, already.
        if (!KernelClassWriter.FramedByAdapter(func.Name))
        {
            var fnField = program.FunctionField(func);
            var frameArgs = ps.Take(2).Select((p, i) => CsTypes.Convert($"p{i}_{p.Spelling}", ScalarOf(p.Type, p.Pos), CsType.Ptr)).ToList();
            w.Line($"using var __frame = Cpu.Enter({fnField}{string.Concat(frameArgs.Select(a => ", " + a))});");
        }

        // Parameters become locals (a parameter whose address is taken is copied to the frame).
        for (int i = 0; i < ps.Count; i++)
        {
            var p = ps[i];
            var local = Declare(p);
            if (local.InArena)
                w.Line(StoreTo(new MemLValue(local.CsName, p.Type, Engine.Marking.Plain, local.Private), new TExpr($"p{i}_{p.Spelling}", ScalarOf(p.Type, p.Pos), p.Type)) + ";");
            else
                w.Line($"{CsTypes.Name(ScalarOf(p.Type, p.Pos))} {local.CsName} = p{i}_{p.Spelling};");
        }
        // Every other local, declared up front.
        foreach (var v in AllVarDecls(body))
        {
            if (v.Children.Count > 0 && false) { }
            var local = Declare(v);
            if (!local.InArena)
                w.Line($"{CsTypes.Name(ScalarOf(v.Type, v.Pos))} {local.CsName} = default;");
        }
        if (usesStackList)
        {
            w.Open("try");
            Statement(body);
            w.Close();
            w.Open("finally");
            w.Line($"hook_stack_list_exit(World.StackList(Cpu.Index));");
            w.Close();
        }
        else
            Statement(body);
        w.Close();
    }

    /// <summary>The scalar C# type of a value of <paramref name="t"/>; records and arrays are not values here.</summary>
    CsType ScalarOf(CType t, SourcePos at)
    {
        if (t.Kind == CTypeKind.Void)
            return CsType.Void;
        if (!t.IsScalar)
            throw new CError(at, $"{func.Name}() passes or returns a {t.Spelling} by value, which the C front end does not run (pass a pointer)");
        return CsTypes.Of(t);
    }

    Local Declare(CNode decl)
    {
        var key = DeclKey(decl);
        if (locals.TryGetValue(key, out var known))
            return known;
        string cs = $"l{locals.Count}_{decl.Spelling}";
        bool record = decl.Type.Kind is CTypeKind.Record or CTypeKind.Array;
        if (decl.Type.Kind == CTypeKind.Unsupported)
            throw Unsupported(decl, $"a local of type {decl.Type.Spelling}");
        bool inArena = record || addressTaken.Contains(key);
        Local local;
        if (!inArena)
            local = new Local(cs, decl.Type, false, false, false, 0);
        else if (decl.Type.Record?.Name == "list_head" && program.ClaimStackList(func))
        {
            usesStackList = true;
            local = new Local($"World.StackList(Cpu.Index).Addr", decl.Type, true, true, false, 0);
        }
        else
        {
            int off = program.AllocFrame(func, Math.Max(8, decl.Type.Size));
            bool shared = decl.Type.Record?.Name == "list_head";
            local = new Local($"(World.CpuFrame(Cpu.Index) + {off})", decl.Type, true, false, !shared, off);
        }
        locals[key] = local;
        return local;
    }

    static string DeclKey(CNode decl) => $"{decl.Spelling}@{decl.Pos.File}:{decl.Pos.Line}:{decl.Pos.Column}";

    static string DeclKey(CDecl decl) => $"{decl.Name}@{decl.Pos.File}:{decl.Pos.Line}:{decl.Pos.Column}";

    static IEnumerable<CNode> AllVarDecls(CNode n)
    {
        foreach (var c in n.Children)
        {
            if (c.Kind == CursorKind.VarDecl)
                yield return c;
            foreach (var d in AllVarDecls(c))
                yield return d;
            if (c.Init is { } init)
                foreach (var d in AllVarDecls(init))
                    yield return d;
        }
    }

    /// <summary>Which locals have their address taken (not counting <c>READ_ONCE()</c>/<c>WRITE_ONCE()</c>'s own <c>&amp;</c>).</summary>
    void FindAddressTaken(CNode n)
    {
        if (IsOnceAccess(n, out _))
        {
            // *(volatile T *)&x: x is accessed, not its address taken.
            var inner = Strip(Strip(n.Children[0]).Children[^1]);
            foreach (var c in Strip(inner.Children[0]).Children)
                FindAddressTaken(c);
            return;
        }
        if (n.Kind == CursorKind.UnaryOperator && n.UnaryOp == UnaryOp.AddrOf && Strip(n.Children[0]) is { Kind: CursorKind.DeclRefExpr, Ref: { IsLocal: true } r })
            addressTaken.Add(DeclKey(r));
        foreach (var c in n.Children)
            FindAddressTaken(c);
        foreach (var c in n.Args)
            FindAddressTaken(c);
        if (n.Init is { } init)
            FindAddressTaken(init);
    }

    /// <summary>
    /// Whether <paramref name="n"/> is the volatile access of <c>READ_ONCE(x)</c>/<c>WRITE_ONCE(x, v)</c>:
    /// <c>*(volatile T *)&amp;x</c>. Its operand is then <c>x</c> itself.
    /// </summary>
    static bool IsOnceAccess(CNode n, out CNode operand)
    {
        operand = null!;
        if (n.Kind != CursorKind.UnaryOperator || n.UnaryOp != UnaryOp.Deref || !n.Type.Volatile)
            return false;
        var cast = Strip(n.Children[0]);
        if (cast.Kind != CursorKind.CStyleCastExpr)
            return false;
        var addr = Strip(cast.Children[^1]);
        if (addr.Kind != CursorKind.UnaryOperator || addr.UnaryOp != UnaryOp.AddrOf)
            return false;
        operand = addr.Children[0];
        return true;
    }

    /// <summary>Looks through parentheses.</summary>
    static CNode Strip(CNode n)
    {
        while (n.Kind == CursorKind.ParenExpr && n.Children.Count == 1)
            n = n.Children[0];
        return n;
    }

    string Temp() => $"__t{temp++}";

    // ---- statements --------------------------------------------------------------------------

    void Statement(CNode s)
    {
        here = s.Pos;
        switch (s.Kind)
        {
            case CursorKind.CompoundStmt:
                w.Open();
                foreach (var c in s.Children)
                    Statement(c);
                w.Close();
                break;
            case CursorKind.NullStmt:
                w.Line(";");
                break;
            case CursorKind.DeclStmt:
                foreach (var v in s.Children.Where(c => c.Kind == CursorKind.VarDecl))
                    Declaration(v);
                break;
            case CursorKind.IfStmt:
                w.Line($"if ({Rv(s.Children[0]).AsCondition})");
                Block(s.Children[1]);
                if (s.Children.Count > 2)
                {
                    w.Line("else");
                    Block(s.Children[2]);
                }
                break;
            case CursorKind.WhileStmt:
                w.Line($"while ({Rv(s.Children[0]).AsCondition})");
                Loop(s.Children[1], null);
                break;
            case CursorKind.DoStmt:
                w.Line("do");
                Loop(s.Children[0], null);
                w.Line($"while ({Rv(s.Children[1]).AsCondition});");
                break;
            case CursorKind.ForStmt:
                For(s);
                break;
            case CursorKind.SwitchStmt:
                Switch(s);
                break;
            case CursorKind.BreakStmt:
                if (breakTargets.Count == 0)
                    throw Unsupported(s, "a break outside a loop or switch");
                w.Line(breakTargets[^1].Kind == "loop" ? "break;" : $"goto {breakTargets[^1].Label};");
                break;
            case CursorKind.ContinueStmt:
                if (continueTargets.Count == 0)
                    throw Unsupported(s, "a continue outside a loop");
                w.Line(continueTargets[^1] is { } label ? $"goto {label};" : "continue;");
                break;
            case CursorKind.ReturnStmt:
                if (s.Children.Count == 0)
                    w.Line("return;");
                else if (func.Result.Kind == CTypeKind.Void)
                {
                    ExpressionStatement(s.Children[0]);
                    w.Line("return;");
                }
                else
                    w.Line($"return {Rv(s.Children[0]).As(CsTypes.Of(func.Result))};");
                break;
            case CursorKind.GotoStmt:
                w.Line($"goto L_{Label(s)};");
                break;
            case CursorKind.LabelStmt:
                w.Line($"L_{s.Spelling}:");
                if (s.Children.Count == 0)
                    w.Line(";");
                else
                    Statement(s.Children[0]);
                break;
            case CursorKind.CaseStmt or CursorKind.DefaultStmt:
                throw Unsupported(s, "a case label outside its switch's own block");
            case CursorKind.AsmStmt:
                throw Unsupported(s, "inline assembly");
            case CursorKind.IndirectGotoStmt:
                throw Unsupported(s, "a computed goto");
            default:
                if ((int)s.Kind is >= 100 and < 200)
                    ExpressionStatement(s);
                else
                    throw Unsupported(s, $"a {s.Kind} statement");
                break;
        }
    }

    static string Label(CNode gotoStmt) =>
        gotoStmt.Ref?.Name ?? gotoStmt.Children.FirstOrDefault(c => c.Kind == CursorKind.LabelRef)?.Spelling
        ?? throw new CError(gotoStmt.Pos, "a goto without a label");

    /// <summary>A statement as the body of an if or loop: always braced.</summary>
    void Block(CNode s)
    {
        if (s.Kind == CursorKind.CompoundStmt)
            Statement(s);
        else
        {
            w.Open();
            Statement(s);
            w.Close();
        }
    }

    void Loop(CNode body, string? continueLabel)
    {
        breakTargets.Add(("loop", ""));
        continueTargets.Add(continueLabel);
        w.Open();
        Statement(body);
        if (continueLabel is not null)
            w.Line($"{continueLabel}: ;");
        w.Close();
        breakTargets.RemoveAt(breakTargets.Count - 1);
        continueTargets.RemoveAt(continueTargets.Count - 1);
    }

    /// <summary><c>for (init; cond; inc) body</c> as <c>init; while (cond) { body; continue_label: inc; }</c>.</summary>
    void For(CNode s)
    {
        w.Open();
        if (s.ForInit is { } init)
        {
            if (init.Kind == CursorKind.DeclStmt)
                Statement(init);
            else
                ExpressionStatement(init);
        }
        string cont = $"__continue{temp++}";
        w.Line(s.ForCond is { } cond ? $"while ({Rv(cond).AsCondition})" : "while (true)");
        breakTargets.Add(("loop", ""));
        continueTargets.Add(cont);
        w.Open();
        if (s.ForBody is { } body)
            Statement(body);
        w.Line($"{cont}: ;");
        if (s.ForInc is { } inc)
            ExpressionStatement(inc);
        w.Close();
        breakTargets.RemoveAt(breakTargets.Count - 1);
        continueTargets.RemoveAt(continueTargets.Count - 1);
        w.Close();
    }

    /// <summary>
    /// <c>switch</c> as a chain of tests that jump to one label per case, then the body with the labels
    /// in place (so C's fall-through holds); <c>break</c> jumps past it.
    /// </summary>
    void Switch(CNode s)
    {
        var value = Rv(s.Children[0]);
        var body = s.Children[1];
        string v = Temp(), end = $"__switch_end{temp++}";
        var cases = new List<(CNode Case, string Label)>();
        CollectCases(body, cases);
        if (CountCases(body) != cases.Count)
            throw Unsupported(s, "a case label outside its switch's own block");
        w.Open();
        w.Line($"var {v} = {value.Code};");
        string? defaultLabel = null;
        foreach (var (c, label) in cases)
        {
            if (c.Kind == CursorKind.DefaultStmt)
                defaultLabel = label;
            else
            {
                var k = Rv(c.Children[0]);
                w.Line($"if ({v} == {k.As(value.Cs)}) goto {label};");
            }
        }
        w.Line($"goto {defaultLabel ?? end};");
        breakTargets.Add(("switch", end));
        SwitchBody(body, cases);
        breakTargets.RemoveAt(breakTargets.Count - 1);
        w.Line($"{end}: ;");
        w.Close();
    }

    /// <summary>The case labels C# can jump to: those of the switch's own block, and chains of them (<c>case 1: case 2:</c>).</summary>
    void CollectCases(CNode body, List<(CNode, string)> cases)
    {
        foreach (var top in body.Kind == CursorKind.CompoundStmt ? body.Children : [body])
            for (var n = top; n.Kind is CursorKind.CaseStmt or CursorKind.DefaultStmt; n = n.Children[^1])
                cases.Add((n, $"__case{temp++}"));
    }

    /// <summary>Every case label of a switch body (not those of a nested switch).</summary>
    static int CountCases(CNode n) => n.Kind == CursorKind.SwitchStmt ? 0
        : (n.Kind is CursorKind.CaseStmt or CursorKind.DefaultStmt ? 1 : 0) + n.Children.Sum(CountCases);

    void SwitchBody(CNode n, List<(CNode Case, string Label)> cases)
    {
        if (n.Kind is CursorKind.CaseStmt or CursorKind.DefaultStmt)
        {
            w.Line($"{cases.First(c => ReferenceEquals(c.Case, n)).Label}: ;");
            SwitchBody(n.Children[^1], cases);
        }
        else if (n.Kind == CursorKind.CompoundStmt)
        {
            // No C# block here: the case labels must stay in the scope of the tests' gotos (every
            // local is declared at the top of the method, so the block scoped nothing).
            foreach (var c in n.Children)
                SwitchBody(c, cases);
        }
        else
            Statement(n);
    }

    /// <summary>A local's declaration: its initializer, if any, as an assignment (the local itself is declared at the top).</summary>
    void Declaration(CNode v)
    {
        if (v.Spelling.Length == 0)
            return;
        if (v.Type.Kind == CTypeKind.Function)
            return;     // a block-scope function declaration
        var local = Declare(v);
        if (local.StackList)
            w.Line("hook_stack_list_enter(World.StackList(Cpu.Index));");
        if (v.Init is not { } init)
            return;
        if (!local.InArena)
        {
            w.Line($"{local.CsName} = {Rv(init).As(CsTypes.Of(v.Type))};");
            return;
        }
        InitializeMemory(local.CsName, v.Type, init, local.Private, v);
    }

    /// <summary>Initializes memory at <paramref name="addr"/> of type <paramref name="type"/> from an initializer, field by field in order.</summary>
    void InitializeMemory(string addr, CType type, CNode init, bool priv, CNode at)
    {
        var i = Strip(init);
        while (i.Kind == CursorKind.UnexposedExpr && i.Children.Count == 1 && i.Children[0].Kind == CursorKind.InitListExpr)
            i = i.Children[0];
        if (i.Kind == CursorKind.InitListExpr)
        {
            if (type.Kind == CTypeKind.Record)
            {
                var fields = type.Record!.Fields;
                if (i.Children.Count > fields.Count)
                    throw Unsupported(at, "an initializer with more values than fields");
                for (int f = 0; f < fields.Count; f++)
                {
                    var field = fields[f];
                    string faddr = $"({addr} + {field.OffsetBits / 8})";
                    if (f < i.Children.Count)
                        InitializeMemory(faddr, field.Type, i.Children[f], priv, at);
                    else
                        ZeroMemory(faddr, field.Type, priv);
                    if (type.Record.IsUnion)
                        break;
                }
                return;
            }
            if (type.Kind == CTypeKind.Array)
            {
                for (int e = 0; e < type.Length; e++)
                {
                    string eaddr = $"({addr} + {e * type.Element!.Size})";
                    if (e < i.Children.Count)
                        InitializeMemory(eaddr, type.Element, i.Children[e], priv, at);
                    else
                        ZeroMemory(eaddr, type.Element, priv);
                }
                return;
            }
            if (i.Children.Count == 1)
            {
                InitializeMemory(addr, type, i.Children[0], priv, at);
                return;
            }
        }
        if (type.Kind is CTypeKind.Record or CTypeKind.Array)
        {
            if (i.Kind == CursorKind.UnexposedExpr && i.Children.Count == 0)
            {
                ZeroMemory(addr, type, priv);     // an implicit zero initializer
                return;
            }
            throw Unsupported(at, "a struct initialized by copy");
        }
        w.Line(StoreTo(new MemLValue(addr, type, Engine.Marking.Plain, priv), Rv(i)) + ";");
    }

    void ZeroMemory(string addr, CType type, bool priv)
    {
        if (type.Kind == CTypeKind.Record)
        {
            foreach (var f in type.Record!.Fields)
            {
                ZeroMemory($"({addr} + {f.OffsetBits / 8})", f.Type, priv);
                if (type.Record.IsUnion)
                    break;
            }
        }
        else if (type.Kind == CTypeKind.Array)
        {
            for (int e = 0; e < type.Length; e++)
                ZeroMemory($"({addr} + {e * type.Element!.Size})", type.Element, priv);
        }
        else if (priv)
            w.Line(StoreTo(new MemLValue(addr, type, Engine.Marking.Plain, true), new TExpr("0", CsType.I32, type)) + ";");
        else
            throw new CError(func.Def.Pos, $"{func.Name}() leaves part of a shared on-stack object uninitialized by its initializer");
    }
}
