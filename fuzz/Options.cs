using System.Globalization;

namespace MmFuzz.Cli;

/// <summary>Parsed <c>--name value</c> / <c>--flag</c> options and positional arguments.</summary>
public sealed class Options
{
    static readonly HashSet<string> Flags = ["json", "reduction", "in-place", "first", "small-scope"];
    readonly Dictionary<string, string?> values = new();

    /// <summary>Positional arguments.</summary>
    public List<string> Positional { get; } = new();

    /// <summary>Parses arguments after the verb.</summary>
    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (!a.StartsWith("--") && a != "-o")
            {
                o.Positional.Add(a);
                continue;
            }
            var name = a == "-o" ? "out" : a[2..];     // -o is --out
            if (Flags.Contains(name))
                o.values[name] = null;
            else if (i + 1 < args.Length)
                o.values[name] = args[++i];
            else
                throw new UsageException($"option --{name} needs a value");
        }
        return o;
    }

    /// <summary>Rejects options a verb does not know, naming the valid ones.</summary>
    public void Allow(params string[] names)
    {
        foreach (var k in values.Keys)
            if (!names.Contains(k))
                throw new UsageException($"unknown option --{k} (valid: {string.Join(", ", names.Select(n => "--" + n))})");
    }

    /// <summary>An option's value, or null.</summary>
    public string? Get(string name) => values.TryGetValue(name, out var v) ? v : null;

    /// <summary>Whether a flag is present.</summary>
    public bool Flag(string name) => values.ContainsKey(name);

    /// <summary>An unsigned integer option.</summary>
    public ulong ULong(string name, ulong dflt) => Get(name) is { } s
        ? ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : throw new UsageException($"--{name} takes a non-negative integer, not '{s}'")
        : dflt;

    /// <summary>An integer option.</summary>
    public long Long(string name, long dflt) => Get(name) is { } s
        ? long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : throw new UsageException($"--{name} takes a positive integer, not '{s}'")
        : dflt;

    /// <summary>A number option.</summary>
    public double Double(string name, double dflt) => Get(name) is { } s
        ? double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : throw new UsageException($"--{name} takes a positive number, not '{s}'")
        : dflt;
}
