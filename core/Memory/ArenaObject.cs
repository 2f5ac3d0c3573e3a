using System.Runtime.InteropServices;

namespace MmFuzz.Memory;

/// <summary>One object laid out in the arena.</summary>
/// <param name="Name">Short name used in traces ("A", "memcg1", "cpu1.stack").</param>
/// <param name="Kind">What kind of kernel object it is.</param>
/// <param name="Offset">Byte offset from the arena base.</param>
/// <param name="Size">Size in bytes.</param>
public sealed record ArenaObject(string Name, ObjectKind Kind, int Offset, int Size);
