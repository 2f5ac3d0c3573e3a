using MmFuzz.C.Ast;
using MmFuzz.C.Clang;
using MmFuzz.Engine;

namespace MmFuzz.C.Translate;

/// <summary>
/// The C files read for one kernel state and what runs from them: which functions are taken from C,
/// how each call resolves (a taken C function, else the base state's port of that name, else a C
/// helper the files define, else an intrinsic of the headers, else an error naming the call), the
/// CPU frame the locals need, and the translated methods.
/// </summary>
public sealed class CProgram
{
    readonly Dictionary<(ClangUnit, string), CFunc> byDef = new();
    readonly Queue<CFunc> pending = new();
    readonly Dictionary<string, CFunc> byCsName = new();
    readonly Dictionary<CFunc, HashSet<CFunc>> calls = new();
    readonly Dictionary<string, (ClangUnit Unit, CXCursor Cursor)> globalsUsed = new();
    int frameBytes;
    CFunc? stackListOwner;

    readonly Action<ClangUnit, CFunctionDef> check;

    /// <summary>
    /// Reads <paramref name="units"/> over the ports of <paramref name="ports"/>, taking the functions
    /// named in <paramref name="taken"/>; <paramref name="check"/> sees each definition before it is read.
    /// </summary>
    public CProgram(IReadOnlyList<ClangUnit> units, PortBinder ports, IReadOnlySet<string> taken, Action<ClangUnit, CFunctionDef> check)
    {
        Units = units;
        Ports = ports;
        Taken = taken;
        this.check = check;
    }

    /// <summary>The files.</summary>
    public IReadOnlyList<ClangUnit> Units { get; }

    /// <summary>The base state's ports.</summary>
    public PortBinder Ports { get; }

    /// <summary>The names taken from C (they replace the ports of the same name).</summary>
    public IReadOnlySet<string> Taken { get; }

    /// <summary>Every function translated, in order.</summary>
    public List<CFunc> Functions { get; } = [];

    /// <summary>The methods' C# text, in order.</summary>
    public List<string> Methods { get; } = [];

    /// <summary>The ports the C calls, by name.</summary>
    public SortedSet<string> PortsCalled { get; } = new(StringComparer.Ordinal);

    /// <summary>Bytes of private frame each CPU needs.</summary>
    public int FrameBytes => frameBytes;

    /// <summary>The C globals read, with their constant values (C# field name, C# type, value).</summary>
    public List<(string Field, CsType Type, long Value)> Globals { get; } = [];

    /// <summary>Extra members of the generated class (cached delegates), as C# declarations.</summary>
    public List<string> Members { get; } = [];

    /// <summary>Adds a member declaration; returns the member's name (the last identifier before the semicolon).</summary>
    public string AddMember(string declaration)
    {
        Members.Add(declaration);
        return declaration.TrimEnd(';').Split(' ')[^1];
    }

    /// <summary>The KernelFunction fields the methods use: (field, C name, whether a trace shows it as one action).</summary>
    public List<(string Field, string Name, bool Action)> FunctionFields { get; } = [];

    /// <summary>Translates the taken functions and everything they reach.</summary>
    public void Translate()
    {
        foreach (var unit in Units)
            foreach (var def in unit.Functions.Where(d => !d.InHeader && Taken.Contains(d.Name)))
                Get(unit, def);
        while (pending.Count > 0)
        {
            var f = pending.Dequeue();
            Methods.Add(FunctionWriter.Write(this, f));
        }
        CheckRecursion();
    }

    /// <summary>The C function for a definition, scheduled for translation the first time.</summary>
    public CFunc Get(ClangUnit unit, CFunctionDef def)
    {
        // The headers' inline functions are the same in every file: one method each.
        var key = def.InHeader ? (Units[0], "h:" + def.Name) : (unit, def.Name);
        if (byDef.TryGetValue(key, out var known))
            return known;
        check(unit, def);
        string cs = $"c_{def.Name}";
        if (byCsName.ContainsKey(cs))
            cs = $"c{byCsName.Count}_{def.Name}";
        var f = new CFunc { Name = def.Name, Unit = unit, Def = def, CsName = cs, Ast = unit.Convert(def.Cursor) };
        byDef[key] = f;
        byCsName[cs] = f;
        Functions.Add(f);
        pending.Enqueue(f);
        return f;
    }

    /// <summary>What a call of <paramref name="name"/> in <paramref name="caller"/> runs.</summary>
    public CallTarget Resolve(CFunc caller, string name, CNode at)
    {
        var def = Definition(caller.Unit, name);
        if (def is not null && Taken.Contains(name) && !def.Value.Def.InHeader)
            return Called(caller, Get(def.Value.Unit, def.Value.Def));
        if (Ports.Find(name) is { } port)
        {
            PortsCalled.Add(name);
            return new PortCallTarget(port);
        }
        if (def is not null)
            return Called(caller, Get(def.Value.Unit, def.Value.Def));
        if (name.StartsWith("__mmfuzz_", StringComparison.Ordinal))
            return new IntrinsicCallTarget(name);
        throw new CError(at.Pos, $"{caller.Name}() calls {name}(), which the model does not provide (port it, or declare it in a header given with --stub-header)");
    }

    CCallTarget Called(CFunc caller, CFunc callee)
    {
        if (!calls.TryGetValue(caller, out var set))
            calls[caller] = set = [];
        set.Add(callee);
        return new CCallTarget(callee);
    }

    /// <summary>The definition a name in <paramref name="unit"/> refers to: its own first (a static function), else another file's.</summary>
    (ClangUnit Unit, CFunctionDef Def)? Definition(ClangUnit unit, string name)
    {
        var own = unit.Functions.FirstOrDefault(d => d.Name == name);
        if (own is not null)
            return (unit, own);
        foreach (var u in Units)
            if (u.Functions.FirstOrDefault(d => d.Name == name && !d.InHeader) is { } other)
                return (u, other);
        return null;
    }

    /// <summary>Reserves <paramref name="bytes"/> of every CPU's private frame (a function's locals, an adapter's argument); returns the offset.</summary>
    /// <remarks>
    /// Each function's locals get their own place (no recursion is allowed, so a function is never
    /// live twice on one CPU): a frame is a fixed layout, needing no push or pop when a CPU stops
    /// at a BUG in the middle of a call.
    /// </remarks>
    public int AllocFrame(int bytes)
    {
        int off = (frameBytes + 7) & ~7;
        frameBytes = off + ((bytes + 7) & ~7);
        return off;
    }

    /// <summary>Whether <paramref name="f"/> may keep its <c>LIST_HEAD()</c> in the CPU's stack list (the first function that asks).</summary>
    public bool ClaimStackList(CFunc f)
    {
        stackListOwner ??= f;
        return stackListOwner == f;
    }

    /// <summary>The field that names <paramref name="f"/> for the tracer and the oracles.</summary>
    public string FunctionField(CFunc f)
    {
        string field = $"F_{f.CsName}";
        if (!FunctionFields.Any(x => x.Field == field))
            FunctionFields.Add((field, f.Name, f.InHeader));
        return field;
    }

    /// <summary>A global the C reads: a constant of the file (a knob like <c>split_underused_thp</c>), kept in a C# field.</summary>
    public LValue Global(CFunc reader, CNode at)
    {
        string name = at.Spelling;
        string field = $"g_{name}";
        if (Globals.Any(g => g.Field == field))
            return new LocalLValue(field, at.Type);
        if (!at.Type.IsScalar)
            throw new CError(at.Pos, $"{reader.Name}() uses the global {name}, a {at.Type.Spelling}; the model keeps only scalar globals, as constants");
        long? value = null;
        foreach (var u in Units.Prepend(reader.Unit))
            if (u.GlobalValue(name) is { } v)
            {
                value = v;
                break;
            }
        if (value is null)
            throw new CError(at.Pos, $"{reader.Name}() reads the global {name}, which has no constant value in the C read (define it, or declare it in a header given with --stub-header)");
        Globals.Add((field, CsTypes.Of(at.Type), value.Value));
        return new LocalLValue(field, at.Type);
    }

    void CheckRecursion()
    {
        var state = new Dictionary<CFunc, int>();
        var path = new List<CFunc>();
        void Visit(CFunc f)
        {
            state[f] = 1;
            path.Add(f);
            foreach (var g in calls.GetValueOrDefault(f) ?? [])
            {
                if (state.GetValueOrDefault(g) == 1)
                {
                    var cycle = path.SkipWhile(x => x != g).Select(x => x.Name + "()").Append(g.Name + "()");
                    throw new CError(g.Def.Pos, $"{g.Name}() is recursive ({string.Join(" -> ", cycle)}); the C front end gives each function one fixed frame and does not run recursion");
                }
                if (state.GetValueOrDefault(g) == 0)
                    Visit(g);
            }
            path.RemoveAt(path.Count - 1);
            state[f] = 2;
        }
        foreach (var f in Functions)
            if (state.GetValueOrDefault(f) == 0)
                Visit(f);
    }
}
