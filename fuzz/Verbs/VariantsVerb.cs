using System.CommandLine;
using System.Text.Json;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;

namespace MmFuzz.Cli;

/// <summary><c>variants</c>: the implemented kernel states and history's verdicts.</summary>
static class VariantsVerb
{
    public static Command Build()
    {
        var json = Opt.Flag("--json", "one JSON object per variant");
        var command = new Command("variants", "the implemented kernel states and history's verdicts") { json };
        command.Action((p, _) =>
        {
            if (!p.GetValue(json))
            {
                Terminal.Table(["variant", .. Family.All.Select(f => f.Name)],
                    History.Rows.Select(row => (string[])[row.Variant.Name, .. row.Cells.Select(c => c.Cell.Expected == Expected.Bug ? "BUG" : "safe")]));
                Console.WriteLine();
                // The kernel states are sentences full of identifiers: one line each, never wrapped inside a table cell.
                foreach (var row in History.Rows)
                    Console.WriteLine($"{row.Variant.Name,-12} {row.Variant.KernelState}");
                return Exit.AsExpected;
            }
            foreach (var row in History.Rows)
            {
                var v = row.Variant;
                var expectations = row.Cells.Select(c => (Name: c.Family.Name, c.Cell.Expected)).Append((Name: "all", Expected: row.Overall)).ToList();
                Console.WriteLine(JsonSerializer.Serialize(new { variant = v.Name, kernel = v.KernelState, expected = expectations.ToDictionary(e => e.Name, e => e.Expected == Expected.Bug ? "bug" : "none"), history = row.Source }));
            }
            return Exit.AsExpected;
        });
        return command;
    }
}
