using System.Reflection;

namespace MmFuzz.C.Translate;

/// <summary>What a C call runs: another C function of the input, a port, or an intrinsic of the headers.</summary>
public abstract record CallTarget;

/// <summary>A C function of the input (or an inline of the headers).</summary>
public sealed record CCallTarget(CFunc Function) : CallTarget;

/// <summary>The base state's port of that name.</summary>
public sealed record PortCallTarget(MethodInfo Method) : CallTarget;

/// <summary>A <c>__mmfuzz_*</c> intrinsic of the headers (a BUG, a WARN, <c>data_race()</c>, <c>NODE_DATA()</c>).</summary>
public sealed record IntrinsicCallTarget(string Name) : CallTarget;
