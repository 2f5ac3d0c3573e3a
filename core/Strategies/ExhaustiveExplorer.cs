using System.Numerics;
using MmFuzz.Engine;

namespace MmFuzz.Strategies;

/// <summary>
/// Bounded exhaustive search: every schedule with at most <see cref="PreemptionBound"/> preemptions,
/// depth first, optionally with sleep-set partial-order reduction. Stateless: each execution replays
/// a prefix of the depth-first stack, takes the next untried CPU at the deepest node that has one,
/// then extends with the non-preempting default (the running CPU, else the lowest runnable one).
/// Use one instance for many <see cref="Machine.Run"/> calls until <see cref="Exhausted"/>.
/// </summary>
/// <remarks>
/// <para>
/// Preemption bounding is Musuvathi and Qadeer, "Iterative context bounding for systematic testing
/// of multithreaded programs" (PLDI 2007): switching away from a CPU that could continue costs one
/// preemption; switching when the running CPU finished or spins on a lock is free. The search here
/// explores the whole space up to the bound k directly (not bound 0, then 1, ...).
/// </para>
/// <para>
/// Reduction is Godefroid's sleep sets (LNCS 1032, 1996). Two steps are dependent when they are by
/// different CPUs and touch a common location, at least one of them writing it. A step's
/// locations are the 8-byte word of its access (lock operations and atomics count as writes, a
/// failed lock attempt too) and the oracle shadow that the access and the kernel code after it read
/// or write until the CPU's next announcement: object liveness (KASAN), list membership (the
/// wrong-lock oracle), the scan's stack-frame bookkeeping, and the words the page allocator's
/// free-time check reads. Steps are observed through <see cref="IFootprintSink"/>: a sleeping CPU is
/// compared with the footprint its pending step had when it was explored; that step cannot change
/// while the CPU does not run and every step since was independent of it.
/// </para>
/// <para>
/// Sleep sets and preemption bounding do not combine naively: the schedule a sleep set stands for
/// may need more preemptions than the one it prunes, so traces within the bound could be lost
/// (Musuvathi and Qadeer, MSR-TR-2007-12; Coons, Musuvathi and McKinley, "Bounded partial-order
/// reduction", OOPSLA 2013). Here only the running CPU's own continuation (the free choice at a node
/// where the running CPU could continue) is ever put to sleep for its siblings. If a pruned schedule
/// a·u·w·t·v (t the running CPU's step put to sleep at node a, u·w independent of t and not by t's
/// CPU) has at most k preemptions, then a·t·u·w·v has no more: moving t ahead removes the preemption
/// at a and the switch into t, and adds at most the switch out of t and the switch out of w's last
/// CPU, each of which replaces one removed. So the pruned schedule's Mazurkiewicz trace (its class
/// under swapping adjacent independent steps) is explored within the bound.
/// </para>
/// <para>
/// Guarantee, with or without reduction: every Mazurkiewicz trace that has a schedule with at most
/// k preemptions is explored through at least one schedule with at most k preemptions; hence every
/// final state, and every oracle report (kind and message), that such a schedule reaches is
/// reached. Without reduction every schedule with at most k preemptions is run exactly once.
/// Executions that end because every CPU allowed to run is asleep are abandoned
/// (<see cref="Verdict.Abandoned"/>): their continuations are covered elsewhere.
/// </para>
/// </remarks>
public sealed class ExhaustiveExplorer : ISchedulingStrategy, IFootprintSink
{
    const int MaxCpus = 8;

    // The depth-first stack: one node per step of the current execution (the state before that step).
    byte[] runnableMask = new byte[128];    // CPUs that can run at the node
    sbyte[] currentCpu = new sbyte[128];    // CPU of the previous step, -1 at the root
    int[] preemptionsBefore = new int[128]; // preemptions spent before the node
    byte[] chosen = new byte[128];          // CPU taken at the node in the current execution
    byte[] done = new byte[128];            // CPUs taken at the node so far (including chosen)
    byte[] sleep = new byte[128];           // sleeping CPUs at the node
    short[] sleepFrom = new short[128 * MaxCpus]; // per node and sleeping CPU: node whose footprint slot holds its pending step
    StepFootprint?[] footprints = new StepFootprint?[128 * MaxCpus]; // per node and CPU taken there: what its step touched

    int depth;          // nodes on the stack (steps of the last execution that chose a CPU)
    int replayTo = -1;  // node where the next execution takes a new CPU (prefix before it is replayed), -1 for the first
    StepFootprint? recording;

    /// <summary>Creates an explorer of all schedules with at most <paramref name="preemptionBound"/> preemptions.</summary>
    /// <param name="preemptionBound">k: the most preemptions a schedule may have.</param>
    /// <param name="reduction">Sleep-set partial-order reduction on (the default) or off (plain bounded search).</param>
    public ExhaustiveExplorer(int preemptionBound, bool reduction = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(preemptionBound);
        PreemptionBound = preemptionBound;
        Reduction = reduction;
    }

    /// <inheritdoc/>
    public string Name => "exhaustive";

    /// <summary>k: the most preemptions a schedule may have.</summary>
    public int PreemptionBound { get; }

    /// <summary>Whether sleep-set reduction is on.</summary>
    public bool Reduction { get; }

    /// <summary>True once every schedule of the bounded space has been covered; no further execution may be run.</summary>
    public bool Exhausted { get; private set; }

    /// <summary>Executions run (including abandoned ones).</summary>
    public long Executions { get; private set; }

    /// <summary>Executions abandoned because every CPU allowed to run was asleep (their continuations are covered elsewhere).</summary>
    public long SleepBlocked { get; private set; }

    /// <summary>Branches never taken because the CPU was asleep: each would have been at least one more execution.</summary>
    public long PrunedBranches { get; private set; }

    /// <summary>The most steps of any execution so far.</summary>
    public int MaxDepth { get; private set; }

    /// <inheritdoc/>
    public void StartRun(Machine machine)
    {
        if (Exhausted)
            throw new InvalidOperationException("the bounded schedule space is exhausted");
        if (machine.Cpus.Count > MaxCpus)
            throw new InvalidOperationException($"at most {MaxCpus} CPUs");
        machine.Footprint = Reduction ? this : null;
        recording = null;
        Executions++;
    }

    /// <inheritdoc/>
    public int NextCpu(Machine machine, ReadOnlySpan<int> runnable, int current, int step)
    {
        recording = null;
        int mask = 0;
        foreach (var c in runnable)
            mask |= 1 << c;
        int i = step;
        int cpu;
        if (i <= replayTo)
        {
            if (runnableMask[i] != mask || currentCpu[i] != current || preemptionsBefore[i] != machine.Preemptions)
                throw new InvalidOperationException(
                    $"step {i + 1}: replay of the search prefix diverged (runnable {runnableMask[i]:x} -> {mask:x}): the execution is not deterministic");
            cpu = chosen[i];
        }
        else
        {
            Grow(i + 1);
            runnableMask[i] = (byte)mask;
            currentCpu[i] = (sbyte)current;
            preemptionsBefore[i] = machine.Preemptions;
            sleep[i] = Reduction && i > 0 ? ChildSleep(i - 1, mask) : (byte)0;
            int allowed = Allowed(i);
            PrunedBranches += BitOperations.PopCount((uint)(allowed & sleep[i]));
            allowed &= ~sleep[i];
            if (allowed == 0)
            {
                SleepBlocked++;
                depth = i;
                return -1;
            }
            cpu = current >= 0 && (allowed & (1 << current)) != 0 ? current : BitOperations.TrailingZeroCount(allowed);
            chosen[i] = (byte)cpu;
            done[i] = (byte)(1 << cpu);
        }
        depth = i + 1;
        if (Reduction)
        {
            // A replayed step's footprint is the one recorded when the step was first taken (the
            // execution is deterministic): only new steps are recorded, and the machine reports no
            // access to the explorer while it replays.
            bool replayed = i < replayTo;
            machine.Footprint = replayed ? null : this;
            if (!replayed)
            {
                recording = footprints[i * MaxCpus + cpu] ??= new StepFootprint();
                recording.Clear();
            }
        }
        return cpu;
    }

    /// <inheritdoc/>
    public void Touch(long location, bool write) => recording?.Add(location, write);

    /// <inheritdoc/>
    public void EndRun(Machine machine, Outcome outcome)
    {
        recording = null;
        machine.Footprint = null;
        MaxDepth = Math.Max(MaxDepth, machine.Steps);
        if (outcome.Verdict != Verdict.Abandoned)
            depth = machine.Steps;
        Advance();
    }

    /// <summary>
    /// Moves to the next schedule: the deepest node of the stack with a CPU not yet taken, allowed by
    /// the bound and not asleep. Sets <see cref="Exhausted"/> when there is none. Called by
    /// <see cref="EndRun"/>.
    /// </summary>
    void Advance()
    {
        for (int i = depth - 1; i >= 0; i--)
        {
            int untried = Allowed(i) & ~done[i];
            if (Reduction)
                untried &= ~sleep[i];
            if (untried == 0)
                continue;
            int cpu = BitOperations.TrailingZeroCount(untried);
            chosen[i] = (byte)cpu;
            done[i] |= (byte)(1 << cpu);
            replayTo = i;
            return;
        }
        Exhausted = true;
    }

    /// <summary>CPUs the bound allows at node <paramref name="i"/>: the running CPU, others only while preemptions remain; any runnable CPU when the running one cannot continue.</summary>
    int Allowed(int i)
    {
        int mask = runnableMask[i];
        int cur = currentCpu[i];
        if (cur >= 0 && (mask & (1 << cur)) != 0 && preemptionsBefore[i] >= PreemptionBound)
            return 1 << cur;
        return mask;
    }

    /// <summary>
    /// The sleep set of the child of node <paramref name="p"/> through its chosen CPU: the CPUs asleep
    /// at <paramref name="p"/>, plus the running CPU if its continuation was already explored there,
    /// minus those whose pending step depends on the step just taken.
    /// </summary>
    byte ChildSleep(int p, int mask)
    {
        int taken = chosen[p];
        int candidates = sleep[p];
        int cur = currentCpu[p];
        if (cur >= 0 && cur != taken && (done[p] & (1 << cur)) != 0 && (runnableMask[p] & (1 << cur)) != 0)
            candidates |= 1 << cur;
        candidates &= ~(1 << taken) & mask;
        var step = footprints[p * MaxCpus + taken]!;
        int child = p + 1;
        int result = 0;
        while (candidates != 0)
        {
            int q = BitOperations.TrailingZeroCount(candidates);
            candidates &= candidates - 1;
            int from = (sleep[p] & (1 << q)) != 0 ? sleepFrom[p * MaxCpus + q] : p;
            if (footprints[from * MaxCpus + q]!.Independent(step))
            {
                result |= 1 << q;
                sleepFrom[child * MaxCpus + q] = (short)from;
            }
        }
        return (byte)result;
    }

    void Grow(int nodes)
    {
        if (nodes <= runnableMask.Length)
            return;
        if (nodes > short.MaxValue)
            throw new InvalidOperationException($"executions longer than {short.MaxValue} steps are not explored");
        int n = Math.Max(nodes, runnableMask.Length * 2);
        Array.Resize(ref runnableMask, n);
        Array.Resize(ref currentCpu, n);
        Array.Resize(ref preemptionsBefore, n);
        Array.Resize(ref chosen, n);
        Array.Resize(ref done, n);
        Array.Resize(ref sleep, n);
        Array.Resize(ref sleepFrom, n * MaxCpus);
        Array.Resize(ref footprints, n * MaxCpus);
    }

    /// <summary>The locations one step touched, each with whether it was written.</summary>
    sealed class StepFootprint
    {
        long[] locations = new long[8];
        bool[] writes = new bool[8];
        int count;

        public void Clear() => count = 0;

        public void Add(long location, bool write)
        {
            for (int i = 0; i < count; i++)
                if (locations[i] == location)
                {
                    writes[i] |= write;
                    return;
                }
            if (count == locations.Length)
            {
                Array.Resize(ref locations, count * 2);
                Array.Resize(ref writes, count * 2);
            }
            locations[count] = location;
            writes[count++] = write;
        }

        /// <summary>True when no location is touched by both with at least one write.</summary>
        public bool Independent(StepFootprint other)
        {
            for (int i = 0; i < count; i++)
                for (int j = 0; j < other.count; j++)
                    if (locations[i] == other.locations[j] && (writes[i] || other.writes[j]))
                        return false;
            return true;
        }
    }
}
