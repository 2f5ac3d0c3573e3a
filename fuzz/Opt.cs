using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Search;

namespace MmFuzz.Cli;

/// <summary>
/// The options the verbs share, each typed and range-checked by its own parser so that a bad value
/// is one line naming the option (System.CommandLine's own messages name CLR types and span lines).
/// A numeric option always has a default, so its parser runs only when the option is given.
/// </summary>
static class Opt
{
    /// <summary>Characters a message may echo from the user: control bytes are escaped, so a hostile argument cannot drive the terminal.</summary>
    public static string Show(string s) => Cli.Escape(s);

    /// <summary>An integer option in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<long> Int(string name, long min, long max, long dflt, string help, string helpName = "N") => new(name)
    {
        Description = $"{help} ({min} to {max})",
        HelpName = helpName,
        DefaultValueFactory = _ => dflt,
        CustomParser = r =>
        {
            string s = r.Tokens[0].Value;
            if (long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long v) && v >= min && v <= max)
                return v;
            r.AddError($"{name}: '{Show(s)}' is not an integer from {min} to {max}");
            return dflt;
        },
    };

    /// <summary>An execution count: a positive integer, null when absent (the verb's default).</summary>
    public static Option<long?> Executions(string help) => new("--executions")
    {
        Description = help,
        HelpName = "N",
        CustomParser = r =>
        {
            string s = r.Tokens[0].Value;
            if (long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long v) && v >= 1)
                return v;
            r.AddError($"--executions: '{Show(s)}' is not an integer from 1 to {long.MaxValue}");
            return null;
        },
    };

    /// <summary>A number of seconds: finite, at least 0.1 and at most a million.</summary>
    public static Option<double> Seconds(string name, double dflt, string help) => new(name)
    {
        Description = help,
        HelpName = "SECONDS",
        DefaultValueFactory = _ => dflt,
        CustomParser = r => ParseSeconds(r, name) ?? dflt,
    };

    /// <summary>A number of seconds whose default depends on other options (null when absent).</summary>
    public static Option<double?> Seconds(string name, string help) => new(name)
    {
        Description = help,
        HelpName = "SECONDS",
        CustomParser = r => ParseSeconds(r, name),
    };

    static double? ParseSeconds(ArgumentResult r, string name)
    {
        string s = r.Tokens[0].Value;
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && v >= 0.1 && v <= 1e6)
            return v;
        r.AddError($"{name}: '{Show(s)}' is not a number of seconds from 0.1 to 1000000");
        return null;
    }

    /// <summary>A seed: any unsigned 64-bit integer.</summary>
    public static Option<ulong> Seed(ulong dflt = 1) => new("--seed")
    {
        Description = "the random seed",
        HelpName = "N",
        DefaultValueFactory = _ => dflt,
        CustomParser = r =>
        {
            string s = r.Tokens[0].Value;
            if (ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v))
                return v;
            r.AddError($"--seed: '{Show(s)}' is not an integer from 0 to {ulong.MaxValue}");
            return dflt;
        },
    };

    /// <summary>Worker threads: every core by default.</summary>
    public static Option<long> Jobs() => Int("--jobs", 1, 256, Workers.Default, "worker threads, by default one per core");

    /// <summary>A preemption bound.</summary>
    public static Option<long> Preemptions(long dflt = 2) => Int("--preemptions", 0, 10, dflt, "preemption bound", "K");

    /// <summary>A flag (no value: <c>--json false</c> would otherwise eat the next word).</summary>
    public static Option<bool> Flag(string name, string help) => new(name) { Description = help, Arity = ArgumentArity.Zero };

    /// <summary>One word from a set.</summary>
    public static Option<string> OneOf(string name, string dflt, string help, params string[] values)
    {
        var o = new Option<string>(name)
        {
            Description = help,
            HelpName = string.Join('|', values),
            DefaultValueFactory = _ => dflt,
            CustomParser = r =>
            {
                string s = r.Tokens[0].Value;
                if (values.Contains(s))
                    return s;
                r.AddError($"{name}: unknown value '{Show(s)}' (valid: {string.Join(", ", values)})");
                return dflt;
            },
        };
        o.CompletionSources.Add(values);
        return o;
    }

    /// <summary>A comma-separated list of names from a set, or <c>all</c> when <paramref name="all"/> is given.</summary>
    static Option<T[]> ListOf<T>(string name, string helpName, string help, IReadOnlyList<T> known, Func<T, string> nameOf, Func<string, T?> find,
        bool required, string what, IReadOnlyList<T>? all) where T : class
    {
        var o = new Option<T[]>(name)
        {
            Description = help,
            HelpName = helpName,
            Required = required,
            Arity = ArgumentArity.ExactlyOne,
            CustomParser = r =>
            {
                string s = r.Tokens[0].Value;
                if (all is not null && s == "all")
                    return [.. all];
                var list = new List<T>();
                foreach (var n in s.Split(',', StringSplitOptions.TrimEntries))
                {
                    if (find(n) is { } x)
                    {
                        list.Add(x);
                        continue;
                    }
                    r.AddError(n.Length == 0
                        ? $"{name}: empty {what} name in '{Show(s)}'"
                        : $"{name}: unknown {what} '{Show(n)}' (valid: {string.Join(", ", known.Select(nameOf))}{(all is null ? "" : ", all")})");
                    return [];
                }
                return [.. list];
            },
        };
        o.CompletionSources.Add([.. known.Select(nameOf), .. all is null ? Array.Empty<string>() : ["all"]]);
        return o;
    }

    /// <summary><c>--variant NAME[,NAME]|all</c>.</summary>
    public static Option<Variant[]> Variants(bool required, string help = "kernel states, comma-separated, or all") =>
        ListOf("--variant", "NAME[,NAME]|all", help, Kernel.Variants.All, v => v.Name, Kernel.Variants.Find, required, "variant", Kernel.Variants.All);

    /// <summary>One variant (<c>--baseline</c>, a campaign's <c>--variant</c>).</summary>
    public static Option<Variant?> OneVariant(string name, bool required, string help) => new(name)
    {
        Description = help,
        HelpName = "NAME",
        Required = required,
        CustomParser = r =>
        {
            string s = r.Tokens[0].Value;
            if (Kernel.Variants.Find(s) is { } v)
                return v;
            r.AddError($"{name}: unknown variant '{Show(s)}' (valid: {string.Join(", ", Kernel.Variants.All.Select(x => x.Name))}; one variant)");
            return null;
        },
    };

    /// <summary><c>--scenario NAME|FAMILY|all</c>: the scenarios, and the name given.</summary>
    public static Option<string?> Scenario()
    {
        var names = Catalog.All.Select(s => s.Name).Concat(Family.All.Select(f => f.Name)).Append("all").ToArray();
        var o = new Option<string?>("--scenario")
        {
            Description = "a catalog scenario, a family of them, or all",
            HelpName = "NAME|FAMILY|all",
            CustomParser = r =>
            {
                string s = r.Tokens[0].Value;
                if (Catalog.Resolve(s) is not null)
                    return s;
                r.AddError($"--scenario: unknown scenario '{Show(s)}' (valid: {string.Join(", ", names)})");
                return null;
            },
        };
        o.CompletionSources.Add(names);
        return o;
    }

    /// <summary><c>--ignore KIND[,KIND]</c>: oracles turned off or kinds set aside.</summary>
    public static Option<HashSet<BugKind>> Ignore()
    {
        var names = BugKinds.All.Select(BugKinds.Name).ToArray();
        var o = new Option<HashSet<BugKind>>("--ignore")
        {
            Description = "bug kinds to set aside (wrong-lock and data-race turn their oracle off)",
            HelpName = "KIND[,KIND]",
            DefaultValueFactory = _ => [],
            CustomParser = r =>
            {
                string s = r.Tokens[0].Value;
                var kinds = new HashSet<BugKind>();
                foreach (var k in s.Split(',', StringSplitOptions.TrimEntries))
                {
                    if (BugKinds.Parse(k) is { } kind)
                        kinds.Add(kind);
                    else
                    {
                        r.AddError($"--ignore: unknown bug kind '{Show(k)}' (valid: {string.Join(", ", names)})");
                        return [];
                    }
                }
                return kinds;
            },
        };
        o.CompletionSources.Add(names);
        return o;
    }

    /// <summary>A path option (a file or a folder to write); the verb decides what may exist.</summary>
    public static Option<string?> Path(string name, string helpName, string help, params string[] aliases) => new(name, aliases)
    {
        Description = help,
        HelpName = helpName,
        CustomParser = r => ParsePath(r, name),
    };

    /// <summary>A positional file or folder argument.</summary>
    public static Argument<string> PathArgument(string name, string help) => new(name)
    {
        Description = help,
        CustomParser = r => ParsePath(r, name) ?? "",
    };

    /// <summary>A non-empty path without NUL bytes, or null with an error naming <paramref name="name"/>.</summary>
    static string? ParsePath(ArgumentResult r, string name)
    {
        string s = r.Tokens[0].Value;
        if (s.Length > 0 && s.IndexOf('\0') < 0)
            return s;
        r.AddError($"{name}: '{Show(s)}' is not a path");
        return null;
    }
}
