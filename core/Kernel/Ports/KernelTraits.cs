using System.Reflection;

namespace MmFuzz.Kernel;

/// <summary>
/// What the oracles must know about a kernel state and cannot see in its memory: facts the state
/// declares in its own class, as the static <c>Traits</c> property of its <see cref="Kernel"/>
/// subclass, and the oracles read through <see cref="Variant.Traits"/>. A state that changes a trait
/// declares <c>public static new KernelTraits Traits { get; } = Parent.Traits with { ... };</c>; a
/// subclass that declares none (a mutant of the zoo, a test's kernel) has its parent's.
/// </summary>
public sealed record KernelTraits
{
    /// <summary>
    /// Whether this kernel state has <c>PG_partially_mapped</c> (v6.12-rc1, dafff3f4c850, and later),
    /// so a scan can drop a queued folio for good and the lost-deferred-split oracle watches for it.
    /// </summary>
    public bool HasPartiallyMappedFlag { get; init; }

    /// <summary>
    /// Whether memcg offline reparents the deferred split queue and <c>split_queue_lock()</c> takes a
    /// dying memcg's parent's lock instead of its own (the folio_batch series, patch 4/4): from
    /// <c>kill_css()</c> on, a dying memcg's list is guarded by its parent's lock too.
    /// </summary>
    public bool ReparentsSplitQueue { get; init; }

    /// <summary>
    /// The traits of the kernel state <paramref name="kernel"/>: those of the nearest class of its chain,
    /// itself first, that declares a static <c>Traits</c> property.
    /// </summary>
    public static KernelTraits Of(Type kernel)
    {
        if (!typeof(Kernel).IsAssignableFrom(kernel))
            throw new ArgumentException($"{kernel.Name} is not a Kernel", nameof(kernel));
        for (var type = kernel; ; type = type.BaseType!)
        {
            var declared = type.GetProperty(nameof(Kernel.Traits), BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly);
            if (declared?.PropertyType == typeof(KernelTraits))
                return (KernelTraits)declared.GetValue(null)!;
        }
    }
}
