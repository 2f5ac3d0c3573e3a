using System.CommandLine;
using MmFuzz.C;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Reports;
using MmFuzz.Scenarios;
using MmFuzz.Search;

namespace MmFuzz.Cli;

/// <summary>
/// <c>report --mail FILE</c>: a finding written up for the list, from its corpus file and the notes
/// beside it (<see cref="FindingMail"/>). Replays the schedule (it must still show its kind), sweeps
/// every history row and the suggested fix, and prints the mail or writes it with <c>--out</c>.
/// Exit 0 when the mail is written and the fix holds; 1 when the schedule no longer shows its kind
/// or the fix does not hold (the mail is not written then).
/// </summary>
static class ReportVerb
{
    public static Command Build()
    {
        var mail = Opt.Path("--mail", "FILE", "the finding's .schedule file; its notes are FILE with .notes for .schedule");
        mail.Required = true;
        var output = Opt.Path("--out", "FILE", "write the mail here (refuses an existing file without --force) instead of printing it", "-o");
        var force = Opt.Flag("--force", "overwrite --out");
        var bound = Opt.Int("--preemptions", 0, 6, 2, "sweep each state up to K preemptions, or the finding's own if more", "K");
        var seconds = Opt.Seconds("--seconds", 60, "time for each state's sweep");
        var command = new Command("report", "write a finding up for the list: the mail, with the states and releases it shows in and its fix checked")
            { mail, output, force, bound, seconds };
        command.Action((p, _) => Run(p.GetValue(mail)!, p.GetValue(output), p.GetValue(force), p.GetValue(bound), p.GetValue(seconds)));
        return command;
    }

    static int Run(string path, string? output, bool force, long bound, double seconds)
    {
        if (output is not null)
            Files.CheckNew("--out", output, force);
        var file = Files.ReadSchedule(path);
        var notesPath = FindingNotes.PathFor(path);
        if (!File.Exists(notesPath))
            throw new UsageException($"{Cli.Escape(notesPath)}: no notes beside the finding (docs/CLI.md, \"report\": the subject, the reachability, the fix)");
        FindingNotes notes;
        try
        {
            notes = FindingNotes.Parse(File.ReadAllText(notesPath), notesPath);
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }
        var variant = Variants.Find(file.Variant) ?? throw new UsageException($"{Cli.Escape(path)}: names the kernel state '{Cli.Escape(file.Variant)}', which is not a history row");
        var scenario = file.ResolveScenario();
        Report report;
        try
        {
            report = Report.Record(variant, scenario, file.Steps, file.OraclesOff);
        }
        catch (ReplayDivergedException e)
        {
            Console.Error.WriteLine($"mmfuzz: {Cli.Escape(path)}: replay diverged at {e.Message}");
            return Exit.Differs;
        }
        if (report.Outcome.Kind != file.Expect)
        {
            Console.Error.WriteLine($"mmfuzz: {Cli.Escape(path)}: replays {BugKinds.Name(report.Outcome.Kind)}, the file expects {BugKinds.Name(file.Expect)}: no mail for a finding that does not reproduce");
            return Exit.Differs;
        }

        int k = Math.Max((int)bound, report.Preemptions);
        var budget = new Budget(seconds);
        // The states are asked what the kernel would report: the model's own assertions and the race
        // detector are off (unless they are the finding's kind), so one cannot end a run before the check that matters.
        var statesOff = new HashSet<BugKind>(file.OraclesOff.Concat(History.ModelAssertions).Append(BugKind.DataRace));
        statesOff.Remove(file.Expect);
        var states = Terminal.Progress($"sweeping {History.Rows.Count} kernel states", null, status =>
            History.Rows.Select(r =>
            {
                status(r.Variant.Name);
                return Sweep.In(r.Variant, scenario, o => o.IsBug && o.Kind == file.Expect, statesOff, k, budget);
            }).ToList());

        string dir = Path.GetDirectoryName(notesPath) ?? ".";
        // As the user gave FILE: relative to here, or absolute.
        string Shown(string relative) => Path.IsPathRooted(path)
            ? Path.GetFullPath(Path.Combine(dir, relative))
            : Path.GetRelativePath(".", Path.GetFullPath(Path.Combine(dir, relative)));
        var fixedState = LoadFix(Shown(notes.FixBase), Shown(notes.FixPatch), variant);
        // The fix, with every oracle on: no bug of any kind in the finding's scenario, and history's kinds
        // nowhere in the catalog (the verdict the state had stands).
        var fixedRow = Sweep.In(fixedState, scenario, o => o.IsBug, file.OraclesOff, k, budget);
        var catalog = Terminal.Progress($"verifying the catalog over {fixedState.Name}", null, _ =>
            Verifier.VerifyEach(fixedState, Catalog.All, new HuntOptions(budget, Preemptions: k) { Reduction = true, Jobs = Workers.Default }));
        var catalogCheck = new FindingMail.CatalogCheck(Catalog.All.Count, catalog.Sum(r => r?.Executions ?? 0),
            catalog.All(r => r is { Exhausted: true }), [.. catalog.Select(r => r?.Bug).OfType<Finding>().Select(b => $"{b.Scenario.Name}: {BugKinds.Name(b.Outcome.Kind)}")]);

        var text = FindingMail.Format(new FindingMail.Parts(path, file, notes with { FixBase = Shown(notes.FixBase), FixPatch = Shown(notes.FixPatch) },
            report, states, fixedRow, catalogCheck, k, [Launch.Replay(path), $"{Launch.Prefix} report --mail {Launch.Arg(path)}"]));
        if (fixedRow.Shows || !fixedRow.Exhausted || !catalogCheck.Holds)
        {
            Console.Error.WriteLine($"mmfuzz: {Cli.Escape(notes.FixPatch)}: the suggested fix does not hold: {FindingMail.Verdict(fixedRow, k)}; " +
                                    $"{FindingMail.Describe(catalogCheck, k)}; no mail written");
            return Exit.Differs;
        }
        if (output is null)
            Console.Write(text);
        else
        {
            Files.Write("--out", output, text, force);
            Console.Error.WriteLine($"wrote {output}");
        }
        return Exit.AsExpected;
    }

    /// <summary>The fix: <paramref name="patch"/> applied to the C of <paramref name="rendering"/>, over <paramref name="state"/>'s ports.</summary>
    static Variant LoadFix(string rendering, string patch, Variant state)
    {
        try
        {
            var files = CPatch.Apply(CInputs.ReadFileOrFolder(rendering), CInputs.ReadFile(patch).Text, patch);
            var loaded = Terminal.Progress($"reading the fix over {state.Name}", 5, _ =>
                CState.Load(new CLoadOptions { Files = files, Name = $"{state.Name}+fix" }, state));
            return loaded.Variant;
        }
        catch (CError e)
        {
            throw new UsageException(e.Message);
        }
    }
}
