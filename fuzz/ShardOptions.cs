using System.CommandLine;
using System.Globalization;
using MmFuzz.Search;

namespace MmFuzz.Cli;

/// <summary>
/// <c>--shard I/N</c>, or <c>--shards N</c> with the index from the batch system: Kubernetes' Indexed
/// Job sets <see cref="KubernetesIndex"/> in each pod, a Slurm job array <see cref="SlurmIndex"/> in
/// each task. A shard writes its summary (<see cref="ShardFile"/>) into its <c>--out</c> folder, and
/// <c>mmfuzz merge</c> judges the shards together. Every bad value, given or found in the
/// environment, is one line naming it.
/// </summary>
public sealed class ShardOptions
{
    /// <summary>The variable a Kubernetes Indexed Job sets to each pod's completion index.</summary>
    public const string KubernetesIndex = "JOB_COMPLETION_INDEX";

    /// <summary>The variable a Slurm job array sets to each task's index.</summary>
    public const string SlurmIndex = "SLURM_ARRAY_TASK_ID";

    /// <summary>The most shards.</summary>
    public const int MaxShards = 100_000;

    readonly Option<Shard?> shard = new("--shard")
    {
        Description = $"run shard I of N (0 <= I < N <= {MaxShards:N0}) and write its summary to --out DIR for mmfuzz merge; each shard a fixed part of the work (docs/SHARDS.md)",
        HelpName = "I/N",
        CustomParser = r =>
        {
            try
            {
                return Parse(r.Tokens[0].Value);
            }
            catch (UsageException e)
            {
                r.AddError(e.Message);
                return null;
            }
        },
    };

    readonly Option<long> shards = Opt.Int("--shards", 1, MaxShards, 1,
        $"run one of N shards, its index from {KubernetesIndex} (a Kubernetes Indexed Job) or {SlurmIndex} (a Slurm job array)");

    /// <summary>Adds the options to <paramref name="command"/>; giving both is an error.</summary>
    public ShardOptions AddTo(Command command)
    {
        command.Add(shard);
        command.Add(shards);
        command.Validators.Add(r =>
        {
            if (r.GetResult(shard) is { Implicit: false } && r.GetResult(shards) is { Implicit: false })
                r.AddError($"{command.Name}: --shard and --shards do not go together (--shards takes the index from the environment)");
        });
        return this;
    }

    /// <summary>Whether a shard was asked for (<c>--shard</c> or <c>--shards</c>).</summary>
    public bool Given(ParseResult p) => p.GetResult(shard) is { Implicit: false } || p.GetResult(shards) is { Implicit: false };

    /// <summary>The shard asked for, or null when the run is not sharded; a bad index in the environment is a <see cref="UsageException"/>.</summary>
    public Shard? Read(ParseResult p) =>
        p.GetResult(shard) is { Implicit: false } ? p.GetValue(shard)
        : p.GetResult(shards) is { Implicit: false } ? FromEnvironment((int)p.GetValue(shards), Environment.GetEnvironmentVariable)
        : null;

    /// <summary>Parses <c>I/N</c>.</summary>
    public static Shard Parse(string s)
    {
        var parts = s.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
                              || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            throw new UsageException($"--shard: '{Opt.Show(s)}' is not I/N, shard I of N (e.g. 0/4)");
        if (n < 1 || n > MaxShards)
            throw new UsageException($"--shard: '{Opt.Show(s)}': N must be from 1 to {MaxShards}");
        if (i >= n)
            throw new UsageException($"--shard: '{Opt.Show(s)}': I must be from 0 to {n - 1} (the shards are numbered from 0)");
        return new Shard(i, n);
    }

    /// <summary>
    /// Shard I of <paramref name="count"/>, I from <see cref="KubernetesIndex"/> or <see cref="SlurmIndex"/>
    /// as <paramref name="env"/> gives them (both may be set when they agree).
    /// </summary>
    public static Shard FromEnvironment(int count, Func<string, string?> env)
    {
        int? Index(string name)
        {
            var value = env(name);
            if (string.IsNullOrEmpty(value))
                return null;
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int i) && i < count)
                return i;
            throw new UsageException($"--shards {count}: {name} is '{Opt.Show(value)}', not a shard index from 0 to {count - 1}" +
                                     (name == SlurmIndex ? " (number the array from 0: --array=0-" + (count - 1) + ")" : ""));
        }
        var (k, s) = (Index(KubernetesIndex), Index(SlurmIndex));
        if (k is { } a && s is { } b && a != b)
            throw new UsageException($"--shards {count}: {KubernetesIndex} is {a} but {SlurmIndex} is {b}; unset one, or give --shard I/{count}");
        return new Shard(k ?? s ?? throw new UsageException(
            $"--shards {count}: neither {KubernetesIndex} (a Kubernetes Indexed Job) nor {SlurmIndex} (a Slurm job array) is set; give --shard I/{count} instead"), count);
    }
}
