using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.Oracles;

/// <summary>
/// Which way each branch of each kernel function went, counted over executions: what <c>bench --only
/// shape</c> reports (a branch that is never or almost never taken is a blind spot of the search,
/// whatever the bug). Every branch of the ports turns on the result of one of the kernel's tests — a
/// <c>folio_try_get()</c>, the last <c>folio_put_testzero()</c>, a <c>folio_ref_freeze()</c>, a
/// <c>folio_trylock()</c>, a <c>list_empty()</c>, a page-flag test — so a branch is named by the
/// function that made the test, the test, and its result, read from the access that decides it and
/// the CPU's call stack. An observer: it never reports, and is attached only when asked for.
/// </summary>
public sealed class BranchCoverage : Oracle
{
    /// <summary>One branch: <paramref name="Function"/> made <paramref name="Test"/> and took the <paramref name="Outcome"/> side.</summary>
    /// <param name="Function">The calling kernel function (<c>deferred_split_scan</c>).</param>
    /// <param name="Test">The test (<c>folio_trylock()</c>, <c>folio_test(PG_partially_mapped)</c>).</param>
    /// <param name="Outcome">The result, in words (<c>true</c>, <c>false</c>, <c>last reference</c>).</param>
    /// <param name="Opposite">The other result of the same test, in words.</param>
    public readonly record struct Branch(string Function, string Test, string Outcome, string Opposite)
    {
        /// <summary>The other side of the same test.</summary>
        public Branch Other => new(Function, Test, Opposite, Outcome);

        /// <inheritdoc/>
        public override string ToString() => $"{Function}: {Test} {Outcome}";
    }

    /// <summary>A kernel test: the access that decides it and how to read the result.</summary>
    sealed record TestKind(AccessOp Op, string Name, Func<Access, ulong, Frame, bool> Outcome, string True, string False);

    static readonly Dictionary<int, TestKind> Tests = new()
    {
        [Fn.folio_try_get.Id] = new(AccessOp.AddUnless, "folio_try_get()", (_, old, _) => old != 0, "succeeds", "fails (refcount 0)"),
        [Fn.folio_put_testzero.Id] = new(AccessOp.AddReturn, "folio_put_testzero()", (_, v, _) => (int)v == 0, "drops the last reference", "not the last"),
        [Fn.folio_ref_sub_and_test.Id] = new(AccessOp.AddReturn, "folio_ref_sub_and_test()", (_, v, _) => (int)v == 0, "drops the last reference", "not the last"),
        [Fn.folio_ref_freeze.Id] = new(AccessOp.Cmpxchg, "folio_ref_freeze()", (a, old, _) => (uint)old == (uint)a.A, "freezes", "fails (other references)"),
        [Fn.folio_trylock.Id] = new(AccessOp.TestSetBitLock, "folio_trylock()", (_, old, _) => old == 0, "takes the lock", "fails (locked)"),
        [Fn.list_empty.Id] = new(AccessOp.Load, "list_empty()", (a, next, _) => (nint)next == a.Addr, "true", "false"),
        [Fn.folio_test_flag.Id] = new(AccessOp.Load, "folio_test()", (_, word, f) => (word >> (int)f.A1 & 1) != 0, "true", "false"),
    };

    const int PartiallyMappedFlag = 64;
    static readonly string[] FlagNames = ["PG_locked", "PG_large_rmappable"];

    readonly HashSet<(int Caller, int Test, int Flag, bool Outcome)> thisRun = [];
    readonly Dictionary<(int Caller, int Test, int Flag, bool Outcome), long> executions = [];

    /// <summary>Executions observed.</summary>
    public long Runs { get; private set; }

    /// <inheritdoc/>
    public override void Reset()
    {
        Flush();
        Runs++;
    }

    void Flush()
    {
        foreach (var k in thisRun)
            executions[k] = executions.GetValueOrDefault(k) + 1;
        thisRun.Clear();
    }

    /// <inheritdoc/>
    public override void AfterAccess(Cpu cpu, in Access access, int step)
    {
        int depth = cpu.Depth;
        if (depth < 2)
            return;
        ref readonly var top = ref cpu.Frames[depth - 1];
        if (!Tests.TryGetValue(top.FnId - 1, out var test) || access.Op != test.Op)
            return;
        bool outcome = test.Outcome(access, cpu.Result, top);
        // folio_test(): the flag word tells PG_partially_mapped (the second page's word) from the folio's own flags.
        int flag = top.FnId - 1 != Fn.folio_test_flag.Id ? -1
            : access.Addr - top.A0 == Offsets.FolioPartiallyMapped ? PartiallyMappedFlag : (int)top.A1;
        thisRun.Add((cpu.Frames[depth - 2].FnId - 1, top.FnId - 1, flag, outcome));
    }

    /// <summary>For each branch seen, the number of executions that took it at least once.</summary>
    public IReadOnlyDictionary<Branch, long> Taken()
    {
        Flush();
        return executions.ToDictionary(e => Name(e.Key), e => e.Value);
    }

    static Branch Name((int Caller, int Test, int Flag, bool Outcome) k)
    {
        var test = Tests[k.Test];
        string name = k.Flag switch
        {
            < 0 => test.Name,
            PartiallyMappedFlag => "folio_test_partially_mapped()",
            _ => $"folio_test({(k.Flag < FlagNames.Length ? FlagNames[k.Flag] : $"bit {k.Flag}")})",
        };
        return new Branch(KernelFunction.ById(k.Caller).Name, name, k.Outcome ? test.True : test.False, k.Outcome ? test.False : test.True);
    }
}
