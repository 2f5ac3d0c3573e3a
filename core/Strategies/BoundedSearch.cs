using MmFuzz.Engine;

namespace MmFuzz.Strategies;

/// <summary>
/// Bounded exhaustive search by preemption bounding (Musuvathi and Qadeer, "Iterative context
/// bounding for systematic testing of multithreaded programs", PLDI 2007): every schedule with at
/// most <see cref="Bound"/> preemptions, depth first, each explored once. Stateless: every execution
/// replays a prefix of choices, then continues without preempting (the running CPU goes on; when it
/// cannot, the lowest-numbered runnable one).
/// <para>
/// With <c>reduction</c>, sleep sets (Godefroid, "Partial-Order Methods for the Verification of
/// Concurrent Systems", 1996) prune schedules that only reorder independent steps: two CPUs' next
/// steps are independent when they touch different 8-byte words, or both only read. A CPU whose
/// step was explored at a node sleeps in the siblings explored after it until a dependent step runs;
/// an execution in which every runnable CPU sleeps is abandoned (<see cref="Verdict.Abandoned"/>).
/// Without a bound this explores at least one schedule of every Mazurkiewicz trace (every final
/// state and every bug is reached). With a preemption bound it is not complete: the schedule of a
/// trace that the sleep sets keep may need more preemptions than the one they pruned (Coons,
/// Musuvathi, McKinley, "Bounded partial-order reduction", OOPSLA 2013). <c>verify</c> therefore
/// runs without it; the benchmark reports what it saves.
/// </para>
/// Use: <c>do { machine.Run(search); ... } while (search.Advance());</c>
/// </summary>
public sealed class BoundedSearch(int bound, bool reduction = false) : ISchedulingStrategy
{
    const int MaxCpus = 8;

    struct Node
    {
        public byte Chosen;
        public byte Current;          // CPU of the previous step, 255 at the first step
        public byte Runnable;         // bit set
        public byte Tried;            // bit set
        public byte Sleep;            // bit set: CPUs asleep on arrival (reduction)
        public byte Writes;           // bit set: the CPU's pending step writes
        public byte PreemptionsBefore;
    }

    Node[] nodes = new Node[256];
    long[] words = new long[256 * MaxCpus];     // per node and CPU: the 8-byte word its pending step touches
    int count;           // nodes of the last execution
    int prefix;          // nodes replayed at the start of the next execution

    /// <summary>The preemption bound.</summary>
    public int Bound { get; } = bound;

    /// <summary>Whether sleep-set reduction is on.</summary>
    public bool Reduction { get; } = reduction;

    /// <summary>Executions started (pruned ones included).</summary>
    public long Executions { get; private set; }

    /// <summary>Executions abandoned by the reduction part-way (equivalent to explored ones).</summary>
    public long Pruned { get; private set; }

    /// <summary>True once every schedule within the bound has been explored.</summary>
    public bool Exhausted { get; private set; }

    /// <inheritdoc/>
    public string Name => Reduction ? "exhaustive+sleep-sets" : "exhaustive";

    /// <inheritdoc/>
    public void StartRun(Machine machine)
    {
        count = 0;
        Executions++;
    }

    /// <inheritdoc/>
    public int NextCpu(Machine machine, ReadOnlySpan<int> runnable, int current, int step)
    {
        if (step == nodes.Length)
        {
            Array.Resize(ref nodes, nodes.Length * 2);
            Array.Resize(ref words, words.Length * 2);
        }
        byte mask = 0;
        foreach (var c in runnable)
            mask |= (byte)(1 << c);
        ref var node = ref nodes[step];
        count = step + 1;
        if (step < prefix)
        {
            if ((mask & (1 << node.Chosen)) == 0)
                throw new ReplayDivergedException($"step {step + 1}: bounded search replayed CPU {node.Chosen + 1}, which cannot run (the execution is not deterministic)");
            return node.Chosen;
        }
        int before = 0;
        byte sleep = 0;
        if (step > 0)
        {
            ref var parent = ref nodes[step - 1];
            before = parent.PreemptionsBefore + (Preempted(parent) ? 1 : 0);
            if (Reduction)
                sleep = ChildSleep(step - 1);
        }
        byte writes = 0;
        foreach (var c in runnable)
        {
            ref readonly var a = ref machine.Cpus[c].PendingAccess;
            words[step * MaxCpus + c] = (long)a.Addr >> 3;
            if (a.Writes)
                writes |= (byte)(1 << c);
        }
        int awake = mask & ~sleep;
        int choice;
        if (awake == 0)
        {
            Pruned++;
            choice = -1;                                  // every continuation is equivalent to an explored one
        }
        else if (current >= 0 && (awake & (1 << current)) != 0)
            choice = current;
        else if (current >= 0 && (mask & (1 << current)) != 0 && before + 1 > Bound)
            choice = -1;                                  // the running CPU sleeps and a switch would exceed the bound
        else
            choice = System.Numerics.BitOperations.TrailingZeroCount(awake);
        if (choice < 0)
        {
            node = new Node { Chosen = 255, Runnable = mask, Tried = mask, Sleep = sleep, Writes = writes, PreemptionsBefore = (byte)before,
                Current = (byte)(current < 0 ? 255 : current) };
            return -1;
        }
        node = new Node
        {
            Chosen = (byte)choice, Current = (byte)(current < 0 ? 255 : current), Runnable = mask,
            Tried = (byte)(1 << choice), Sleep = sleep, Writes = writes, PreemptionsBefore = (byte)before,
        };
        return choice;
    }

    /// <summary>The sleep set on arrival after node <paramref name="j"/>'s choice: what slept there or was explored before it, and is independent of it.</summary>
    byte ChildSleep(int j)
    {
        ref var n = ref nodes[j];
        int t = n.Chosen;
        int candidates = (n.Sleep | n.Tried) & ~(1 << t) & n.Runnable;
        byte result = 0;
        for (int s = 0; s < MaxCpus; s++)
            if ((candidates & (1 << s)) != 0 && Independent(j, s, t))
                result |= (byte)(1 << s);
        return result;
    }

    bool Independent(int j, int s, int t)
    {
        ref var n = ref nodes[j];
        if (words[j * MaxCpus + s] != words[j * MaxCpus + t])
            return true;
        return (n.Writes & ((1 << s) | (1 << t))) == 0;
    }

    static bool Preempted(in Node n) => n.Current != 255 && n.Chosen != n.Current && (n.Runnable & (1 << n.Current)) != 0;

    /// <summary>Moves to the next unexplored schedule; false (and <see cref="Exhausted"/>) when there is none.</summary>
    public bool Advance()
    {
        for (int j = count - 1; j >= 0; j--)
        {
            ref var n = ref nodes[j];
            for (int c = 0; c < MaxCpus; c++)
            {
                int bit = 1 << c;
                if ((n.Runnable & bit) == 0 || (n.Tried & bit) != 0 || (n.Sleep & bit) != 0)
                    continue;
                bool preempts = n.Current != 255 && c != n.Current && (n.Runnable & (1 << n.Current)) != 0;
                if (n.PreemptionsBefore + (preempts ? 1 : 0) > Bound)
                    continue;
                n.Tried |= (byte)bit;
                n.Chosen = (byte)c;
                prefix = j + 1;
                return true;
            }
        }
        Exhausted = true;
        return false;
    }
}
