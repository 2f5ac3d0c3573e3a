using MmFuzz.Memory;
using MmFuzz.Scenarios;

namespace MmFuzz.Reports;

/// <summary>What a drawn list node is.</summary>
public enum NodeKind : byte
{
    /// <summary>A <c>deferred_split</c> queue head (<c>node0</c>, <c>memcg1</c>, <c>memcg2</c>).</summary>
    Queue,
    /// <summary>A scan's on-stack <c>LIST_HEAD(list)</c>.</summary>
    StackList,
    /// <summary>A folio (its <c>_deferred_list</c>).</summary>
    Folio,
}
