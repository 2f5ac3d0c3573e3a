using System.Text;

namespace MmFuzz.C;

/// <summary>
/// Reading the C a user brings: a single file (<c>--c FILE</c>), a kernel tree's files
/// (<c>--kernel-tree DIR</c>), stub headers. Each problem is a <see cref="CError"/> with the path:
/// a missing file or tree, a directory where a file is expected, a file too large to be a kernel
/// source file, a binary file (a NUL byte, or bytes that are not UTF-8) with the offset.
/// </summary>
public static class CInputs
{
    /// <summary>The largest file read: mm/page_alloc.c is about 220 KiB; anything past this is not a kernel C file.</summary>
    public const long MaxBytes = 8 << 20;

    /// <summary>Reads one C file, shown to the user as <paramref name="shown"/> (default: the path as given).</summary>
    public static CSource ReadFile(string path, string? shown = null)
    {
        shown ??= path;
        if (Directory.Exists(path))
            throw new CError($"{shown}: is a directory, not a C file");
        if (!File.Exists(path))
            throw new CError($"{shown}: no such file");
        var info = new FileInfo(path);
        if (info.Length > MaxBytes)
            throw new CError($"{shown}: {info.Length:N0} bytes, more than the {MaxBytes >> 20} MiB a kernel source file can be");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CError($"{shown}: cannot be read ({e.Message})");
        }
        int nul = Array.IndexOf(bytes, (byte)0);
        if (nul >= 0)
            throw new CError($"{shown}: not a C file (a NUL byte at offset {nul})");
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new CError($"{shown}: not a C file (bytes that are not UTF-8 at offset {e.Index})");
        }
        return new CSource(shown, text);
    }

    /// <summary>
    /// Every C file (*.c, *.h) under <paramref name="dir"/>, shown by its path below it
    /// (<c>mm/huge_memory.c</c>): a state's C rendering, or any folder of C to run as a whole.
    /// </summary>
    public static IReadOnlyList<CSource> ReadFolder(string dir)
    {
        var files = Directory.GetFiles(dir, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".c", StringComparison.Ordinal) || f.EndsWith(".h", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => ReadFile(f, Path.GetRelativePath(dir, f)))
            .ToList();
        if (files.Count == 0)
            throw new CError($"{dir}: no .c or .h file in it");
        return files;
    }

    /// <summary>A file, or every C file of a folder (<see cref="ReadFolder"/>).</summary>
    public static IReadOnlyList<CSource> ReadFileOrFolder(string path) =>
        Directory.Exists(path) ? ReadFolder(path) : [ReadFile(path)];

    /// <summary>
    /// The files of a kernel tree the front end reads: <see cref="CKnown.TreeFiles"/> (mm/internal.h
    /// where it exists) and the <paramref name="extra"/> ones asked for, each shown by its path in the tree.
    /// </summary>
    public static IReadOnlyList<CSource> ReadTree(string dir, IEnumerable<string> extra)
    {
        if (File.Exists(dir))
            throw new CError($"{dir}: is a file; --kernel-tree takes the top directory of a kernel tree (the one holding mm/)");
        if (!Directory.Exists(dir))
            throw new CError($"{dir}: no such directory");
        if (!File.Exists(Path.Combine(dir, "mm", "huge_memory.c")))
            throw new CError($"{dir}: no mm/huge_memory.c here: --kernel-tree takes the top directory of a kernel tree");
        var files = new List<CSource>();
        foreach (var rel in CKnown.TreeFiles)
            if (File.Exists(Path.Combine(dir, rel)))
                files.Add(ReadFile(Path.Combine(dir, rel), rel));
        foreach (var rel in extra)
        {
            if (files.Any(f => f.Path == rel))
                continue;
            if (!File.Exists(Path.Combine(dir, rel)))
                throw new CError($"{Path.Combine(dir, rel)}: no such file in the tree");
            files.Add(ReadFile(Path.Combine(dir, rel), rel));
        }
        return files;
    }
}
