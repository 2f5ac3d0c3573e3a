using System.CommandLine;
using MmFuzz.Kernel;

namespace MmFuzz.Cli;

/// <summary><c>bench</c>: the engine's throughput and the search's measures (<see cref="Bench"/>).</summary>
static class BenchVerb
{
    public static Command Build()
    {
        var variant = Opt.Variants(required: false, "kernel states to measure (default: all)");
        var scenario = Opt.Scenario();
        var seconds = Opt.Seconds("--seconds", "seconds per measurement (default: 3; zoo 60 per mutant; scaling 5)");
        var only = Opt.OneOf("--only", "", "one section: throughput, shrink, shape, scaling, or zoo (every zoo mutant hunted with its base as the baseline)",
            "throughput", "shrink", "shape", "scaling", "zoo");
        var strategy = new Option<string?>("--strategy") { Description = "zoo: strategies, comma-separated, or all (default: default)", HelpName = "NAME[,NAME]|all" };
        var mutant = new Option<string?>("--mutant") { Description = "zoo: mutants, comma-separated (default: every one)", HelpName = "NAME[,NAME]" };
        var jobs = Opt.Jobs();
        var seed = Opt.Seed();
        var executions = Opt.Executions("shape: cases per source (default 50,000)");
        var json = Opt.Flag("--json", "one JSON object per measurement");
        var command = new Command("bench", "executions/s, steps/s, bytes per execution; --only zoo|shape|scaling measure the search")
        {
            variant, scenario, seconds, only, strategy, mutant, jobs, seed, executions, json,
        };
        var csource = new CSourceOptions().AddTo(command);
        command.Action((p, _) => Bench.Run(new Bench.Args(csource.Variants(p, variant, compare: true), p.GetValue(scenario), p.GetValue(seconds),
            p.GetValue(only) is { Length: > 0 } o ? o : null, p.GetValue(strategy), p.GetValue(mutant), (int)p.GetValue(jobs), p.GetValue(seed),
            p.GetValue(executions), p.GetValue(json))));
        return command;
    }
}
