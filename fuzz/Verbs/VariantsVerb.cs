using System.CommandLine;
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
                Console.WriteLine(Json.Variant(row));
            return Exit.AsExpected;
        });
        return command;
    }
}
