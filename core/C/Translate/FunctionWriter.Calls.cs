using MmFuzz.C.Ast;
using MmFuzz.C.Clang;
using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.C.Translate;

// Calls: to another C function of the input, to the base state's port of that name (arguments and
// result converted between C pointers and the ports' typed handles), or to an intrinsic of the headers.
public sealed partial class FunctionWriter
{
    TExpr Call(CNode e)
    {
        var callee = Strip(e.Children[0]);
        while (callee.Kind == CursorKind.UnexposedExpr && callee.Children.Count == 1)
            callee = Strip(callee.Children[0]);
        if (callee.Kind != CursorKind.DeclRefExpr || callee.Ref?.Kind != CursorKind.FunctionDecl)
            throw Unsupported(e, "a call through a function pointer");
        string name = callee.Spelling;
        var target = program.Resolve(func, name, e);
        return target switch
        {
            CCallTarget c => CallC(c.Function, e),
            PortCallTarget p => CallPort(p.Method, e),
            IntrinsicCallTarget i => Intrinsic(i.Name, e),
            _ => throw new InvalidOperationException(),
        };
    }

    TExpr CallC(CFunc callee, CNode e)
    {
        var ps = callee.Params.ToList();
        if (ps.Count != e.Args.Count)
            throw new CError(e.Pos, $"{func.Name}() calls {callee.Name}() with {e.Args.Count} arguments; it takes {ps.Count}");
        var args = e.Args.Select((a, i) => Rv(a).As(CsTypes.Of(ps[i].Type)));
        var result = callee.Result;
        string call = $"{callee.CsName}({string.Join(", ", args)})";
        return result.Kind == CTypeKind.Void
            ? new TExpr($"await {call}", CsType.Void, result)
            : new TExpr($"(await {call})", CsTypes.Of(result), result);
    }

    TExpr CallPort(System.Reflection.MethodInfo m, CNode e)
    {
        var ps = PortBinder.CParameters(m);
        if (ps.Length != e.Args.Count)
            throw new CError(e.Pos, $"{func.Name}() calls {m.Name}() with {e.Args.Count} arguments, but the model's port of {m.Name}() takes {ps.Length}");
        string? batchArg = null;
        var args = new List<string>();
        for (int i = 0; i < ps.Length; i++)
        {
            var p = ps[i].ParameterType;
            var a = e.Args[i];
            if (p == typeof(FolioBatch))
            {
                if (batchArg is not null)
                    throw Unsupported(e, $"a call of {m.Name}() with two folio batches");
                batchArg = Rv(a).As(CsType.Ptr);
                args.Add("__batch");
            }
            else
                args.Add(PortArg(p, a, m.Name));
        }
        var result = PortBinder.ResultType(m);
        bool isAsync = PortBinder.IsAsync(m);
        string call = $"{m.Name}({string.Join(", ", args)})";
        string value = isAsync ? $"(await {call})" : call;
        if (batchArg is not null)
        {
            // The port works on a C# FolioBatch: fill one from the C folio_batch, write it back after.
            if (result != typeof(void))
                throw Unsupported(e, $"a value from {m.Name}(), which takes a folio batch");
            // With only constants besides the batch, one delegate per CPU serves every call (no allocation per run).
            if (args.All(a => a == "__batch" || a == "null" || IsConstantCode(a)))
            {
                string cached = program.AddMember($"Func<global::MmFuzz.Kernel.FolioBatch, Sim> __port_{m.Name}_{temp++};");
                return new TExpr($"await WithFolioBatch({batchArg}, {cached} ??= __batch => {call})", CsType.Void, e.Type);
            }
            return new TExpr($"await WithFolioBatch({batchArg}, __batch => {call})", CsType.Void, e.Type);
        }
        if (result == typeof(void))
            return new TExpr(isAsync ? $"await {call}" : call, CsType.Void, e.Type);
        if (PortBinder.IsPointer(result))
            return new TExpr($"{value}.Addr", CsType.Ptr, e.Type);
        if (PortBinder.Scalar(result) is { } cs)
            return new TExpr(value, cs, e.Type);
        throw new CError(e.Pos, $"{func.Name}() uses the value of {m.Name}(), whose port returns {result.Name}, not a C value");
    }

    string PortArg(Type p, CNode a, string port)
    {
        if (PortBinder.IsPointer(p))
            return $"new {PortBinder.Spell(p)}({Rv(a).As(CsType.Ptr)})";
        if (PortBinder.Scalar(p) is { } cs)
            return Rv(a).As(cs);
        if (p == typeof(int[]))
        {
            if (IsNull(a))
                return "null";
            throw Unsupported(a, $"an array of counts passed to {port}()");
        }
        throw new CError(a.Pos, $"{func.Name}() passes a {a.Type.Spelling} to {port}(), whose port takes a {p.Name}");
    }

    /// <summary>Whether translated code is a literal (a number, true or false), so it can go in a cached delegate.</summary>
    static bool IsConstantCode(string code) =>
        System.Text.RegularExpressions.Regex.IsMatch(code, @"^(\(?-?\d+[ULul]*\)?|true|false|unchecked\(\(\w+\)\(-?\d+L?\)\))$");

    /// <summary>Whether <paramref name="e"/> is a null pointer constant (<c>NULL</c>, <c>0</c>).</summary>
    static bool IsNull(CNode e)
    {
        e = Strip(e);
        while (e.Kind is CursorKind.UnexposedExpr or CursorKind.CStyleCastExpr && e.Children.Count > 0)
            e = Strip(e.Children[^1]);
        return e.Value == 0;
    }

    // ---- intrinsics --------------------------------------------------------------------------

    TExpr Intrinsic(string name, CNode e)
    {
        switch (name)
        {
            case "__mmfuzz_data_race":
                return new TExpr($"EndDataRace((BeginDataRace(), {Rv(e.Args[0]).As(CsType.I64)}).Item2)", CsType.I64, e.Type);
            case "__mmfuzz_node_data":
                return new TExpr($"World.NodeData({Rv(e.Args[0]).As(CsType.I32)}).Addr", CsType.Ptr, e.Type);
            case "__mmfuzz_parent_mem_cgroup":
                return new TExpr($"World.ParentMemcg(new global::MmFuzz.Kernel.MemcgPtr({Rv(e.Args[0]).As(CsType.Ptr)})).Addr", CsType.Ptr, e.Type);
            case "__mmfuzz_bad_page":
            {
                // bad_page(page, reason): the port's report for a page found bad at free (Symbols.BadPage).
                string reason = Text(e.Args[1]).Replace("\\", "\\\\").Replace("\"", "\\\"");
                return new TExpr($"await Bug(BugKind.BadPageState, BadPage(new global::MmFuzz.Kernel.FolioPtr({Rv(e.Args[0]).As(CsType.Ptr)}), \"{reason}\"))", CsType.Void, e.Type);
            }
            case "__mmfuzz_bug":
                return new TExpr($"await Bug({Kind(e.Args[0])}, {Message("kernel BUG at", e, e.Args[0], e.Args[1])})", CsType.Void, e.Type);
            case "__mmfuzz_warn":
                return new TExpr($"await Bug({Kind(e.Args[0])}, {Message("WARNING:", e, e.Args[0], e.Args[1])})", CsType.Void, e.Type);
            case "__mmfuzz_warn_on":
                // WARN_ON(cond): reports (and stops the CPU) if cond holds; its value is cond.
                return new TExpr($"({Rv(e.Args[0]).AsCondition} ? (await BugValue({Kind(e.Args[1])}, {Message("WARNING:", e, e.Args[1], e.Args[2])})) : false)",
                    CsType.Bool, e.Type);
            default:
                throw new CError(e.Pos, $"{func.Name}() calls {name}(), an intrinsic the translator does not know");
        }
    }

    /// <summary>The kind of bug an assertion's failure is, from what it tests (<see cref="AssertionKinds"/>).</summary>
    string Kind(CNode what) => $"BugKind.{AssertionKinds.Of(Text(what))}";

    static string Text(CNode literal)
    {
        var s = Strip(literal);
        while (s.Kind is CursorKind.UnexposedExpr or CursorKind.CStyleCastExpr && s.Children.Count > 0)
            s = Strip(s.Children[^1]);
        return s.Text ?? "";
    }

    /// <summary>The kernel's line for a failed assertion at the macro's use: <c>kernel BUG at mm/x.c:123! VM_BUG_ON_FOLIO(...) (A)</c>.</summary>
    string Message(string head, CNode call, CNode what, CNode obj)
    {
        string where = $"{call.Pos.File}:{call.Pos.Line}";
        string text = Text(what).Replace("\"", "\\\"").Replace("{", "{{").Replace("}", "}}");
        var o = Rv(obj);
        string subject = IsNull(obj) ? "\"\"" : $"ObjectName({o.As(CsType.Ptr)})";
        string line = head == "kernel BUG at"
            ? $"kernel BUG at {where}! {text}"
            : $"WARNING: CPU: {{Cpu.Number}} at {where} {func.Name}: {text}";
        return $"$\"{line}\" + {subject}";
    }
}
