using MmFuzz.Engine;

namespace MmFuzz.Strategies;

/// <summary>
/// Bounded exhaustive search by preemption bounding (Musuvathi and Qadeer, "Iterative context
/// bounding for systematic testing of multithreaded programs", PLDI 2007): every schedule with at
/// most <see cref="Bound"/> preemptions, depth first, each explored once. Stateless: every execution
/// replays a prefix of choices, then continues without preempting (the running CPU goes on; when it
/// cannot, the lowest-numbered runnable one). No partial-order reduction yet: schedules that only
/// reorder independent steps are each explored.
/// Use: <c>do { machine.Run(search); ... } while (search.Advance());</c>
/// </summary>
public sealed class BoundedSearch(int bound) : ISchedulingStrategy
{
    struct Node
    {
        public byte Chosen;
        public byte Current;          // CPU of the previous step, 255 at the first step
        public byte Runnable;         // bit set
        public byte Tried;            // bit set
        public byte PreemptionsBefore;
    }

    Node[] nodes = new Node[256];
    int count;           // nodes of the last execution
    int prefix;          // nodes replayed at the start of the next execution

    /// <summary>The preemption bound.</summary>
    public int Bound { get; } = bound;

    /// <summary>Executions started.</summary>
    public long Executions { get; private set; }

    /// <summary>True once every schedule within the bound has been explored.</summary>
    public bool Exhausted { get; private set; }

    /// <inheritdoc/>
    public string Name => "exhaustive";

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
            Array.Resize(ref nodes, nodes.Length * 2);
        byte mask = 0;
        foreach (var c in runnable)
            mask |= (byte)(1 << c);
        ref var node = ref nodes[step];
        if (step < prefix)
        {
            if ((mask & (1 << node.Chosen)) == 0)
                throw new ReplayDivergedException($"step {step + 1}: bounded search replayed CPU {node.Chosen + 1}, which cannot run (the execution is not deterministic)");
            count = step + 1;
            return node.Chosen;
        }
        int before = step == 0 ? 0 : nodes[step - 1].PreemptionsBefore + (Preempted(nodes[step - 1]) ? 1 : 0);
        int choice = current >= 0 && (mask & (1 << current)) != 0 ? current : runnable[0];
        node = new Node
        {
            Chosen = (byte)choice, Current = (byte)(current < 0 ? 255 : current), Runnable = mask,
            Tried = (byte)(1 << choice), PreemptionsBefore = (byte)before,
        };
        count = step + 1;
        return choice;
    }

    static bool Preempted(in Node n) => n.Current != 255 && n.Chosen != n.Current && (n.Runnable & (1 << n.Current)) != 0;

    /// <summary>Moves to the next unexplored schedule; false (and <see cref="Exhausted"/>) when there is none.</summary>
    public bool Advance()
    {
        for (int j = count - 1; j >= 0; j--)
        {
            ref var n = ref nodes[j];
            for (int c = 0; c < 8; c++)
            {
                int bit = 1 << c;
                if ((n.Runnable & bit) == 0 || (n.Tried & bit) != 0)
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
