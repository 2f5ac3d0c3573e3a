using System.Diagnostics;
using System.Text;
using MmFuzz.Cli.Harness;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using SharpFuzz;
using MmFuzz.Search;
using MmFuzz.Schedules;
using MmFuzz.Strategies;
using MmFuzz.Reports;

namespace MmFuzz.Cli;

/// <summary>The seed corpus and dictionary of the fuzz campaigns.</summary>
public static class SeedCorpus
{
    /// <summary>Up to <paramref name="count"/> scenario-only inputs, clean on every variant, of distinct shapes.</summary>
    public static List<(string Name, byte[] Data)> Generate(int count)
    {
        var rng = new Random(20240311);
        var shapes = new HashSet<string>();
        var seeds = new List<(string, byte[])>();
        for (int attempt = 0; attempt < 200_000 && seeds.Count < count; attempt++)
        {
            var raw = new byte[rng.Next(4, 48)];
            rng.NextBytes(raw);
            var data = raw[..ScenarioDecoder.Length(raw)];      // the scenario's bytes: a seed has no schedule
            var c = ChoiceCase.Decode(data);
            var scenario = c.Scenario;
            var shape = string.Join("|", scenario.Cpus.Select(p => string.Join(",", p.Select(op => op.Kind + (op.Kind == Scenarios.OpKind.Scan ? op.Queue.ToString() : ""))).Order()))
                        + "/" + string.Join(",", scenario.Folios.Select(f => f.Queue.ToString() + f.Memcg).Order());
            if (!shapes.Add(shape))
                continue;
            if (!Variants.All.All(v => ChoiceRun.Run(v, c).Verdict == Verdict.Ok))
                continue;
            seeds.Add(($"seed-{seeds.Count:D2}", data));
        }
        return seeds;
    }

    /// <summary>An AFL++/libFuzzer dictionary: each seed's scenario bytes, and schedule patterns (runs of "keep" and a switch).</summary>
    public static string Dictionary(IEnumerable<(string Name, byte[] Data)> seeds)
    {
        var sb = new StringBuilder("# mmfuzz: scenario prefixes of the seeds (corpus/seeds) and schedule patterns; written by `mmfuzz seeds`\n");
        foreach (var (name, data) in seeds)
            sb.Append($"scenario_{name.Replace('-', '_')}=\"{Escape(data)}\"\n");
        foreach (int run in new[] { 1, 2, 4, 8, 16 })
            for (int sw = 1; sw <= 2; sw++)
                sb.Append($"switch_after_{run}_to_{sw}=\"{Escape([.. new byte[run], (byte)sw])}\"\n");
        return sb.ToString();
    }

    static string Escape(byte[] data) => string.Concat(data.Select(b => $"\\x{b:X2}"));
}
