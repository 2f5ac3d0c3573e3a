namespace MmFuzz.Cli;

/// <summary>
/// How this program was started, so that the commands it prints (replay a finding, hunt again) can
/// be pasted as they are: <c>dotnet run --project fuzz -c Release --</c>, the installed tool
/// <c>mmfuzz</c>, a local tool <c>dotnet mmfuzz</c>, or <c>dotnet path/mmfuzz.dll</c>.
/// </summary>
static class Launch
{
    const string ToolCommand = "mmfuzz";

    /// <summary>What to type before the verb.</summary>
    public static string Prefix { get; } = Describe();

    /// <summary>
    /// The options that load a kernel state from C (<see cref="CSourceOptions"/>) when this run has one:
    /// a replay or minimize of what it wrote needs them again.
    /// </summary>
    public static string CSource { get; set; } = "";

    /// <summary>The command that replays <paramref name="file"/>.</summary>
    public static string Replay(string file) => $"{Prefix} replay {Quote(file)}{CSource}";

    /// <summary>Shell-quotes <paramref name="s"/> where it needs it.</summary>
    public static string Arg(string s) => Quote(s);

    static string Describe()
    {
        try
        {
            string? process = Environment.ProcessPath;                 // the apphost / tool shim, or the dotnet muxer
            string arg0 = Environment.GetCommandLineArgs()[0];         // the .dll, even under the apphost
            bool muxer = Path.GetFileNameWithoutExtension(process ?? "") == "dotnet";
            string? parent = ParentCommandLine();
            bool parentIsDotnet = parent is not null && Path.GetFileNameWithoutExtension(parent.Split(' ')[0]) == "dotnet";
            if (!muxer && parentIsDotnet && parent!.Contains(" run", StringComparison.Ordinal))
            {
                // `dotnet run` starts bin/<Config>/<tfm>/mmfuzz as its child: print the user's own command.
                int dashes = parent.IndexOf(" -- ", StringComparison.Ordinal);
                if (dashes >= 0)
                    return parent[..(dashes + 3)];
                var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
                string? project = bin.Parent?.Parent?.Parent?.GetFiles("*.csproj").FirstOrDefault()?.DirectoryName;
                string config = bin.Parent?.Name ?? "Debug";
                return $"dotnet run --project {Quote(Relative(project ?? "."))}{(config == "Debug" ? "" : $" -c {config}")} --";
            }
            if (muxer)
            {
                if (Path.GetFileName(arg0) != "mmfuzz.dll")
                    return "dotnet run --project fuzz -c Release --";       // in a test host
                if (parentIsDotnet && arg0.Contains("/tools/net", StringComparison.Ordinal)
                    && (parent!.StartsWith("dotnet tool run ", StringComparison.Ordinal) || parent.Split(' ').ElementAtOrDefault(1) == ToolCommand))
                    return $"dotnet {ToolCommand}";
                return $"dotnet {Quote(Relative(arg0))}";
            }
            if (process is null)
                return ToolCommand;
            return OnPath(process) ? Path.GetFileName(process) : Quote(Relative(process));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return ToolCommand;
        }
    }

    /// <summary>/proc/PPID/cmdline, NULs as spaces; null where there is none.</summary>
    static string? ParentCommandLine()
    {
        try
        {
            string stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');   // comm may hold spaces
            return File.ReadAllText($"/proc/{fields[1]}/cmdline").TrimEnd('\0').Replace('\0', ' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    static bool OnPath(string process)
    {
        string dir = Path.GetDirectoryName(process) ?? "";
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(p => p.Length > 0 && Path.GetFullPath(p).TrimEnd('/') == dir.TrimEnd('/'));
    }

    static string Relative(string path)
    {
        string rel = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return rel.StartsWith("..", StringComparison.Ordinal) && rel.Count(c => c == '/') > 2 ? path : rel;
    }

    /// <summary>Quotes a word for a POSIX shell when it needs it.</summary>
    public static string Quote(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,+@%".Contains(c)) ? s : $"'{s.Replace("'", "'\\''")}'";
}
