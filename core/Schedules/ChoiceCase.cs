using MmFuzz.Kernel;
using MmFuzz.Scenarios;

namespace MmFuzz.Schedules;

/// <summary>
/// One test case of the choice-stream front ends: a well-formed scenario and the schedule bytes that
/// <c>Strategies.ChoiceStreamStrategy</c> reads (0 keeps the current CPU, so fewer and smaller bytes mean
/// fewer preemptions).
/// </summary>
/// <param name="Scenario">The scenario (decoded from the buffer's prefix, or shrunk structurally since).</param>
/// <param name="Schedule">The schedule's choices.</param>
public sealed record ChoiceCase(Scenario Scenario, byte[] Schedule)
{
    /// <summary>Decodes a whole choice buffer: the scenario from its prefix, the schedule from the rest.</summary>
    public static ChoiceCase Decode(byte[] data)
    {
        var scenario = ScenarioDecoder.Decode(data, out int used);
        return new ChoiceCase(scenario, data[used..]);
    }

    /// <summary>Size of the scenario: CPUs, operations (a lock/unlock pair counts once) and folios.</summary>
    public (int Cpus, int Ops, int Folios) Size =>
        (Scenario.Cpus.Length, Scenario.Cpus.Sum(p => p.Count(op => op.Kind != OpKind.FolioUnlock)), Scenario.Folios.Length);

    /// <summary>The schedule bytes in hex.</summary>
    public string ScheduleHex => Convert.ToHexString(Schedule);

    /// <summary>Scenario description and schedule, for messages.</summary>
    public override string ToString() => $"{Scenario.Description}; schedule {(Schedule.Length == 0 ? "(empty)" : ScheduleHex)}";
}
