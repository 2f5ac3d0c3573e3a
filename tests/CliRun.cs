namespace MmFuzz.Tests;

/// <summary>The command line run in this process, its output captured.</summary>
static class CliRun
{
    static readonly object Gate = new();

    /// <summary>Runs the command line; returns its exit code and what it printed on stdout.</summary>
    public static (int ExitCode, string Stdout) Run(params string[] args)
    {
        var (rc, stdout, _) = RunAll(args);
        return (rc, stdout);
    }

    /// <summary>Runs the command line; returns its exit code, stdout and stderr.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunAll(params string[] args)
    {
        // Console's writers are process-wide: one run at a time.
        lock (Gate)
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var (savedOut, savedErr) = (Console.Out, Console.Error);
            try
            {
                Console.SetOut(stdout);
                Console.SetError(stderr);
                return (Cli.Cli.Run(args), stdout.ToString(), stderr.ToString());
            }
            finally
            {
                Console.SetOut(savedOut);
                Console.SetError(savedErr);
            }
        }
    }
}
