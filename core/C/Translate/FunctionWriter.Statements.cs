using MmFuzz.C.Ast;
using MmFuzz.C.Clang;

namespace MmFuzz.C.Translate;

// Statements: blocks, declarations and their initializers, if, the loops (a for as a while with a
// label for continue), switch (tests and gotos, so C's fall-through holds), goto, return.
public sealed partial class FunctionWriter
{
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
