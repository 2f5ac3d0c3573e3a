using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using NUnit.Framework;
using MmFuzz.Search;

namespace MmFuzz.Tests;

/// <summary>
/// Same seed, same result: inside one process (the schedule of every execution, bit for bit) and
/// across two processes of the built command line (the whole output but the wall-clock times).
/// </summary>
[TestFixture, Category("slow")]
public class DeterminismTests
{
    static readonly string[] HuntArgs = ["hunt", "--variant", "mm-2024-03,v6.9", "--scenario", "scan-vs-free", "--seed", "7", "--time-budget", "60", "--executions", "50000"];

    // ---- in one process ----

    sealed record Execution(byte[] Choices, AccessOp[] Ops, Verdict Verdict, string Kind, string Message, int Step);

    static List<Execution> RunMany(Machine machine, ulong seed, int executions)
    {
        var strategy = new RandomStrategy(seed);
        var result = new List<Execution>(executions);
        for (int i = 0; i < executions; i++)
        {
            var o = machine.Run(strategy);
            Assert.That(o.Verdict, Is.Not.EqualTo(Verdict.HarnessError), o.Message);
            result.Add(new Execution(machine.Choices.ToArray(), machine.Ops.ToArray(), o.Verdict, o.Kind.ToString(), o.Message, o.Step));
        }
        return result;
    }

    static void AssertSame(List<Execution> a, List<Execution> b)
    {
        Assert.That(b, Has.Count.EqualTo(a.Count));
        for (int i = 0; i < a.Count; i++)
        {
            Assert.That(b[i].Choices, Is.EqualTo(a[i].Choices), $"choices of execution {i}");
            Assert.That(b[i].Ops, Is.EqualTo(a[i].Ops), $"scheduling points of execution {i}");
            Assert.That((b[i].Verdict, b[i].Kind, b[i].Message, b[i].Step), Is.EqualTo((a[i].Verdict, a[i].Kind, a[i].Message, a[i].Step)), $"outcome of execution {i}");
        }
    }

    [Test]
    public void TwoWorldsWithTheSameSeed_MakeTheSameChoicesOver1000Executions()
    {
        using var w1 = new Simulation(Variants.Mm2024_03, Catalog.SeedMailBatch);
        using var w2 = new Simulation(Variants.Mm2024_03, Catalog.SeedMailBatch);
        var a = RunMany(w1.Machine, 7, 1000);
        var b = RunMany(w2.Machine, 7, 1000);
        AssertSame(a, b);
        // The executions differ from one another and some of them find the bug: the comparison is not vacuous.
        Assert.That(a.Select(e => Convert.ToHexString(e.Choices)).Distinct().Count(), Is.GreaterThan(100));
        Assert.That(a.Count(e => e.Verdict == Verdict.Bug), Is.InRange(1, 999));
        // A world reset 1000 times replays the same sequence again.
        AssertSame(a, RunMany(w1.Machine, 7, 1000));
    }

    [Test]
    public void ADifferentSeed_MakesDifferentChoices()
    {
        using var w1 = new Simulation(Variants.V6_9, Catalog.Neighbours);
        using var w2 = new Simulation(Variants.V6_9, Catalog.Neighbours);
        var a = RunMany(w1.Machine, 7, 100);
        var b = RunMany(w2.Machine, 8, 100);
        Assert.That(Enumerable.Range(0, 100).Count(i => !a[i].Choices.SequenceEqual(b[i].Choices)), Is.GreaterThan(50));
    }

    [Test]
    public void HandMadeProgramsWithTheSameSeed_MakeTheSameChoices()
    {
        static Func<TestKernel, Rig, Sim> Program(bool memcg1First) => async (k, r) =>
        {
            var (first, second) = memcg1First ? (r.Q1, r.Q2) : (r.Q2, r.Q1);
            await k.Lock(first);
            await k.ListEmpty(r["A"]);
            await k.Lock(second);
            await k.Unlock(second);
            await k.Unlock(first);
        };
        using var r1 = new Rig([Rig.Free("A")], Program(true), Program(false), Program(true));
        using var r2 = new Rig([Rig.Free("A")], Program(true), Program(false), Program(true));
        var a = RunMany(r1.Machine, 99, 300);
        AssertSame(a, RunMany(r2.Machine, 99, 300));
        Assert.That(a.Select(e => e.Kind).Distinct(), Is.EquivalentTo(new[] { "None", "Deadlock" }));
    }

    // ---- across two processes ----

    static string Dotnet =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>The built command line (fuzz/bin/CONFIG/TFM/mmfuzz.dll), built first when missing.</summary>
    static string CliDll()
    {
        var root = Repo.Root();
        var config = typeof(DeterminismTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var tfm = Path.GetFileName(TestContext.CurrentContext.TestDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(root, "fuzz", "bin", config, tfm, "mmfuzz.dll");
        if (!File.Exists(dll))
        {
            var (exit, output) = Run(Dotnet, ["build", Path.Combine(root, "fuzz"), "-c", config], root);
            Assert.That(exit, Is.EqualTo(0), $"dotnet build fuzz -c {config} failed:\n{output}");
        }
        Assert.That(dll, Does.Exist);
        return dll;
    }

    static (int Exit, string Stdout) Run(string file, IEnumerable<string> args, string dir)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(180_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish in 180 s");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    static string Hunt(params string[] extra)
    {
        var (exit, output) = Run(Dotnet, [CliDll(), .. HuntArgs, .. extra], Repo.Root());
        Assert.That(exit, Is.EqualTo(0), output);
        return output;
    }

    /// <summary>The seconds column of a result row: "variant family expected observed kind SECONDS executions ..." (the kind may be two words, "wrong-lock, model").</summary>
    static readonly Regex SecondsColumn = new(@"(?m)^(\S+\s+\S+\s+\S+\s+\S+\s+.*?\s)\d+\.\d{3}(?=\s+\d+\s)");

    [Test]
    public void HuntTextIsIdenticalInTwoProcesses_ButForTheSeconds()
    {
        var first = Hunt("--traces");
        var second = Hunt("--traces");
        Assert.That(SecondsColumn.Matches(first), Has.Count.EqualTo(2), first);
        Assert.That(first, Does.Contain("== mm-2024-03 / "));
        Assert.That(first, Does.Contain("== v6.9 / "));
        Assert.That(first, Does.Match(@"(?m)^== mm-2024-03 / .*\n   minimized from \d+ steps / \d+ preemption\(s\) to \d+ / \d+"), "each finding says what its minimization did");
        Assert.That(first, Does.Match(@"(?m)^v6\.9\s+scan-vs-free\s+none\s+none\s+-\s+\S+\s+50000\s"), "v6.9 ran all 50000 executions");
        Assert.That(SecondsColumn.Replace(second, "$1<s>"), Is.EqualTo(SecondsColumn.Replace(first, "$1<s>")));
    }

    [Test]
    public void HuntJsonIsIdenticalInTwoProcesses_ButForTheSeconds()
    {
        static string[] WithoutSeconds(string output)
        {
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return lines.Select(l =>
            {
                var o = JsonNode.Parse(l)!.AsObject();
                // A row per variant and family has its seconds; a distinct bug (after the rows) has none.
                Assert.That(o.Remove("seconds") || o.ContainsKey("bug"), Is.True, l);
                return o.ToJsonString();
            }).ToArray();
        }
        var first = WithoutSeconds(Hunt("--json"));
        var second = WithoutSeconds(Hunt("--json"));
        Assert.That(first.Count(l => l.Contains("\"family\"", StringComparison.Ordinal) && !l.StartsWith("{\"bug\"", StringComparison.Ordinal)), Is.EqualTo(2), string.Join("\n", first));
        Assert.That(first.Skip(2), Is.Not.Empty.And.All.StartWith("{\"bug\":"), "then one object per distinct bug");
        Assert.That(first[0], Does.Contain("\"variant\":\"mm-2024-03\"").And.Contain("\"verdict\":\"bug\""));
        Assert.That(first[1], Does.Contain("\"variant\":\"v6.9\"").And.Contain("\"executions\":50000"));
        Assert.That(second, Is.EqualTo(first));
    }
}
