using System.Runtime.ExceptionServices;

namespace MmFuzz.Engine;

/// <summary>The empty result of a <see cref="Sim"/>.</summary>
public readonly struct Unit;
