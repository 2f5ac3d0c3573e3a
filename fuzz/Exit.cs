namespace MmFuzz.Cli;

/// <summary>
/// The exit codes, as test runners and CI use them: 0 when every verdict is history's, 1 when one
/// differs, 2 for a bad argument or input file, 3 when the simulator itself failed, 130 after Ctrl-C.
/// </summary>
public static class Exit
{
    /// <summary>Every verdict as history says (or the verb did what was asked).</summary>
    public const int AsExpected = Kernel.Judge.AsHistoryExit;

    /// <summary>A verdict differs from history's: a bug where none is expected, none where one is, a replay that does not reproduce.</summary>
    public const int Differs = Kernel.Judge.DiffersExit;

    /// <summary>A bad argument or input file: one line on stderr naming the option, the file and line, or the byte offset.</summary>
    public const int Usage = 2;

    /// <summary>The simulator itself failed (a bug of MmFuzz, not of the kernel).</summary>
    public const int Harness = 3;

    /// <summary>Interrupted (Ctrl-C or SIGTERM): what was found so far is printed and written.</summary>
    public const int Interrupted = Kernel.Judge.InterruptedExit;
}
