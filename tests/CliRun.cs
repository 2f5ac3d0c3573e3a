namespace MmFuzz.Tests;

/// <summary>The command line run in this process.</summary>
static class CliRun
{
    /// <summary>Runs the command line; returns its exit code and what it printed on stdout.</summary>
    public static (int ExitCode, string Stdout) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var saved = Console.Out;
        try
        {
            Console.SetOut(stdout);
            return (Cli.Cli.Run(args), stdout.ToString());
        }
        finally
        {
            Console.SetOut(saved);
        }
    }
}
