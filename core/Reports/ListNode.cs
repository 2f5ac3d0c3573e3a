using MmFuzz.Memory;
using MmFuzz.Scenarios;

namespace MmFuzz.Reports;

/// <summary>One <c>list_head</c> owner the report draws: a queue head, a CPU's on-stack list or a folio.</summary>
/// <param name="Name">Name as in traces ("memcg1", "cpu1.list", "A").</param>
/// <param name="Kind">What it is.</param>
/// <param name="Object">Arena object index.</param>
/// <param name="List">Address of its <c>list_head</c>.</param>
public sealed record ListNode(string Name, NodeKind Kind, int Object, nint List);
