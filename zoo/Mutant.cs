using MmFuzz.C;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;

namespace MmFuzz.Zoo;

/// <summary>
/// One plausible but wrong patch to a kernel state: a test-only variant that overrides the kernel
/// function the patch changes (or, for a patch that changes several, each of them) of
/// <paramref name="Base"/> the way the patch would, and the scenario that shows it.
/// </summary>
/// <param name="Name">Unique name, also the mutant variant's name (<c>v6.13-kept-folio-put-at-once</c>).</param>
/// <param name="Description">What the patch does wrong, in one line, in kernel terms.</param>
/// <param name="Base">The unmutated kernel state (a row of <see cref="History"/>).</param>
/// <param name="Variant">The mutant: <paramref name="Base"/> with the patch applied.</param>
/// <param name="Equivalent">
/// True for an equivalent mutant: a harmless refactoring that is expected to stay clean (the
/// measurement must not count it as a missed bug).
/// </param>
public sealed record Mutant(string Name, string Description, Variant Base, Variant Variant, bool Equivalent)
{
    /// <summary>The kernel function (or the labelled part of one) the patch changes, as in the source: <c>deferred_split_scan() loop 2</c>.</summary>
    public required string Function { get; init; }

    /// <summary>
    /// For a real mutant: a scenario under which bounded exhaustive search at
    /// <see cref="WitnessPreemptions"/> finds a bug of a kind history records (not
    /// <see cref="History.BeyondHistoryKinds"/>) in <see cref="Variant"/> and none in <see cref="Base"/>.
    /// For an equivalent mutant: a scenario that exercises the changed code and stays clean in both.
    /// </summary>
    public required Scenario Witness { get; init; }

    /// <summary>
    /// The preemption bound of the witness search: for a real mutant the fewest preemptions that show
    /// the bug on <see cref="Witness"/> (proven by exhaustive search at the bounds below it).
    /// </summary>
    public required int WitnessPreemptions { get; init; }

    /// <summary>
    /// The same patch in C, by its path in the repository: <c>zoo/c/NAME.patch</c>, a unified diff over
    /// the rendering of <see cref="Base"/> (<c>corpus/kernels/BASE</c>) that makes the change
    /// <see cref="Variant"/> makes, with a paragraph saying what it does before the first <c>--- a/</c> line.
    /// </summary>
    public string CPatch => $"zoo/c/{Name}.patch";

    /// <summary>
    /// The C form: <see cref="CPatch"/> applied to <see cref="Base"/>'s rendering and read by the C
    /// front end over <see cref="Base"/>'s ports (the variant <c>NAME+c</c>; loaded once per process).
    /// </summary>
    public CState C => CForms.Load(this);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
