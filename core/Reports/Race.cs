using System.Text.RegularExpressions;
using MmFuzz.Engine;

namespace MmFuzz.Reports;

/// <summary>
/// One side of a race: the kernel function a CPU was running (its operation's outermost function, as
/// <see cref="Outcome.Where"/> names it) and the statement it was at (the kernel action of the step).
/// </summary>
/// <param name="Cpu">The CPU (1-based) in the finding's trace.</param>
/// <param name="Function">The kernel function ("deferred_split_scan", "folio_put").</param>
/// <param name="Statement">The statement ("list_del_init", "split_queue_len--").</param>
/// <param name="Step">The step (1-based) of the access.</param>
public sealed record RaceSide(int Cpu, string Function, string Statement, int Step)
{
    /// <summary>"function > statement", or the function alone when it is the statement (the kernel's call-chain form).</summary>
    public string Name => Function == Statement ? Function : $"{Function} > {Statement}";
}

/// <summary>
/// What a kernel developer calls one bug, as syzbot groups crashes by title: the kind the oracle
/// reported and the pair of racing accesses, read from the minimal trace. Two findings with the same
/// <see cref="Key"/> are the same bug, whatever their scenarios and masked signatures.
/// </summary>
/// <remarks>
/// <para>The accesses: the bug's own access, and the other CPU's access it races with.</para>
/// <list type="bullet">
/// <item>A data race names both steps in its message ("... by cpu1 at step 45, read by cpu2 at step 55").</item>
/// <item>An oracle that fired on a CPU: that CPU's last step. A finding at the end of the run: the last
/// write to the field the finding points at (<see cref="Report.Culprit"/>: the queue's count, the
/// folio's refcount or flags, the list pointer).</item>
/// <item>The other side: the last access, by another CPU, to the same field of the same object
/// (a list's <c>next</c> and <c>prev</c> count as one field) in an operation still running when the
/// bug's operation began. An access of an operation that ended before is serial, not a race; when
/// there is none the bug is one CPU's (the free after a move of the charge, under the wrong memcg's
/// lock) and the race has one side.</item>
/// </list>
/// <para>The CPUs' numbers and the objects' names do not count: the same two statements racing on A or
/// on B, on memcg1's queue or node0's, are one bug. A bug of one CPU has no second access to tell it
/// apart, so its statement is qualified by what it went wrong on (<see cref="Qualifier"/>): the lock
/// it held (a wrong-lock: the node's lock after an uncharge, a memcg's lock after a move of the
/// charge, none), else the kind of object the finding points at (the node's queue, a memcg's queue).</para>
/// </remarks>
/// <param name="Kind">The kind the oracle reported.</param>
/// <param name="Sides">The bug's own access first, then the one it races with, if any.</param>
/// <param name="Qualifier">For a bug of one CPU: what it went wrong on ("holding the node's lock", "on a memcg's queue"); else null.</param>
public sealed partial record Race(BugKind Kind, IReadOnlyList<RaceSide> Sides, string? Qualifier = null)
{
    [GeneratedRegex(@"at step (\d+)")]
    private static partial Regex StepNumbers();

    [GeneratedRegex(@" holding (no lock|[a-z]+(?=\d*\.\S+$))")]
    private static partial Regex Holding();

    /// <summary>The sides' names in order ("a / b"), the same whichever CPU ran which.</summary>
    public string Accesses => string.Join(" / ", Sides.Select(s => s.Name).Order(StringComparer.Ordinal));

    /// <summary>The kernel functions whose accesses race, in order ("deferred_split_folio / deferred_split_scan", "deferred_split_scan / deferred_split_scan" for two scans); one when the bug is one CPU's.</summary>
    public string Functions => string.Join(" / ", Sides.Select(s => s.Function).Order(StringComparer.Ordinal));

    /// <summary>The functions and, for one CPU's bug, what it went wrong on ("folio_put, holding a memcg's lock").</summary>
    public string Described => Qualifier is null ? Functions : $"{Functions}, {Qualifier}";

    /// <summary>What makes two findings one bug: the kind and the racing accesses (and, for one CPU's bug, what it went wrong on).</summary>
    public string Key => $"{BugKinds.Name(Kind)}: {Accesses}{(Qualifier is null ? "" : $" {Qualifier}")}";

    /// <summary>
    /// Whether <paramref name="other"/> can be the same race seen by another oracle: the same kernel
    /// functions, and for bugs of one CPU the same kind of queue (a wrong-lock holding the node's lock
    /// and a count wrong on the node's queue; a memcg's lock and a memcg's queue).
    /// </summary>
    public bool SameFunctionsAs(Race other) =>
        Functions == other.Functions && (Qualifier is null || other.Qualifier is null || ClassOf(Qualifier) == ClassOf(other.Qualifier));

    static string ClassOf(string qualifier) => qualifier.Contains("node", StringComparison.Ordinal) ? "node" : qualifier.Contains("memcg", StringComparison.Ordinal) ? "memcg" : qualifier;

    /// <summary>Whether another CPU's access takes part (false for one CPU's bug).</summary>
    public bool IsRace => Sides.Count > 1;

    /// <summary>The race of a failing report, or null when it shows no bug.</summary>
    public static Race? Of(Report report)
    {
        var o = report.Outcome;
        var events = report.Events;
        if (!o.IsBug || events.Count == 0)
            return null;
        if (o.Kind == BugKind.DataRace && StepNumbers().Matches(o.Message) is { Count: 2 } named)
        {
            var steps = named.Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            if (steps.All(s => s >= 1 && s <= events.Count))
                return new Race(o.Kind, [Side(report, steps[1] - 1), Side(report, steps[0] - 1)]);
        }
        var culprit = report.Culprit;
        int own;
        if (o.Cpu > 0)
        {
            own = LastIndex(events.Count, i => events[i].Cpu == o.Cpu - 1);
            culprit ??= own >= 0 ? report.Accessed[own] : null;
        }
        else
            own = culprit is { } c ? LastIndex(events.Count, i => events[i].Access.Writes && Same(report.Accessed[i], c)) : -1;
        if (own < 0)
            own = events.Count - 1;
        var sides = new List<RaceSide> { Side(report, own) };
        if (culprit is { } field)
        {
            var (cpu, pc) = (events[own].Cpu, events[own].Pc);
            int began = Enumerable.Range(0, own).FirstOrDefault(i => events[i].Cpu == cpu && events[i].Pc == pc, own);
            int other = LastIndex(own, i => events[i].Cpu != cpu && Same(report.Accessed[i], field) && EndsAfter(events, i, began));
            if (other >= 0)
                sides.Add(Side(report, other));
        }
        return new Race(o.Kind, sides, sides.Count > 1 ? null : QualifierOf(report, culprit));
    }

    /// <summary>What a bug of one CPU went wrong on: the class of the lock a wrong-lock held, else of the object the finding points at.</summary>
    static string? QualifierOf(Report report, NodeField? culprit)
    {
        if (report.Outcome.Kind == BugKind.WrongLock)
            return Holding().Match(report.Outcome.Message.Split('\n')[0]) is { Success: true } m
                ? m.Groups[1].Value switch { "no lock" => "holding no lock", "node" => "holding the node's lock", var k => $"holding a {k}'s lock" }
                : null;
        if (culprit is not { } c)
            return null;
        var node = report.Nodes[c.Node];
        return node.Kind switch
        {
            NodeKind.Queue => node.Name.StartsWith("node", StringComparison.Ordinal) ? "on the node's queue" : "on a memcg's queue",
            NodeKind.StackList => "on a scan's list",
            _ => "on a folio",
        };
    }

    /// <summary>
    /// Whether the operation of step <paramref name="i"/> was still running at step <paramref name="began"/>:
    /// it took a step after it, or its last step came before and its CPU had not finished it then (it
    /// was preempted, or blocked on a lock, and went on with no later operation before the run ended).
    /// </summary>
    static bool EndsAfter(IReadOnlyList<TraceEvent> events, int i, int began)
    {
        var (cpu, pc) = (events[i].Cpu, events[i].Pc);
        int last = i;
        for (int k = i + 1; k < events.Count; k++)
            if (events[k].Cpu == cpu)
            {
                if (events[k].Pc != pc)
                    return false;
                last = k;
            }
        return last > began || events[last].Failed || last + 1 < events.Count && events[last + 1].Preempted;
    }

    static int LastIndex(int before, Func<int, bool> match)
    {
        for (int i = before - 1; i >= 0; i--)
            if (match(i))
                return i;
        return -1;
    }

    /// <summary>Whether <paramref name="accessed"/> is <paramref name="field"/>'s field of the same object, a list's next and prev counting as one.</summary>
    static bool Same(NodeField? accessed, NodeField field) =>
        accessed is { } a && a.Node == field.Node && Group(a.Field) == Group(field.Field);

    static string Group(string field) => field is "next" or "prev" ? "list" : field;

    static RaceSide Side(Report report, int i)
    {
        var e = report.Events[i];
        int paren = e.Operation.IndexOf('(');
        var function = paren > 0 ? e.Operation[..paren] : e.Operation;
        return new RaceSide(e.Cpu + 1, function, e.Action.Name == "program" ? function : e.Action.Name, i + 1);
    }
}
