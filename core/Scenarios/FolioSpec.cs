namespace MmFuzz.Scenarios;

/// <summary>The initial state of one folio.</summary>
/// <param name="Name">Name in traces: "A", "B", ...</param>
/// <param name="Refcount">Initial <c>_refcount</c>: the references the CPU programs hold.</param>
/// <param name="Memcg">The memcg charged (<see cref="QueueId.Memcg1"/>, <see cref="QueueId.Memcg2"/>) or <see cref="QueueId.None"/>.</param>
/// <param name="Queue">The queue it is linked on initially.</param>
/// <param name="Order">Folio order (2 or more to have a <c>_deferred_list</c>).</param>
/// <param name="Locked">PG_locked set initially.</param>
/// <param name="PartiallyMapped">PG_partially_mapped set (v6.12+).</param>
/// <param name="Underused">
/// Page contents: more of its pages are zero-filled than <c>khugepaged_max_ptes_none</c> allows, with
/// that knob lowered from its default (<c>HPAGE_PMD_NR - 1</c>, under which <c>thp_underused()</c> is
/// always false), so the v6.12+ scan splits the folio even while it is fully mapped (dafff3f4c850).
/// </param>
public sealed record FolioSpec(string Name, int Refcount, QueueId Memcg, QueueId Queue, int Order = 2, bool Locked = false, bool PartiallyMapped = false,
    bool Underused = false);
