using MmFuzz.Schedules;

namespace MmFuzz.Cli;

/// <summary>
/// What the verbs read and write, checked before any work: an input is a regular file of sane size;
/// an output never replaces a file unless the user says <c>--force</c>, and never a <c>.schedule</c>
/// (a regression is only ever added). Every problem is a <see cref="UsageException"/> naming the
/// option or the file.
/// </summary>
static class Files
{
    /// <summary>The largest input file read (a schedule or a fuzzer input): 16 MiB.</summary>
    public const long MaxInput = 16 << 20;

    /// <summary>Reads an input file's bytes, or says in one line why not.</summary>
    public static byte[] ReadBytes(string path)
    {
        var shown = Cli.Escape(path);
        if (Directory.Exists(path))
            throw new UsageException($"{shown}: is a folder, not a file");
        if (!File.Exists(path))
            throw new UsageException($"{shown}: no such file");
        try
        {
            // Read at most one byte past the limit: a device such as /dev/zero never ends.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, MaxInput + 1 - buffer.Length))) > 0)
            {
                buffer.Write(chunk, 0, n);
                if (buffer.Length > MaxInput)
                    throw new UsageException($"{shown}: more than {MaxInput:N0} bytes; inputs are at most that");
            }
            return buffer.ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{shown}: {e.Message}");
        }
    }

    /// <summary>Reads and parses a <c>.schedule</c> file; a format error names the file and line.</summary>
    public static ScheduleFile ReadSchedule(string path)
    {
        var bytes = ReadBytes(path);
        string text;
        try
        {
            text = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException e)
        {
            throw new UsageException($"{Cli.Escape(path)}: byte {e.Index}: not UTF-8 text (a fuzzer input? use run-input)");
        }
        try
        {
            return ScheduleFile.Parse(text, path);
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>
    /// Checks that <paramref name="path"/> can be created by <paramref name="option"/>: its folder exists,
    /// it is not a folder, and it does not exist (unless <paramref name="force"/>, never for a schedule).
    /// </summary>
    public static void CheckNew(string option, string path, bool force = false)
    {
        var shown = Cli.Escape(path);
        if (Directory.Exists(path) || path.EndsWith('/'))
            throw new UsageException($"{option}: {shown} is a folder; name a file");
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null && !Directory.Exists(dir))
            throw new UsageException($"{option}: no such folder {Cli.Escape(dir)}");
        if (File.Exists(path))
        {
            if (path.EndsWith(".schedule", StringComparison.Ordinal))
                throw new UsageException($"{option}: {shown} exists and is a schedule; a regression is never overwritten");
            if (!force)
                throw new UsageException($"{option}: {shown} exists; nothing is overwritten without --force");
        }
    }

    /// <summary>Writes a file checked by <see cref="CheckNew"/>: created anew, or replaced only when forced.</summary>
    public static void Write(string option, string path, string text, bool force = false)
    {
        CheckNew(option, path, force);
        try
        {
            using var stream = new FileStream(path, force ? FileMode.Create : FileMode.CreateNew, FileAccess.Write);
            using var writer = new StreamWriter(stream);
            writer.Write(text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option}: {Cli.Escape(path)}: {e.Message}");
        }
    }

    /// <summary>A folder to write new files in (<c>--out DIR</c>): created if missing, refused if it is a file.</summary>
    public static string Folder(string option, string path)
    {
        if (File.Exists(path))
            throw new UsageException($"{option}: {Cli.Escape(path)} is a file; name a folder");
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option}: {Cli.Escape(path)}: {e.Message}");
        }
        return path;
    }
}
