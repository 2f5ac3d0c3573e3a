using MmFuzz.C.Ast;
using MmFuzz.Engine;

namespace MmFuzz.C.Translate;

/// <summary>Where a C lvalue lives: a C# local, or memory at an address.</summary>
public abstract record LValue(CType Type);

/// <summary>A C local or parameter kept in a C# local (its address is never taken).</summary>
/// <param name="Name">The C# local.</param>
/// <param name="Type">Its C type.</param>
public sealed record LocalLValue(string Name, CType Type) : LValue(Type);

/// <summary>Memory at an address: the arena (a scheduling point per access) or the CPU's private frame.</summary>
/// <param name="Addr">C# code of the address (an <c>nint</c>; may contain awaits).</param>
/// <param name="Type">The C type stored there.</param>
/// <param name="Marking">How a load or store of it is marked.</param>
/// <param name="Private">Whether it is the CPU's own memory (no scheduling point).</param>
/// <param name="BitOffset">For a bitfield: the bit offset in its 8-byte word.</param>
/// <param name="BitWidth">For a bitfield: its width (0 otherwise).</param>
public sealed record MemLValue(string Addr, CType Type, Marking Marking, bool Private, int BitOffset = 0, int BitWidth = 0) : LValue(Type);
