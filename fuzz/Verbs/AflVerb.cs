using System.CommandLine;
using MmFuzz.Cli.Harness;
using SharpFuzz;

namespace MmFuzz.Cli;

/// <summary>
/// <c>afl --variant NAME</c>: the AFL++ target (SharpFuzz's fork server, one persistent .NET child;
/// <c>MMFUZZ_AFL_INPROC=1</c> runs the inputs in this process). Outside afl-fuzz it runs stdin once.
/// </summary>
static class AflVerb
{
    public static Command Build()
    {
        var command = new Command("afl", "the AFL++ target (fuzz/afl.sh starts it)");
        var campaign = new Campaign(required: false).AddTo(command);
        command.Action((p, _) =>
        {
            var target = new FuzzTarget(campaign.Read(p));
            Action<Stream> run = s =>
            {
                using var m = new MemoryStream();
                s.CopyTo(m);
                target.Execute(m.ToArray());
            };
            if (Environment.GetEnvironmentVariable("MMFUZZ_AFL_INPROC") == "1")
                Fuzzer.Run(run);
            else
                Fuzzer.OutOfProcess.Run(run);
            return Exit.AsExpected;
        });
        return command;
    }
}
