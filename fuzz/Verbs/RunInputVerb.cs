using System.CommandLine;
using MmFuzz.Cli.Harness;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Schedules;
using MmFuzz.Search;
using MmFuzz.Reports;
using MmFuzz.Strategies;

namespace MmFuzz.Cli;

/// <summary>
/// <c>run-input FILE --variant NAME</c>: replays one fuzzer input without a fuzzer and prints its
/// scenario and column trace. Exit 1 when it is a crash of the campaign, 3 on a simulator error, else 0.
/// </summary>
static class RunInputVerb
{
    public static Command Build()
    {
        var file = Opt.PathArgument("FILE", "a fuzzer input (raw bytes, e.g. AFL++'s crashes/id:...)");
        var command = new Command("run-input", "replay one fuzzer input without a fuzzer: scenario and trace") { file };
        var campaign = new Campaign(required: false).AddTo(command);
        command.Action((p, _) =>
        {
            var path = p.GetValue(file)!;
            var data = Files.ReadBytes(path);
            if (data.AsSpan().StartsWith("mmfuzz-schedule"u8))
                throw new UsageException($"{Cli.Escape(path)}: a .schedule file, not a fuzzer input; replay it with: {Launch.Replay(path)}");
            var config = campaign.Read(p) with { Interleaving = false };
            var c = ChoiceCase.Decode(data);
            var f = ChoiceRun.Replay(config.Variant, c, config.OraclesOff);
            Console.WriteLine($"== {config.Variant.Name} / {Cli.Escape(path)}: {data.Length} bytes ({data.Length - c.Schedule.Length} scenario, {c.Schedule.Length} schedule)");
            Console.WriteLine(c.Scenario.Description);
            Console.WriteLine();
            Console.Write(f.Trace());
            var verdict = f.Outcome.Verdict == Verdict.HarnessError ? "SIMULATOR ERROR (a bug of MmFuzz)" : f.Outcome.IsBug ? BugKinds.Name(f.Outcome.Kind) : "ok";
            Console.WriteLine($"outcome: {verdict}, {f.Steps.Count} steps, {f.Preemptions} preemption(s)");
            return f.Outcome.Verdict == Verdict.HarnessError ? Exit.Harness : new FuzzTarget(config).IsCrash(f.Outcome) ? Exit.Differs : Exit.AsExpected;
        });
        return command;
    }
}
