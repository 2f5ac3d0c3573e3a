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
        var seeds = new Option<IReadOnlyList<ulong>?>("--seeds")
        {
            Description = "zoo: hunt every mutant once per seed and report per mutant the fraction found, the median and the worst time over them (1-5, 1,3,7)",
            HelpName = "N-M|N[,N]",
            CustomParser = r =>
            {
                try
                {
                    return Bench.ParseSeeds(r.Tokens[0].Value);
                }
                catch (UsageException e)
                {
                    r.AddError(e.Message);
                    return null;
                }
            },
        };
        var form = Opt.OneOf("--form", "both", "zoo: the mutants' forms to hunt: cs (the C# subclass), c (its patch read by the C front end) or both", "cs", "c", "both");
        var executions = Opt.Executions("shape: cases per source (default 50,000)");
        var json = Opt.Flag("--json", "one JSON object per measurement");
        var noSteer = Opt.Flag("--no-steer", "zoo: hunt without the generating hunt's coverage feedback, every case drawn afresh (to compare)");
        var command = new Command("bench", "executions/s, steps/s, bytes per execution; --only zoo|shape|scaling measure the search")
        {
            variant, scenario, seconds, only, strategy, mutant, jobs, seed, seeds, form, executions, json, noSteer,
        };
        command.Validators.Add(r =>
        {
            // The token, not GetValue: an invalid --only must reach its own one-line error, and GetValue throws on it.
            bool zoo = r.GetResult(only) is { Implicit: false, Tokens: [{ Value: "zoo" }] };
            foreach (var o in new Option[] { seeds, form, noSteer })
                if (!zoo && r.GetResult(o) is { Implicit: false })
                    r.AddError($"bench: {o.Name} goes with --only zoo");
            if (r.GetResult(seed) is { Implicit: false } && r.GetResult(seeds) is { Implicit: false })
                r.AddError("bench: --seed and --seeds do not go together");
        });
        var csource = new CSourceOptions().AddTo(command);
        command.Action((p, _) => Bench.Run(new Bench.Args(csource.Variants(p, variant, compare: true), p.GetValue(scenario), p.GetValue(seconds),
            p.GetValue(only) is { Length: > 0 } o ? o : null, p.GetValue(strategy), p.GetValue(mutant), (int)p.GetValue(jobs), p.GetValue(seed),
            p.GetValue(executions), p.GetValue(json)) { Seeds = p.GetValue(seeds), Form = p.GetValue(form)!, Steer = !p.GetValue(noSteer) }));
        return command;
    }
}
