using System.CommandLine.Help;
using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Reflection;
using System.Text;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;

namespace MmFuzz.Cli;

/// <summary>
/// The command line, <c>mmfuzz VERB [options]</c>, on System.CommandLine: one file per verb under
/// <c>fuzz/Verbs/</c>, the shared options in <see cref="Opt"/>, the exit codes in <see cref="Exit"/>.
/// </summary>
public static class Cli
{
    /// <summary>Runs the command line in this process (tests): no signal handling, Console's writers.</summary>
    /// <summary>The command as the user typed it (the launch prefix, then the parsed tokens), for a page that says what made it.</summary>
    internal static string CommandLine(System.CommandLine.ParseResult p) =>
        $"{Launch.Prefix} {string.Join(' ', p.Tokens.Select(t => Launch.Arg(t.Value)))}";

    public static int Run(params string[] args) => RunAsync(args, handleSignals: false).GetAwaiter().GetResult();

    /// <summary>Parses and runs; a parse error prints one line on stderr and returns <see cref="Exit.Usage"/>.</summary>
    public static async Task<int> RunAsync(string[] args, bool handleSignals, CancellationToken ct = default)
    {
        // The published fuzz target's core is instrumented: give its edge counters somewhere to go.
        Harness.SharpFuzzMap.EnsureAllocated();
        Launch.CSource = "";        // a run in a process that ran another (a test host) starts without its C
        var config = new InvocationConfiguration
        {
            Output = Console.Out,
            Error = Console.Error,
            EnableDefaultExceptionHandler = false,
            // Ctrl-C cancels the action's token; a hunt then stops, prints and writes what it has.
            ProcessTerminationTimeout = handleSignals ? TimeSpan.FromSeconds(10) : null,
        };
        // A real process at a terminal gets live progress and drawn tables; tests and pipes get plain lines.
        Terminal.ErrInteractive = handleSignals && !Console.IsErrorRedirected;
        Terminal.OutInteractive = handleSignals && !Console.IsOutputRedirected;
        // No response files: a FILE argument starting with '@' is a file name.
        var parse = Build().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Action is ParseErrorAction)
        {
            config.Error.WriteLine($"mmfuzz: {Describe(parse)}");
            return Exit.Usage;
        }
        try
        {
            return await parse.InvokeAsync(config, ct);
        }
        catch (UsageException e)
        {
            config.Error.WriteLine($"mmfuzz: {Escape(e.Message)}");
            return Exit.Usage;
        }
        catch (OperationCanceledException)
        {
            config.Error.WriteLine("mmfuzz: interrupted");
            return Exit.Interrupted;
        }
        catch (Exception e)
        {
            // Never a stack trace for the user; one line that says whose bug it is.
            config.Error.WriteLine($"mmfuzz: internal error (a bug of MmFuzz, please report it): {e.GetType().Name}: {Escape(e.Message)}");
            return Exit.Harness;
        }
    }

    /// <summary>Parses without running: the one-line error, or null when the arguments are well-formed.</summary>
    public static string? Check(params string[] args)
    {
        var parse = Build().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        return parse.Action is ParseErrorAction ? $"mmfuzz: {Describe(parse)}" : null;
    }

    /// <summary>The verbs.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("MmFuzz: races of the Linux THP deferred split queue, found, minimized and reported as a kernel developer reads them")
        {
            VariantsVerb.Build(),
            HuntVerb.Build(),
            VerifyVerb.Build(),
            MergeVerb.Build(),
            ReplayVerb.Build(),
            ReportVerb.Build(),
            MinimizeVerb.Build(),
            BenchVerb.Build(),
            AflVerb.Build(),
            LibFuzzerVerb.Build(),
            RunInputVerb.Build(),
            TriageVerb.Build(),
            SeedsVerb.Build(),
        };
        foreach (var v in root.Options.OfType<VersionOption>())
            v.Action = new VersionAction();
        return root;
    }

    /// <summary>Sets a verb's action: synchronous work on the thread pool, so Ctrl-C reaches it through the token.</summary>
    public static void Action(this Command command, Func<ParseResult, CancellationToken, int> run) =>
        command.SetAction((p, ct) => Task.Run(() => run(p, ct), CancellationToken.None));

    /// <summary><c>--version</c>: <c>mmfuzz 0.2.0 (commit 1234abcd)</c>.</summary>
    sealed class VersionAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(Version);
            return Exit.AsExpected;
        }
    }

    /// <summary>The program's name, version and commit.</summary>
    public static string Version
    {
        get
        {
            string v = typeof(Cli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
            int plus = v.IndexOf('+');
            return plus < 0 ? $"mmfuzz {v}" : $"mmfuzz {v[..plus]} (commit {v[(plus + 1)..Math.Min(v.Length, plus + 9)]})";
        }
    }

    /// <summary>One line for a parse error, built from the parse's structure rather than the library's (often multi-line) text.</summary>
    static string Describe(ParseResult p)
    {
        Command cmd = p.CommandResult.Command;
        string verb = cmd is RootCommand ? "" : cmd.Name + ": ";
        ParseError first = p.Errors[0];
        foreach (var e in p.Errors)
            if (e.Message.StartsWith('-') || e.Message.StartsWith(verb.Length > 0 ? verb : "\0", StringComparison.Ordinal))
                return Escape(e.Message);             // ours: "--name: ..." from a parser, "verb: ..." from a validator
        foreach (var e in p.Errors)
            if (e.SymbolResult is ArgumentResult { Argument.Name: var name } && e.Message.StartsWith(name + ":", StringComparison.Ordinal))
                return Escape(verb + e.Message);
        if (p.UnmatchedTokens.Count > 0)
        {
            string t = p.UnmatchedTokens[0];
            if (cmd is RootCommand)
                return t.StartsWith('-')
                    ? $"unknown option '{Escape(t)}' (valid: --help, --version; or a verb: {Verbs(cmd)})"
                    : $"unknown verb '{Escape(t)}' (valid: {Verbs(cmd)})";
            return t.StartsWith('-') && t.Length > 1
                ? $"{verb}unknown option '{Escape(t)}' (valid: {string.Join(", ", cmd.Options.Where(o => !o.Hidden && o is not HelpOption).Select(o => o.Name))}, --help)"
                : $"{verb}unexpected argument '{Escape(t)}'";
        }
        foreach (var e in p.Errors)
            if (e.SymbolResult is OptionResult { Implicit: false, Tokens.Count: 0 } o && o.Option.Arity.MinimumNumberOfValues > 0)
                return $"{o.IdentifierToken?.Value ?? o.Option.Name}: needs a value";
        foreach (var e in p.Errors)
            if (e.SymbolResult is OptionResult { IdentifierTokenCount: > 1 } o)
                return $"{o.Option.Name}: given more than once";
        foreach (var o in cmd.Options)
            if (o.Required && p.GetResult(o) is not { Implicit: false })
                return $"{verb}{o.Name} is required";
        foreach (var a in cmd.Arguments)
            if (a.Arity.MinimumNumberOfValues > 0 && p.GetResult(a) is not { Tokens.Count: > 0 })
                return $"{verb}missing {a.Name}";
        if (cmd is RootCommand)
            return $"no verb given (valid: {Verbs(cmd)}; see mmfuzz --help)";
        return verb + Escape(string.Join(' ', first.Message.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
    }

    static string Verbs(Command root) => string.Join(", ", root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));

    /// <summary>Escapes control characters (and a lone backslash's meaning stays), so nothing a user or a file supplies drives the terminal.</summary>
    public static string Escape(string s)
    {
        if (!s.Any(c => char.IsControl(c) && c != '\n' || c is '\u2028' or '\u2029' or '\u200e' or '\u200f' or '\u202a' or '\u202b' or '\u202c' or '\u202d' or '\u202e'))
            return s;
        var sb = new StringBuilder(s.Length + 8);
        foreach (char c in s)
            sb.Append(char.IsControl(c) && c != '\n' || c is '\u2028' or '\u2029' or '\u200e' or '\u200f' or '\u202a' or '\u202b' or '\u202c' or '\u202d' or '\u202e'
                ? (c < 0x100 ? $"\\x{(int)c:x2}" : $"\\u{(int)c:x4}") : c.ToString());
        return sb.ToString();
    }

    /// <summary>The scenarios a <c>--scenario</c> value names (checked when parsed).</summary>
    internal static IReadOnlyList<Scenario> ScenariosOf(string name) => Catalog.Resolve(name)!;
}
