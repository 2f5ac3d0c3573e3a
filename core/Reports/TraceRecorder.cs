using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Memory;

namespace MmFuzz.Reports;

/// <summary>
/// Records every step of an execution (attach as <see cref="Machine.Observer"/> for a re-run), and
/// with <paramref name="snapshots"/> the drawn lists' state before the first step and after each step.
/// </summary>
public sealed class TraceRecorder(World world, MemoryStates? snapshots = null) : IStepObserver
{
    readonly List<TraceEvent> events = new();
    readonly List<NodeState[]> states = new();
    IReadOnlyList<string> held = [];
    Access access;
    ulong before;
    int last = -1;
    bool preempted;

    /// <summary>The recorded steps.</summary>
    public IReadOnlyList<TraceEvent> Events => events;

    /// <summary>With snapshots: the state before step 1 (index 0) and after each step (index = step number).</summary>
    public IReadOnlyList<NodeState[]> States => states;

    /// <inheritdoc/>
    public void BeforeStep(Machine machine, Cpu cpu, int step)
    {
        if (snapshots is not null && states.Count == 0)
            states.Add(snapshots.Capture());
        access = cpu.PendingAccess;
        held = cpu.HeldCount == 0 ? [] : cpu.Held.ToArray().Select(world.Symbols.Symbol).ToArray();
        before = Peek(access.Addr, access.Width);
        preempted = last >= 0 && last != cpu.Index && machine.Cpus[last].State == CpuState.Runnable;
        last = cpu.Index;
    }

    /// <inheritdoc/>
    public void AfterStep(Machine machine, Cpu cpu, int step)
    {
        ref readonly var frame = ref cpu.ActionFrame;
        var program = world.Scenario.Cpus[cpu.Index];
        string operation = program.Length == 0 ? "(code)" : Describe(program[Math.Min(cpu.Pc, program.Length - 1)]);
        events.Add(new TraceEvent(step, cpu.Index, cpu.Pc, operation, frame.Fn ?? Fn.program, frame.A0, frame.A1, frame.Seq,
            access, before, Peek(access.Addr, access.Width), cpu.State == CpuState.Spinning, preempted)
        { Held = held });
        if (snapshots is not null)
            states.Add(snapshots.Capture(Stopped(access, Peek(access.Addr, access.Width))));
    }

    /// <summary>
    /// The store of a step an oracle stopped before it reached memory (lockdep's WARNING on a store
    /// without the queue's lock, spinlock debugging's wrong-CPU unlock, a store to a freed folio), or
    /// null when the step's writes are in the arena. The timeline shows such a store as made
    /// ("A.next=B", "released"), and so does the drawing after the step. An atomic the oracle stopped
    /// is shown by its value read back ("ref 0 (unchanged)"), so it is left out here too.
    /// </summary>
    static PendingStore? Stopped(in Access a, ulong after)
    {
        ulong? meant = a.Op switch
        {
            AccessOp.Store => a.A,
            AccessOp.SpinUnlock => 0,
            _ => null,
        };
        if (meant is not { } v)
            return null;
        if (a.Width < 8)
            v &= (1UL << (8 * a.Width)) - 1;
        return v == after ? null : new PendingStore(a.Addr, a.Width, v);
    }

    ulong Peek(nint addr, int width)
    {
        var info = world.Arena.Classify(addr);
        return info.Object >= 0 ? world.Arena.Read(addr, width) : 0;
    }

    string Describe(Scenarios.Op op) => op.Kind switch
    {
        Scenarios.OpKind.Scan => $"deferred_split_scan({op.Queue.ToString().ToLowerInvariant()}, nr_to_scan={op.NrToScan})",
        Scenarios.OpKind.FolioPut => $"folio_put({Names(op)})",
        Scenarios.OpKind.FoliosPutRefs => $"folios_put_refs([{Names(op)}])",
        Scenarios.OpKind.FolioGet => $"folio_get({Names(op)})",
        Scenarios.OpKind.FolioLock => $"folio_lock({Names(op)})",
        Scenarios.OpKind.FolioUnlock => $"folio_unlock({Names(op)})",
        Scenarios.OpKind.DeferredSplitFolio => $"deferred_split_folio({Names(op)}{(op.PartiallyMapped ? ", partially_mapped" : "")})",
        Scenarios.OpKind.SplitFolio => $"split_folio({Names(op)})",
        Scenarios.OpKind.MigrateFolio => $"migrate_folio({Names(op)})",
        Scenarios.OpKind.Swapout => $"shrink_folio_list({Names(op)})",
        Scenarios.OpKind.MoveCharge => $"mem_cgroup_move_charge_pte_range({Names(op)}, to {Scenarios.ScenarioText.QueueName(op.Queue)})",
        Scenarios.OpKind.MemcgOffline => $"memcg_offline({op.Queue.ToString().ToLowerInvariant()})",
        Scenarios.OpKind.Unmap => $"zap_pte_range({Names(op)})",
        _ => op.Kind.ToString(),
    };

    string Names(Scenarios.Op op) => string.Join(", ", op.Folios.Select(f => world.Scenario.Folios[f].Name));
}
