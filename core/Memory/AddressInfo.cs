using System.Runtime.InteropServices;

namespace MmFuzz.Memory;

/// <summary>What an address points at, without dereferencing it.</summary>
/// <param name="Object">Index of the containing object, or -1 when the address is not inside one.</param>
/// <param name="Field">The field at that address.</param>
/// <param name="Live">Whether the object is live.</param>
public readonly record struct AddressInfo(int Object, FieldKind Field, bool Live);
