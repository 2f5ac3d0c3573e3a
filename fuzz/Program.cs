using MmFuzz.Cli;

return await Cli.RunAsync(args, handleSignals: true);
