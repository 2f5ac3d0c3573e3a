using MmFuzz.C.Clang;

namespace MmFuzz.C;

/// <summary>
/// A C input the front end cannot run, with the one line that says where and why
/// (<c>mm/huge_memory.c:3412:9: deferred_split_scan() calls foo(), which the model does not provide ...</c>).
/// The command line prints the message and exits 2; it is never a stack trace.
/// </summary>
public sealed class CError : Exception
{
    /// <summary>An error at <paramref name="pos"/>.</summary>
    public CError(SourcePos pos, string message) : base(pos.File.Length == 0 ? message : $"{pos}: {message}") => Pos = pos;

    /// <summary>An error about the input as a whole (a missing tree, an empty file).</summary>
    public CError(string message) : base(message) { }

    /// <summary>Where, if the error has a place.</summary>
    public SourcePos? Pos { get; }
}
