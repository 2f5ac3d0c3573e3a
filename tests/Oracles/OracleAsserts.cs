using MmFuzz.Engine;
using MmFuzz.Memory;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using NUnit.Framework;

namespace MmFuzz.Tests.Oracles;

/// <summary>
/// What the oracle tests share: a hand-made bad sequence makes an oracle fire with its kind, its
/// exact message and the CPU it fired on, and the same shape run correctly is silent
/// (<see cref="Verdict.Ok"/>, which also means every quiescence check held).
/// </summary>
/// <remarks>
/// Names in states: H is memcg1's queue head, S CPU 1's on-stack list, A..D folios (see <see cref="Rig"/>).
/// Quiescence checks expect each folio's refcount to be its initial one plus what the scenario's
/// operations declare (<see cref="Rig.Put"/>, <see cref="Rig.Get"/>); code programs declare theirs.
/// </remarks>
public static class OracleAsserts
{
    /// <summary>memcg1, whose queue is "H".</summary>
    public const QueueId M1 = QueueId.Memcg1;

    /// <summary>The run ended with no report and every quiescence check held.</summary>
    public static void AssertOk(Outcome o) =>
        Assert.That(o.Verdict, Is.EqualTo(Verdict.Ok), () => $"{o.Verdict} {o.Kind}: {o.Message}");

    /// <summary>The run ended with a bug of <paramref name="kind"/>, exactly <paramref name="message"/>, on CPU <paramref name="cpu"/> (0: none, at quiescence).</summary>
    public static void AssertBug(Outcome o, BugKind kind, string message, int cpu)
    {
        Assert.That(o.Verdict, Is.EqualTo(Verdict.Bug), () => $"{o.Verdict} {o.Kind}: {o.Message}");
        Assert.That(o.Kind, Is.EqualTo(kind), () => o.Message);
        Assert.That(o.Message, Is.EqualTo(message));
        Assert.That(o.Cpu, Is.EqualTo(cpu), "CPU the oracle fired on (0: none, at quiescence)");
    }

    /// <summary>Runs CPU <paramref name="first"/> to its end (or until it blocks), then the others.</summary>
    public static SwitchPointStrategy RunFirst(int first) => new([(0, first)]);

    /// <summary>The arena's liveness of folio <paramref name="folio"/> of <paramref name="rig"/>.</summary>
    public static Liveness LivenessOf(Rig rig, string folio) => rig.World.Arena.LivenessOf(rig.World.Arena.ObjectAt(rig.Folio(folio).Addr));
}
