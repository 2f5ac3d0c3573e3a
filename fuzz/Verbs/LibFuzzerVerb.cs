using System.CommandLine;
using MmFuzz.Cli.Harness;
using SharpFuzz;

namespace MmFuzz.Cli;

/// <summary><c>libfuzzer --variant NAME</c>: the libFuzzer target behind fuzz/bridge/dotnet-bridge.c (outside the bridge it runs the file named first once).</summary>
static class LibFuzzerVerb
{
    public static Command Build()
    {
        var command = new Command("libfuzzer", "the libFuzzer target (fuzz/libfuzzer.sh starts it)");
        var campaign = new Campaign(required: false).AddTo(command);
        // libFuzzer passes its own flags (-runs=N, corpus folders) through the bridge.
        command.TreatUnmatchedTokensAsErrors = false;
        command.Action((p, _) =>
        {
            var target = new FuzzTarget(campaign.Read(p));
            Fuzzer.LibFuzzer.Run(span => target.Execute(span.ToArray()));
            return Exit.AsExpected;
        });
        return command;
    }
}
