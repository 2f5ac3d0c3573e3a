using MmFuzz.Engine;
using MmFuzz.Strategies;
using NUnit.Framework;
using static MmFuzz.Tests.Oracles.OracleAsserts;
using static MmFuzz.Tests.Rig;

namespace MmFuzz.Tests.Oracles;

/// <summary>
/// A C# exception in a port, a port that stops without reporting, or a call stack deeper than the
/// CPU keeps is a harness error (<c>core/Engine/Machine.cs</c>): a bug of MmFuzz, never a kernel bug,
/// so no oracle claims it, and the system runs again afterwards.
/// </summary>
[TestFixture, Category("quick")]
public class HarnessErrorTests
{
    static void AssertHarnessError(Outcome o, string contains)
    {
        Assert.That(o.Verdict, Is.EqualTo(Verdict.HarnessError), () => $"{o.Verdict} {o.Kind}: {o.Message}");
        Assert.That(o.Kind, Is.EqualTo(BugKind.None));
        Assert.That(o.IsBug, Is.False);
        Assert.That(o.Message, Does.StartWith("simulator exception (a bug of MmFuzz, not of the kernel): "));
        Assert.That(o.Message, Does.Contain(contains));
    }

    [Test]
    public void HarnessError_APortThrowing_IsNotAKernelBug_AndTheWorldRunsAgain()
    {
        bool broken = true;
        using var rig = new Rig([Free("A")], async (k, r) =>
        {
            if (broken)
                await k.ThrowingPort(r.Folio("A"));
            else
                await k.RecursivePort(r.Folio("A"), 0);
        });
        var o = rig.Run();
        AssertHarnessError(o, "System.InvalidOperationException: port bug");
        Assert.That(o.Step, Is.EqualTo(1));
        broken = false;
        AssertOk(rig.Run());
    }

    [Test]
    public void HarnessError_AnExceptionOnOneCpuWhileAnotherHoldsALock()
    {
        using var rig = new Rig([Free("A")],
            async (k, r) =>
            {
                await k.Lock(r.Q1);
                await k.Unlock(r.Q1);
            },
            async (k, r) => await k.ThrowingPort(r.Folio("A")));
        AssertHarnessError(rig.Run(new SwitchPointStrategy([(0, 0), (1, 1)])), "port bug");
    }

    [Test]
    public void HarnessError_APortStoppingWithoutAReport()
    {
        using var rig = new Rig([Free("A")], async (k, r) => await k.SilentHaltPort(r.Folio("A")));
        AssertHarnessError(rig.Run(), "CPU 1 suspended without announcing an access");
    }

    [Test]
    public void HarnessError_ACallStackDeeperThanTheCpuKeeps()
    {
        using var rig = new Rig([Free("A")], async (k, r) => await k.RecursivePort(r.Folio("A"), 40));
        AssertHarnessError(rig.Run(), "CPU 1: call stack deeper than 32");
    }

    [Test]
    public void HarnessError_ADeepButBoundedCallStack_IsSilent()
    {
        using var rig = new Rig([Free("A")], async (k, r) => await k.RecursivePort(r.Folio("A"), 30));
        AssertOk(rig.Run());
    }
}
