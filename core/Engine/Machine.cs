using System.Diagnostics;
using MmFuzz.Memory;

namespace MmFuzz.Engine;

/// <summary>
/// Runs one scenario's CPUs over one arena under a scheduling strategy. Each step: the strategy picks
/// a runnable CPU, the machine validates and performs that CPU's announced access (oracles watch
/// it), then resumes the CPU's kernel code until its next announcement. Deterministic: the same
/// scenario and the same choices give the same steps, bit for bit.
/// </summary>
public sealed partial class Machine
{
    /// <summary>Default step bound of one execution (<see cref="MaxSteps"/>).</summary>
    public const int DefaultMaxSteps = 20_000;

    readonly Cpu[] cpus;
    readonly int[] runnable;
    int runnableCount = -1;                   // entries of runnable that are valid; -1: recompute
    IMachineHost host = null!;
    Outcome? outcome;
    byte[] choices = new byte[1024];
    AccessOp[] ops = new AccessOp[1024];
    int steps;
    int preemptions;
    SimRuntime runtime = SimRuntime.ForCurrentThread;
    // The attached oracles, and per hook the ones that override it (so a hook nobody watches costs nothing).
    Oracle[] oracles = [], afterAccess = [], badAccess = [], tracepoints = [], cpuDone = [], stepBound = [], atEnd = [];
    Oracle[][] beforeWrite = [];             // per AccessOp: the oracles that watch writes of that operation

    /// <summary>Creates a machine with <paramref name="cpuCount"/> CPUs over <paramref name="arena"/>.</summary>
    public Machine(Arena arena, int cpuCount)
    {
        if (cpuCount is < 1 or > 8)
            throw new ArgumentOutOfRangeException(nameof(cpuCount), "1 to 8 CPUs");
        Arena = arena;
        cpus = new Cpu[cpuCount];
        for (int i = 0; i < cpuCount; i++)
            cpus[i] = new Cpu(this, i) { Runtime = runtime };
        runnable = new int[cpuCount];
    }

    /// <summary>
    /// Attaches the simulated system and its oracles (done once, by whoever builds the system). The
    /// oracles are called in this order; the first report wins.
    /// </summary>
    public void Attach(IMachineHost system, IEnumerable<Oracle> watching)
    {
        host = system;
        oracles = [.. watching];
        foreach (var o in oracles)
            o.Machine = this;
        Oracle[] Overriding(string hook) => [.. oracles.Where(o => Overrides(o.GetType(), hook))];
        var writers = Overriding(nameof(Oracle.BeforeWrite));
        beforeWrite = [.. Enum.GetValues<AccessOp>().Select(op => (Oracle[])[.. writers.Where(o => op != AccessOp.Load && o.WatchesWrite(op))])];
        afterAccess = Overriding(nameof(Oracle.AfterAccess));
        badAccess = Overriding(nameof(Oracle.OnBadAccess));
        tracepoints = Overriding(nameof(Oracle.OnTracepoint));
        cpuDone = Overriding(nameof(Oracle.OnCpuDone));
        stepBound = Overriding(nameof(Oracle.OnStepBound));
        atEnd = Overriding(nameof(Oracle.AtEnd));
    }

    static readonly System.Collections.Concurrent.ConcurrentDictionary<(Type, string), bool> overrides = new();

    /// <summary>Whether oracle type <paramref name="type"/> overrides <paramref name="hook"/> (asked by reflection once per type).</summary>
    static bool Overrides(Type type, string hook) =>
        overrides.GetOrAdd((type, hook), k => k.Item1.GetMethod(k.Item2)!.DeclaringType != typeof(Oracle));

    /// <summary>The attached oracles, in the order they are called.</summary>
    public IReadOnlyList<Oracle> Oracles => oracles;

    /// <summary>A short symbolic name for an address or pointer value, from the simulated system.</summary>
    public string Symbol(nint addr) => host.Symbol(addr);

    /// <summary>The machine's memory.</summary>
    public Arena Arena { get; }

    /// <summary>The simulated CPUs.</summary>
    public IReadOnlyList<Cpu> Cpus => cpus;

    /// <summary>The step bound of one execution.</summary>
    public int MaxSteps { get; set; } = DefaultMaxSteps;

    /// <summary>Steps executed so far in the current execution.</summary>
    public int Steps => steps;

    /// <summary>Preemptions so far: switches away from a CPU that could have continued.</summary>
    public int Preemptions => preemptions;

    /// <summary>CPU index chosen at each step of the last execution.</summary>
    public ReadOnlySpan<byte> Choices => choices.AsSpan(0, steps);

    /// <summary>Operation performed at each step of the last execution.</summary>
    public ReadOnlySpan<AccessOp> Ops => ops.AsSpan(0, steps);

    /// <summary>Receives every step when set (used to print traces; off on the fast path).</summary>
    public IStepObserver? Observer { get; set; }

    /// <summary>
    /// Receives what each step touches (the accessed word and the oracle shadow) when set; used by
    /// partial-order reduction. Off (null) on the fast path.
    /// </summary>
    public IFootprintSink? Footprint { get; set; }

    /// <summary>Whether an oracle has fired in the current execution.</summary>
    public bool Stopped => outcome is not null;

    /// <summary>Records a kernel bug found on <paramref name="cpu"/> and stops the execution.</summary>
    public void Report(BugKind kind, string message, Cpu? cpu)
    {
        if (outcome is not null)
            return;
        outcome = new Outcome(Verdict.Bug, kind, message, steps, cpu?.Number ?? 0) { Where = cpu?.CallChain };
        if (cpu is not null)
            cpu.State = CpuState.Halted;
    }

    /// <summary>Records a kernel bug seen at the end of the execution on the CPU numbered <paramref name="cpuNumber"/> (1-based; 0 for none), which has already stopped.</summary>
    public void Report(BugKind kind, string message, int cpuNumber) =>
        outcome ??= new Outcome(Verdict.Bug, kind, message, steps, cpuNumber);

    /// <summary>Runs one execution from the initial state, then tells the strategy how it ended.</summary>
    public Outcome Run(ISchedulingStrategy strategy)
    {
        Outcome result;
        try
        {
            result = RunCore(strategy);
        }
        catch (Exception e) when (e is not ReplayDivergedException)
        {
            result = new Outcome(Verdict.HarnessError, BugKind.None, $"simulator exception (a bug of MmFuzz, not of the kernel): {e}", steps, 0);
        }
        strategy.EndRun(this, result);
        return result;
    }

    Outcome RunCore(ISchedulingStrategy strategy)
    {
        Reset();
        strategy.StartRun(this);
        foreach (var cpu in cpus)
        {
            cpu.Program = host.StartProgram(cpu);
            AfterResume(cpu);
            if (outcome is not null)
                return outcome;
        }
        int current = -1;
        while (true)
        {
            int n = CollectRunnable();
            if (n == 0)
                return Finish();
            int c = strategy.NextCpu(this, runnable.AsSpan(0, n), current, steps);
            if (c < 0)
                return Outcome.Abandoned(steps);
            var cpu = cpus[c];
            Debug.Assert(cpu.State == CpuState.Runnable, "strategy chose a CPU that cannot run");
            if (current >= 0 && c != current && cpus[current].State == CpuState.Runnable)
                preemptions++;
            current = c;
            Record(c, cpu.Pending.Op);
            Observer?.BeforeStep(this, cpu, steps - 1);
            if (!Execute(cpu))
            {
                Observer?.AfterStep(this, cpu, steps - 1);
                if (outcome is not null)
                    return outcome;
                continue;           // a failed lock attempt: the CPU now spins on the same access
            }
            Observer?.AfterStep(this, cpu, steps - 1);
            if (outcome is not null)
                return outcome;
            var resume = cpu.Resume!;
            cpu.Resume = null;
            resume();
            AfterResume(cpu);
            if (outcome is not null)
                return outcome;
            if (steps >= MaxSteps)
                return StepBoundReached();
        }
    }

    void AfterResume(Cpu cpu)
    {
        if (cpu.Resume is not null || outcome is not null)
            return;
        if (!cpu.Program.IsCompleted)
            throw new InvalidOperationException($"CPU {cpu.Number} suspended without announcing an access (a port awaited something that is not a Step)");
        cpu.State = CpuState.Done;
        foreach (var o in cpuDone)
            if (outcome is null)
                o.OnCpuDone(cpu);
    }

    /// <summary>A CPU changed state: the runnable set is recomputed before the next step.</summary>
    internal void RunnableChanged() => runnableCount = -1;

    /// <summary>The runnable CPUs, in index order; recomputed only after a CPU changed state (most steps change none).</summary>
    int CollectRunnable()
    {
        if (runnableCount >= 0)
            return runnableCount;
        int n = 0;
        for (int i = 0; i < cpus.Length; i++)
            if (cpus[i].State == CpuState.Runnable)
                runnable[n++] = i;
        return runnableCount = n;
    }

    Outcome Finish()
    {
        foreach (var o in atEnd)
            if (!o.AtEnd())
                return outcome ?? throw new InvalidOperationException($"{o.GetType().Name} failed at the end of the run without a report");
        return Outcome.Ok(steps);
    }

    Outcome StepBoundReached()
    {
        foreach (var o in stepBound)
            if (outcome is null)
                o.OnStepBound();
        return outcome ?? throw new InvalidOperationException($"step bound {MaxSteps} exceeded and no oracle reported it");
    }

    /// <summary>
    /// Fires <paramref name="tracepoint"/> on <paramref name="cpu"/>: every oracle that watches
    /// tracepoints sees it, also after one of them reported (<see cref="Stopped"/>), so that each
    /// still records what the step touched.
    /// </summary>
    public void Tracepoint(Cpu cpu, Tracepoint tracepoint, nint a0 = 0, nint a1 = 0)
    {
        foreach (var o in tracepoints)
            o.OnTracepoint(cpu, tracepoint, a0, a1);
    }

    void Record(int cpu, AccessOp op)
    {
        if (steps == choices.Length)
        {
            Array.Resize(ref choices, choices.Length * 2);
            Array.Resize(ref ops, ops.Length * 2);
        }
        choices[steps] = (byte)cpu;
        ops[steps] = op;
        steps++;
    }

    void Reset()
    {
        // The functions the last execution left suspended give their boxes back (the others did
        // as they returned). A machine that moved to another thread takes that thread's runtime;
        // boxes of the old one are left to the GC.
        if (runtime.Thread != Environment.CurrentManagedThreadId)
        {
            runtime = SimRuntime.ForCurrentThread;
            foreach (var cpu in cpus)
                cpu.Runtime = runtime;
        }
        foreach (var cpu in cpus)
        {
            runtime.Reclaim(cpu.Resume);
            runtime.Reclaim(cpu.Parked);
            runtime.Reclaim(cpu.Program.Box);
        }
        Arena.Reset();
        foreach (var cpu in cpus)
            cpu.Reset();
        outcome = null;
        steps = 0;
        preemptions = 0;
        foreach (var o in oracles)
            o.Reset();
    }
}
