using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Memory;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using MmFuzz.Search;
using MmFuzz.Schedules;

namespace MmFuzz.Reports;

/// <summary>
/// Everything both report forms need about one failing (or clean) schedule, recorded by replaying it
/// once: the steps with their trace lines, the drawn lists before and after every step, the outcome,
/// the first step of the race and the field the oracle's finding points at.
/// </summary>
public sealed class Report
{
    /// <summary>The kernel state.</summary>
    public required Variant Variant { get; init; }

    /// <summary>The scenario.</summary>
    public required Scenario Scenario { get; init; }

    /// <summary>Oracles that were off.</summary>
    public required IReadOnlySet<BugKind> OraclesOff { get; init; }

    /// <summary>How the replay ended.</summary>
    public required Outcome Outcome { get; init; }

    /// <summary>The schedule.</summary>
    public required IReadOnlyList<ScheduleStep> Steps { get; init; }

    /// <summary>Preemptions in the schedule.</summary>
    public required int Preemptions { get; init; }

    /// <summary>The recorded steps.</summary>
    public required IReadOnlyList<TraceEvent> Events { get; init; }

    /// <summary>Per step: the program operation, the kernel action and the detail of the step's access (see <see cref="TraceFormatter.Describe"/>).</summary>
    public required IReadOnlyList<StepText> Texts { get; init; }

    /// <summary>Per step: the drawn field the step accessed, if any.</summary>
    public required IReadOnlyList<NodeField?> Accessed { get; init; }

    /// <summary>The drawn nodes (queue heads, on-stack lists, folios).</summary>
    public required IReadOnlyList<ListNode> Nodes { get; init; }

    /// <summary>The nodes' states: index 0 before the first step, index k after step k.</summary>
    public required IReadOnlyList<NodeState[]> States { get; init; }

    /// <summary>The column-per-CPU trace (<see cref="TraceFormatter.Format"/>).</summary>
    public required string Trace { get; init; }

    /// <summary>One note per step: the CPU's operation and the kernel action the step belongs to (a regression file's step comments).</summary>
    public required IReadOnlyList<string> StepNotes { get; init; }

    /// <summary>The field the oracle's finding points at (the stale pointer of a list corruption), if one can be named.</summary>
    public NodeField? Culprit { get; init; }

    /// <summary>
    /// The first step of the race: the first preempted step, or, in a schedule without preemptions,
    /// the first step of the operation during which the oracle fired (1-based; 1 when neither applies).
    /// </summary>
    public int RaceStart { get; init; }

    /// <summary>Replays <paramref name="finding"/>'s schedule and records its report.</summary>
    public static Report Record(Finding finding) => Record(finding.Variant, finding.Scenario, finding.Steps, finding.OraclesOff);

    /// <summary>Replays <paramref name="steps"/> of <paramref name="scenario"/> under <paramref name="variant"/> and records the report.</summary>
    /// <exception cref="ReplayDivergedException">The schedule does not fit the scenario.</exception>
    public static Report Record(Variant variant, Scenario scenario, IReadOnlyList<ScheduleStep> steps, IReadOnlySet<BugKind> oraclesOff)
    {
        using var sim = new Simulation(variant, scenario, oraclesOff);
        var world = sim.World;
        var memory = new MemoryStates(world);
        var recorder = new TraceRecorder(world, memory);
        sim.Machine.Observer = recorder;
        Outcome outcome;
        try
        {
            outcome = sim.Run(new ReplayStrategy(steps));
        }
        finally
        {
            sim.Machine.Observer = null;
        }
        var events = recorder.Events;
        var states = recorder.States.ToList();
        if (states.Count == 0)
            states.Add(memory.Capture());
        var texts = new StepText[events.Count];
        var accessed = new NodeField?[events.Count];
        for (int i = 0; i < events.Count; i++)
        {
            texts[i] = TraceFormatter.Describe(world, events, i);
            accessed[i] = FieldAt(world, memory, events[i].Access.Addr);
        }
        int raceStart = 1;
        int firstPreempted = events.ToList().FindIndex(e => e.Preempted);
        if (firstPreempted >= 0)
            raceStart = firstPreempted + 1;
        else if (outcome.IsBug && events.Count > 0)
        {
            var last = events[^1];
            int k = events.Count - 1;
            while (k > 0 && events[k - 1].Cpu == last.Cpu && events[k - 1].Pc == last.Pc)
                k--;
            raceStart = k + 1;
        }
        return new Report
        {
            Variant = variant,
            Scenario = scenario,
            OraclesOff = oraclesOff,
            Outcome = outcome,
            Steps = steps,
            Preemptions = sim.Machine.Preemptions,
            Events = events,
            Texts = texts,
            Accessed = accessed,
            Nodes = memory.Nodes,
            States = states,
            Trace = TraceFormatter.Format(world, events, outcome),
            RaceStart = raceStart,
            StepNotes = events.Select(e => TraceFormatter.StepNote(world, e)).ToArray(),
            Culprit = FindCulprit(outcome, accessed, memory.Nodes, states[^1]),
        };
    }

    static NodeField? FieldAt(World world, MemoryStates memory, nint addr)
    {
        var info = world.Arena.Classify(addr);
        if (info.Object < 0)
            return null;
        int node = memory.NodeOfObject(info.Object);
        if (node < 0)
            return null;
        string? field = info.Field switch
        {
            FieldKind.ListNext => "next",
            FieldKind.ListPrev => "prev",
            FieldKind.Refcount => "ref",
            FieldKind.Flags => "flags",
            FieldKind.MemcgData => "memcg",
            FieldKind.QueueLen => "len",
            FieldKind.SpinLock => "lock",
            _ => null,
        };
        return field is null ? null : new NodeField(node, field);
    }

    /// <summary>
    /// The field the finding points at. An oracle that fired on a CPU points at the field that CPU
    /// accessed last (the pointer a CONFIG_DEBUG_LIST check read, the word written without the lock,
    /// the freed folio's field), except that a "->prev is NULL/LIST_POISON2" check read <c>next</c>
    /// last and blames <c>prev</c>. A quiescence finding is found again by walking the final state the
    /// way the quiescence oracle walks the arena; a lost deferred split points at the folio's
    /// PG_partially_mapped (its flags), a freed, lost or leaked folio at its <c>_refcount</c>. A data
    /// race points at the raced word.
    /// </summary>
    static NodeField? FindCulprit(Outcome outcome, NodeField?[] accessed, IReadOnlyList<ListNode> nodes, NodeState[] final)
    {
        if (!outcome.IsBug || accessed.Length == 0)
            return null;
        if (outcome.Kind == BugKind.DataRace)
        {
            // "... by cpu2 at step 50, write by cpu3 at step 67": the raced word, as the later access touched it.
            var steps = System.Text.RegularExpressions.Regex.Matches(outcome.Message, "at step (\\d+)");
            return steps.Count > 0 && int.TryParse(steps[^1].Groups[1].Value, out var n) && n >= 1 && n <= accessed.Length ? accessed[n - 1] : null;
        }
        if (outcome.Cpu > 0)
        {
            var last = accessed[^1];
            if (last is { } f && f.Field == "next" && outcome.Message.Contains("->prev is", StringComparison.Ordinal))
                return f with { Field = "prev" };
            return last;
        }
        return WalkFinal(outcome, nodes, final);
    }

    /// <summary>The quiescence oracle's walk (World.CheckQuiescence), over the recorded final state.</summary>
    static NodeField? WalkFinal(Outcome outcome, IReadOnlyList<ListNode> nodes, NodeState[] s)
    {
        var reachable = new bool[nodes.Count];
        for (int q = 0; q < nodes.Count; q++)
        {
            if (nodes[q].Kind != NodeKind.Queue)
                continue;
            int cur = q;
            long count = 0;
            for (int guard = 0; guard <= nodes.Count + 1; guard++)
            {
                int next = s[cur].Next.Node;
                if (next < 0 || s[next].Live != Liveness.Live)
                    return new NodeField(cur, "next");
                if (s[next].Prev.Node != cur)
                    return new NodeField(next, "prev");
                if (next == q)
                {
                    if (s[q].Len != count)
                        return new NodeField(q, "len");
                    break;
                }
                if (nodes[next].Kind != NodeKind.Folio)
                    return new NodeField(cur, "next");
                reachable[next] = true;
                count++;
                cur = next;
            }
        }
        for (int i = 0; i < nodes.Count; i++)
        {
            if (nodes[i].Kind != NodeKind.Folio)
                continue;
            // "A is partially mapped (PG_partially_mapped) but on no ..." names the flag; "A was freed
            // while ..." (refcount), "A lost: ...", "A leaked: ..." (accounting) name the refcount.
            if (outcome.Kind != BugKind.ListCorruption && outcome.Message.StartsWith($"at quiescence: {nodes[i].Name} ", StringComparison.Ordinal))
                return new NodeField(i, outcome.Kind == BugKind.LostDeferredSplit ? "flags" : "ref");
            if (s[i].Live == Liveness.Freed)
                continue;
            if (s[i].Next.Node != i && s[i].Next.Symbol != "LIST_POISON1" && !reachable[i])
                return new NodeField(i, "next");
        }
        return null;
    }
}
