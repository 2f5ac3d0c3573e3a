using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;

namespace MmFuzz.Schedules;

/// <summary>Writes regression files into a folder: global NNNN numbering, create-new, never overwriting.</summary>
public static class RegressionWriter
{
    /// <summary>
    /// Writes <paramref name="file"/> as <c>NNNN-SLUG.schedule</c> in <paramref name="dir"/> (created if
    /// missing), NNNN one past the highest number already there; if another writer takes that name
    /// first, the next number is tried. Returns the path written.
    /// </summary>
    public static string Write(string dir, ScheduleFile file, string slug)
    {
        Directory.CreateDirectory(dir);
        slug = new string(slug.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? char.ToLowerInvariant(c) : '-').ToArray()).Trim('-');
        int next = 1 + Directory.GetFiles(dir, "*.schedule")
            .Select(p => Path.GetFileName(p))
            .Select(n => n.Length > 4 && int.TryParse(n[..4], out var k) ? k : 0)
            .DefaultIfEmpty(0).Max();
        var text = file.Render();
        for (int attempt = 0; attempt < 1000; attempt++, next++)
        {
            var path = Path.Combine(dir, $"{next:D4}-{slug}.schedule");
            try
            {
                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                using var writer = new StreamWriter(stream);
                writer.Write(text);
                return path;
            }
            catch (IOException) when (File.Exists(path))
            {
            }
        }
        throw new IOException($"{dir}: no free regression number after {next}");
    }
}
