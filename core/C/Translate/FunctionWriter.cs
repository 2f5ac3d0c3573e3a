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
            int off = program.AllocFrame(Math.Max(8, decl.Type.Size));
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
}
