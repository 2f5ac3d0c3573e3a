namespace MmFuzz.Tests;

/// <summary>
/// The command line run in this process, its output captured. Tests run side by side, and some of
/// them print (FsCheck's "Ok, passed"); the console is therefore routed per run, not swapped for the
/// whole process: what a run prints goes to its own writers, everything else to the real console.
/// </summary>
static class CliRun
{
    static readonly object Gate = new();
    static readonly AsyncLocal<(TextWriter Out, TextWriter Err)?> Current = new();
    static readonly Lazy<bool> Routed = new(() =>
    {
        Console.SetOut(new Routing(Console.Out, () => Current.Value?.Out));
        Console.SetError(new Routing(Console.Error, () => Current.Value?.Err));
        return true;
    });

    /// <summary>Runs the command line; returns its exit code and what it printed on stdout.</summary>
    public static (int ExitCode, string Stdout) Run(params string[] args)
    {
        var (rc, stdout, _) = RunAll(args);
        return (rc, stdout);
    }

    /// <summary>Runs the command line; returns its exit code, stdout and stderr.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunAll(params string[] args)
    {
        _ = Routed.Value;
        // The command line keeps a little process-wide state (the replay commands' C options): one run at a time.
        lock (Gate)
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            Current.Value = (stdout, stderr);
            try
            {
                return (Cli.Cli.Run(args), stdout.ToString(), stderr.ToString());
            }
            finally
            {
                Current.Value = null;
            }
        }
    }

    /// <summary>A console writer that writes to this run's writer if there is one, else to the real console.</summary>
    sealed class Routing(TextWriter real, Func<TextWriter?> current) : TextWriter
    {
        public override System.Text.Encoding Encoding => real.Encoding;
        TextWriter Target => current() ?? real;
        public override void Write(char value) => Target.Write(value);
        public override void Write(string? value) => Target.Write(value);
        public override void Write(char[] buffer, int index, int count) => Target.Write(buffer, index, count);
        public override void WriteLine(string? value) => Target.WriteLine(value);
        public override void Flush() => Target.Flush();
    }
}
