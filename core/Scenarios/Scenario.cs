namespace MmFuzz.Scenarios;

/// <summary>A named initial state plus one program per CPU.</summary>
/// <param name="Name">Name used on the command line.</param>
/// <param name="Description">One line on what it shows.</param>
/// <param name="Folios">Initial folios.</param>
/// <param name="Cpus">One program per CPU (CPU 1 first).</param>
public sealed record Scenario(string Name, string Description, FolioSpec[] Folios, Op[][] Cpus)
{
    /// <summary>Each folio's refcount once every program has finished (no kernel-internal reference may remain).</summary>
    public int[] ExpectedFinalRefcounts()
    {
        var refs = Folios.Select(f => f.Refcount).ToArray();
        foreach (var program in Cpus)
            foreach (var op in program)
                foreach (var f in op.Folios)
                    refs[f] += op.RefDelta;
        return refs;
    }
}
