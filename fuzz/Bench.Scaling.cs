using System.Diagnostics;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Search;
using MmFuzz.Strategies;

namespace MmFuzz.Cli;

public static partial class Bench
{
    /// <summary>
    /// <c>bench --only scaling</c>: the same searches on 1 worker and on <paramref name="jobs"/>: the
    /// engine alone (the ceiling: a random walk on one system per worker, nothing allocated per
    /// execution), executions per second of the generating hunt of a safe state (v6.10, keeping going, so every
    /// worker runs to the end, with the kinds beyond history set aside: each worker would otherwise
    /// shrink the same data races on its own, which is work but not search) for <paramref name="seconds"/>
    /// each, and the wall time of a small-scope proof of v6.10 (3 CPUs, 2 folios, one operation per
    /// CPU, 2 preemptions: 749 scenarios). The speed-up is the ratio (of the medians of three
    /// alternating rounds for the hunt); on 2 cores the goal is at least 1.8.
    /// </summary>
    static void Scaling(double seconds, int jobs, bool json)
    {
        var v = Variants.V6_10;
        double Generate(int workers)
        {
            var r = HuntStrategy.Generate.Run(v, null, new HuntOptions(new Budget(seconds, long.MaxValue), Seed: 1, Ignore: History.BeyondHistoryFor(v), Jobs: workers, KeepGoing: true));
            return r.Executions / r.Seconds;
        }
        // The machine's own ceiling: the engine alone, one system per worker, nothing allocated per execution.
        double Engine(int workers)
        {
            long total = 0;
            Workers.Run(workers, w =>
            {
                using var sim = new Simulation(v, Catalog.SeedMail);
                var random = new RandomStrategy((ulong)w + 1);
                var sw = Stopwatch.StartNew();
                long n = 0;
                while (sw.Elapsed.TotalSeconds < seconds)
                {
                    for (int i = 0; i < 1000; i++)
                        sim.Run(random);
                    n += 1000;
                }
                Interlocked.Add(ref total, n);
            });
            return total / seconds;
        }
        var scope = new SmallScope.Scope(Cpus: 3, Folios: 2, OpsPerCpu: 1, Ops: 2, Preemptions: 2);
        double Prove(int workers)
        {
            var sw = Stopwatch.StartNew();
            var r = ScopeVerifier.Verify(v, scope, new HuntOptions(new Budget(3600, long.MaxValue), Jobs: workers));
            if (!r.Exhausted)
                throw new InvalidOperationException($"the scaling proof of {v.Name} did not exhaust its scope");
            return sw.Elapsed.TotalSeconds;
        }
        // Three rounds, alternating, and the medians: this machine's speed drifts over a minute.
        (double One, double N) Median(Func<int, double> rate)
        {
            rate(1);        // warm-up: JIT
            var ones = new List<double>();
            var ns = new List<double>();
            for (int round = 0; round < 3; round++)
            {
                ones.Add(rate(1));
                ns.Add(rate(jobs));
            }
            return (ones.Order().ElementAt(1), ns.Order().ElementAt(1));
        }
        var (e1, en) = Median(Engine);
        var (g1, gn) = Median(Generate);
        double p1 = Prove(1), pn = Prove(jobs);
        if (json)
        {
            Console.WriteLine(Json.Line(new
            {
                scaling = "engine", variant = v.Name, scenario = Catalog.SeedMail.Name, jobs, seconds, executions_per_second_1 = Math.Round(e1), executions_per_second_n = Math.Round(en),
                speedup = Math.Round(en / e1, 2),
            }));
            Console.WriteLine(Json.Line(new
            {
                scaling = "generate", variant = v.Name, jobs, seconds, executions_per_second_1 = Math.Round(g1), executions_per_second_n = Math.Round(gn),
                speedup = Math.Round(gn / g1, 2),
            }));
            Console.WriteLine(Json.Line(new
            {
                scaling = "small-scope", variant = v.Name, jobs, scope = scope.ToString(), seconds_1 = Math.Round(p1, 2), seconds_n = Math.Round(pn, 2),
                speedup = Math.Round(p1 / pn, 2),
            }));
        }
        else
        {
            Console.WriteLine($"scaling on {jobs} worker(s), {Environment.ProcessorCount} core(s):");
            Console.WriteLine($"  the engine alone (random walk on {Catalog.SeedMail.Name}, a system per worker), median of 3: {e1:N0} executions/s on 1 worker, {en:N0} on {jobs}: {en / e1:F2}x (this machine's ceiling)");
            Console.WriteLine($"  generating hunt of {v.Name}, {seconds:F0} s each, median of 3: {g1:N0} executions/s on 1 worker, {gn:N0} on {jobs}: {gn / g1:F2}x");
            Console.WriteLine($"  small-scope proof of {v.Name} ({scope}): {p1:F1} s on 1 worker, {pn:F1} s on {jobs}: {p1 / pn:F2}x");
        }
    }
}
