using System.Collections.Concurrent;
using System.Reflection;
using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.C;

/// <summary>
/// The <see cref="KernelFunction"/> a C function enters, by its C name: the hand ports' own (from
/// <see cref="Fn"/>) where one has that name, so the oracles and the tracer see a C
/// <c>deferred_split_scan()</c> exactly as the port's, else one made once per name for the process.
/// </summary>
public static class CFunctions
{
    static readonly Dictionary<string, KernelFunction> ports = typeof(Fn).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (KernelFunction)f.GetValue(null)!)
        .GroupBy(k => k.Name)
        .ToDictionary(g => g.Key, g => g.First());

    static readonly ConcurrentDictionary<string, KernelFunction> made = new();

    /// <summary>The function named <paramref name="name"/>; a new one shows as one trace line if <paramref name="action"/>.</summary>
    public static KernelFunction Get(string name, bool action) =>
        ports.TryGetValue(name, out var f) ? f : made.GetOrAdd(name, n => new KernelFunction(n, action));
}
