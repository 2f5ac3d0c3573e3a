namespace MmFuzz.Engine;

/// <summary>
/// Receives everything one step touches, for partial-order reduction. A step is the announced access
/// plus the kernel code that runs after it until the CPU's next announcement; besides the accessed
/// word, that code and the oracles read and write the arena's shadow (object liveness, list
/// membership, the scan bookkeeping), which decides what later accesses report. Two steps commute
/// only if neither writes a location the other touches, shadow included.
/// </summary>
/// <remarks>
/// The machine and the world call <see cref="Touch"/> only when <see cref="Machine.Footprint"/> is
/// set, so the fast path pays one null test per access.
/// </remarks>
public interface IFootprintSink
{
    /// <summary>The current step reads (<paramref name="write"/> false) or writes <paramref name="location"/> (see <see cref="Locations"/>).</summary>
    void Touch(long location, bool write);
}
