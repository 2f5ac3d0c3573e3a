using MmFuzz.Engine;

namespace MmFuzz.Search;

/// <summary>A recorded failing schedule run again, to be minimized (<see cref="Minimizer.RunRecorded"/>).</summary>
/// <param name="Outcome">How the run ended; null when the recording no longer fits the ports and no schedule was found again.</param>
/// <param name="Diverged">Where the replay left the recording (the divergence's message), or null when it followed it.</param>
public sealed record RecordedRun(Outcome? Outcome, string? Diverged);
