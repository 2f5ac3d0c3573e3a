using MmFuzz.Memory;

namespace MmFuzz.Reports;

/// <summary>The state of one node after a step, read from the arena (never through a kernel port).</summary>
/// <param name="Next">Its <c>next</c>.</param>
/// <param name="Prev">Its <c>prev</c>.</param>
/// <param name="Live">Liveness (freed folio, returned stack frame).</param>
/// <param name="Refcount">Folio: <c>_refcount</c>.</param>
/// <param name="Locked">Folio: PG_locked.</param>
/// <param name="PartiallyMapped">Folio: PG_partially_mapped.</param>
/// <param name="Memcg">Folio: the memcg it is charged to ("memcg1"), or "" when uncharged.</param>
/// <param name="Len">Queue: <c>split_queue_len</c> (signed, so an underflow shows as -1).</param>
/// <param name="LockHolder">Queue: number of the CPU holding <c>split_queue_lock</c>, 0 when free.</param>
public readonly record struct NodeState(Link Next, Link Prev, Liveness Live, int Refcount, bool Locked, bool PartiallyMapped, string Memcg, long Len, int LockHolder);
