using MmFuzz.Kernel;
using MmFuzz.Memory;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using MmFuzz.Search;

namespace MmFuzz.Reports;

/// <summary>A field of a drawn node: what the report highlights (the accessed field, the pointer that went wrong).</summary>
/// <param name="Node">Index into <see cref="Report.Nodes"/>.</param>
/// <param name="Field">"next", "prev", "ref", "flags", "memcg", "len" or "lock".</param>
public readonly record struct NodeField(int Node, string Field)
{
    /// <summary>The id of the element that draws the field in the HTML page ("n3-next").</summary>
    public string ElementId => $"n{Node}-{Field}";
}
