using MmFuzz.Cli;

return Cli.Run(args);
