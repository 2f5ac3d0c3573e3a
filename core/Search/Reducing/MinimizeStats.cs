using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using MmFuzz.Search;

namespace MmFuzz.Search;

/// <summary>What <see cref="Minimizer.Minimize"/> did.</summary>
/// <param name="StepsBefore">Steps of the schedule it was given.</param>
/// <param name="PreemptionsBefore">Preemptions of the schedule it was given.</param>
/// <param name="StepsAfter">Steps of the result.</param>
/// <param name="PreemptionsAfter">Preemptions of the result.</param>
/// <param name="ShrinkSteps">Candidate schedules accepted (each one strictly simpler: fewer preemptions, or as many and fewer steps).</param>
/// <param name="Replays">Executions spent, the exhaustive searches' included.</param>
/// <param name="StepsProven">True when exhaustive search of the result's preemption bound found no shorter run of the kind.</param>
public sealed record MinimizeStats(int StepsBefore, int PreemptionsBefore, int StepsAfter, int PreemptionsAfter, int ShrinkSteps, long Replays, bool StepsProven);
