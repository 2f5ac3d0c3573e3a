using MmFuzz.Memory;
using MmFuzz.Scenarios;

namespace MmFuzz.Reports;

/// <summary>Where a <c>next</c> or <c>prev</c> pointer points, in terms of the drawn nodes.</summary>
/// <param name="Node">Index of the node whose <c>list_head</c> it points at exactly, or -1.</param>
/// <param name="Symbol">The pointer as the trace names it ("A", "LIST_POISON1", "NULL", an address).</param>
public readonly record struct Link(int Node, string Symbol);
