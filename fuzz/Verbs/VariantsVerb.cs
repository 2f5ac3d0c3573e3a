using System.CommandLine;
using System.Text.Json;
using MmFuzz.Kernel;

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
            foreach (var row in History.Rows)
            {
                var v = row.Variant;
                var expectations = row.Cells.Select(c => (Name: c.Family.Name, c.Cell.Expected)).Append((Name: "all", Expected: row.Overall)).ToList();
                var verdicts = string.Join(", ", expectations.Select(e => $"{e.Name}: {(e.Expected == Expected.Bug ? "BUG" : "safe")}"));
                if (p.GetValue(json))
                    Console.WriteLine(JsonSerializer.Serialize(new { variant = v.Name, kernel = v.KernelState, expected = expectations.ToDictionary(e => e.Name, e => e.Expected == Expected.Bug ? "bug" : "none"), history = row.Source }));
                else
                    Console.WriteLine($"{v.Name,-12} {verdicts,-22} {v.KernelState}");
            }
            return Exit.AsExpected;
        });
        return command;
    }
}
