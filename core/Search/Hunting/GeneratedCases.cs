using MmFuzz.Oracles;
using MmFuzz.Scenarios;
using MmFuzz.Schedules;

namespace MmFuzz.Search;

/// <summary>
/// The generating hunt's cases: a choice buffer per execution (<see cref="ChoiceBytes"/>), decoded
/// into a scenario and a schedule, or only a schedule of the given catalog systems (round-robin).
/// </summary>
/// <remarks>
/// <para>
/// Steering: with <paramref name="coverage"/>, half the draws, once there is something to draw from,
/// are mutants of the cases that reached new interleaving coverage (<see cref="CasePool"/>), and every
/// case whose run reaches some joins them. Without it every case is drawn afresh, exactly as before
/// the pool (the same random draws, so an unsteered seeded hunt runs the cases it always ran).
/// </para>
/// <para>
/// Swarm feedback: a scenario that runs a family in <paramref name="recorded"/> (one whose bug the
/// hunt has recorded and gone past) is drawn again three times in four, so the rest of the budget
/// goes mostly elsewhere while a second bug of that family stays reachable.
/// </para>
/// <para>
/// The execution's seed is its number, counted from 1. Every choice comes from one random source
/// seeded with <paramref name="seed"/>, and the pool and the coverage belong to this source alone, so
/// a seeded hunt on one worker runs the same cases every time.
/// </para>
/// </remarks>
/// <param name="systems">Systems for generated scenarios, one per layout.</param>
/// <param name="sims">Catalog systems to schedule, or null to generate scenarios.</param>
/// <param name="seed">The worker's seed.</param>
/// <param name="recorded">Families whose bug the hunt has recorded and gone past.</param>
/// <param name="coverage">The coverage every system of <paramref name="systems"/> and <paramref name="sims"/> reports to, or null not to steer.</param>
public sealed class GeneratedCases(SimulationCache systems, Simulation[]? sims, ulong seed, IReadOnlySet<Family> recorded, AliasCoverage? coverage) : IExecutionSource
{
    readonly Random rng = new(unchecked((int)(seed ^ (seed >> 32))));
    long executions;

    /// <summary>The cases kept for their coverage (empty without it).</summary>
    public CasePool Pool { get; } = new();

    /// <inheritdoc/>
    public bool Exhausted => false;

    /// <inheritdoc/>
    public Execution Next()
    {
        CasePool.Entry e;
        do
            e = Draw();
        while (sims is null && recorded.Count > 0 && Family.Touched(e.Scenario).Any(recorded.Contains) && rng.Next(4) != 0);
        var sim = sims is null ? systems.For(e.Scenario) : sims[e.System];
        var c = new ChoiceCase(e.Scenario, e.Schedule);
        var o = ChoiceRun.Run(sim, c, out int consumed);
        if (coverage is { NewFeatures: > 0 })
            Pool.Add(e with { Schedule = e.Schedule[..consumed] }, rng);
        executions++;
        return new Execution(sim.Variant, o, null, c, (ulong)executions);
    }

    CasePool.Entry Draw()
    {
        if (coverage is not null && Pool.Count > 0 && rng.Next(2) == 0)
            return CasePool.Mutate(Pool.Pick(rng), rng);
        if (sims is null)
        {
            var prefix = ChoiceBytes.Prefix(rng);
            return new CasePool.Entry(prefix, ScenarioDecoder.Decode(prefix, out _), ChoiceBytes.Schedule(rng), -1);
        }
        int i = (int)(executions % sims.Length);
        return new CasePool.Entry(null, sims[i].Scenario, ChoiceBytes.Schedule(rng), i);
    }
}
