namespace MmFuzz.Scenarios;

/// <summary>The initial state of one folio.</summary>
/// <param name="Name">Name in traces: "A", "B", ...</param>
/// <param name="Refcount">Initial <c>_refcount</c>: the references the CPU programs hold.</param>
/// <param name="Memcg">The memcg charged (<see cref="QueueId.Memcg1"/>, <see cref="QueueId.Memcg2"/>) or <see cref="QueueId.None"/>.</param>
/// <param name="Queue">The queue it is linked on initially.</param>
/// <param name="Order">Folio order (2 or more to have a <c>_deferred_list</c>).</param>
/// <param name="Locked">PG_locked set initially.</param>
/// <param name="PartiallyMapped">PG_partially_mapped set (v6.12+).</param>
public sealed record FolioSpec(string Name, int Refcount, QueueId Memcg, QueueId Queue, int Order = 2, bool Locked = false, bool PartiallyMapped = false);
