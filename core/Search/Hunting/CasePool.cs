using MmFuzz.Scenarios;
using MmFuzz.Schedules;

namespace MmFuzz.Search;

/// <summary>
/// The generating hunt's feedback: the cases whose runs reached a feature of interleaving coverage
/// the hunt had not seen (<see cref="Oracles.AliasCoverage"/>), kept as their choice bytes, and the
/// mutants drawn from them — AFL's queue, in process, on the one choice stream. A mutant keeps the
/// scenario and changes the schedule (<see cref="ScheduleMutator"/>: a preemption moved, retargeted,
/// added or dropped, or a new schedule drawn), or keeps the schedule and changes a few of the
/// scenario's bytes (the same decoder reads them, so every mutant is well formed and replays from its
/// bytes like any generated case). Selection leans to the newest entries, where the frontier of the
/// coverage is, and to the small ones (<see cref="Pick"/>), and gives every entry a share. Belongs to
/// one worker; every choice comes from the worker's random source, so a seeded hunt draws the same
/// mutants every time.
/// </summary>
public sealed class CasePool
{
    /// <summary>Entries kept at most; a new one then replaces a random old one.</summary>
    public const int Capacity = 8192;

    /// <summary>Entries the newest-leaning half of the draws chooses among.</summary>
    const int Newest = 32;

    /// <summary>
    /// A kept case: the scenario's bytes (<see cref="ChoiceBytes.ScenarioBytes"/> of them, null when
    /// the scenario is a catalog one, <paramref name="System"/>), the scenario they decode to, and the
    /// schedule bytes its run read.
    /// </summary>
    public sealed record Entry(byte[]? Prefix, Scenario Scenario, byte[] Schedule, int System);

    readonly List<Entry> entries = [];
    readonly List<int> costs = [];

    /// <summary>Entries kept.</summary>
    public int Count => entries.Count;

    /// <summary>Entries added since the pool was made (replaced ones included).</summary>
    public long Added { get; private set; }

    /// <summary>The entries, oldest first (replaced entries take the place of the ones they replace).</summary>
    public IReadOnlyList<Entry> Entries => entries;

    /// <summary>Keeps <paramref name="entry"/>.</summary>
    public void Add(Entry entry, Random rng)
    {
        Added++;
        int cost = Cost(entry);
        if (entries.Count < Capacity)
        {
            entries.Add(entry);
            costs.Add(cost);
            return;
        }
        int i = rng.Next(Capacity);
        entries[i] = entry;
        costs[i] = cost;
    }

    /// <summary>
    /// An entry to mutate: the smaller (<see cref="Cost"/>) of two drawn, each half the time one of
    /// the newest, else any (a tournament, as AFL favours the smallest and fastest entry for each
    /// part of its coverage). A bug met in a small case with few switches is shrunk, minimized and
    /// compared with a baseline in a fraction of a second; met in a large one with many switches, the
    /// same bug cost a minute of bounded searches before the hunt could report it (measured on the
    /// zoo's 3-preemption mutants, seeds 1-5: up to 124 s without the tournament, at most 10 s with
    /// it). Every entry keeps a share: the largest is still drawn when it meets itself.
    /// </summary>
    public Entry Pick(Random rng)
    {
        int a = Draw(rng), b = Draw(rng);
        return entries[costs[b] < costs[a] ? b : a];
    }

    int Draw(Random rng)
    {
        int n = entries.Count;
        return rng.Next(2) == 0 ? n - 1 - rng.Next(Math.Min(n, Newest)) : rng.Next(n);
    }

    /// <summary>How large a case is: its CPUs, operations and folios, and its schedule's switches (about two bytes each).</summary>
    public static int Cost(Entry e) =>
        e.Scenario.Cpus.Length + e.Scenario.Cpus.Sum(p => p.Length) + e.Scenario.Folios.Length + e.Schedule.Length / 2;

    /// <summary>
    /// A mutant of <paramref name="e"/>: three times in four (always for a catalog scenario) its scenario
    /// with a mutated schedule, one time in eight of those a schedule drawn anew; otherwise its schedule
    /// with one to three of its scenario's bytes drawn anew (<see cref="ChoiceBytes.Next"/>), among those
    /// the decoder read.
    /// </summary>
    public static Entry Mutate(Entry e, Random rng)
    {
        if (e.Prefix is null || rng.Next(4) != 0)
            return e with { Schedule = rng.Next(8) == 0 ? ChoiceBytes.Schedule(rng) : ScheduleMutator.Mutate(e.Schedule, rng) };
        var prefix = (byte[])e.Prefix.Clone();
        int used = Math.Max(1, ScenarioDecoder.Length(prefix));
        for (int k = 1 + rng.Next(3); k > 0; k--)
            prefix[rng.Next(used)] = ChoiceBytes.Next(rng);
        return e with { Prefix = prefix, Scenario = ScenarioDecoder.Decode(prefix, out _) };
    }
}
