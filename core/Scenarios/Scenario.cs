namespace MmFuzz.Scenarios;

/// <summary>A named initial state plus one program per CPU.</summary>
/// <param name="Name">Name used on the command line.</param>
/// <param name="Description">One line on what it shows; null for the one-line form of its folios and programs (<see cref="ScenarioText.Describe"/>), built when first read.</param>
/// <param name="Folios">Initial folios.</param>
/// <param name="Cpus">One program per CPU (CPU 1 first).</param>
public sealed record Scenario(string Name, string Description, FolioSpec[] Folios, Op[][] Cpus)
{
    /// <summary>One line on what it shows (a generated scenario's is built when first read: a hunt draws far more scenarios than it describes).</summary>
    public string Description { get => field ??= ScenarioText.Describe(Folios, Cpus); init; } = Description;

    /// <summary>Equal when named and described alike, with the same folio and program arrays.</summary>
    public bool Equals(Scenario? other) =>
        other is not null && Name == other.Name && Description == other.Description && Folios == other.Folios && Cpus == other.Cpus;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Folios, Cpus);

    /// <summary>Each folio's refcount once every program has finished (no kernel-internal reference may remain).</summary>
    public int[] ExpectedFinalRefcounts()
    {
        var refs = Folios.Select(f => f.Refcount).ToArray();
        foreach (var program in Cpus)
            foreach (var op in program)
                for (int i = 0; i < op.Folios.Length; i++)
                    refs[op.Folios[i]] += op.RefDeltaOf(i);
        return refs;
    }
}
