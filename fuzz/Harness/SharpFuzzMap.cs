using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.InteropServices;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Search;

namespace MmFuzz.Cli.Harness;

/// <summary>
/// SharpFuzz's coverage map, <c>SharpFuzz.Common.Trace.SharedMem</c>: a static <c>byte*</c> in
/// SharpFuzz.Common through which the instrumented core counts its edges, set by the fuzzer entry points.
/// Read and written through two tiny dynamic methods, so that no unsafe code is needed here.
/// </summary>
public static class SharpFuzzMap
{
    const int Size = 1 << 16;
    static readonly FieldInfo? Field = FindField();
    static readonly Func<nint>? Read = Field is null ? null : Accessor<Func<nint>>(Field, store: false);
    static readonly Action<nint>? Write = Field is null ? null : Accessor<Action<nint>>(Field, store: true);

    /// <summary>The map's address; 0 when no fuzzer (or <see cref="EnsureAllocated"/>) has set it.</summary>
    public static nint Current => Read?.Invoke() ?? 0;

    /// <summary>
    /// Points an unset map at a private 64 KiB buffer. The instrumented core writes through the map on
    /// every branch, so without this, running the published (instrumented) build outside a fuzzer —
    /// <c>run-input</c>, <c>triage</c>, <c>replay</c> — dies with an access violation at the first edge.
    /// The fuzzer entry points replace the pointer with the shared memory.
    /// </summary>
    public static void EnsureAllocated()
    {
        if (Write is null || Current != 0)
            return;
        var buffer = Marshal.AllocHGlobal(Size);   // lives as long as the process
        Marshal.Copy(new byte[Size], 0, buffer, Size);
        Write(buffer);
    }

    static FieldInfo? FindField()
    {
        // SharpFuzz 2.3.0 keeps Trace in SharpFuzz.Common.dll, which the instrumented core references;
        // some versions inject it into the instrumented assembly itself.
        var trace = typeof(World).Assembly.GetType("SharpFuzz.Common.Trace") ?? Type.GetType("SharpFuzz.Common.Trace, SharpFuzz.Common");
        var field = trace?.GetField("SharedMem", BindingFlags.Public | BindingFlags.Static);
        return field is { FieldType.IsPointer: true } ? field : null;
    }

    static T Accessor<T>(FieldInfo field, bool store) where T : Delegate
    {
        var dm = store
            ? new DynamicMethod("WriteSharedMem", null, [typeof(nint)], typeof(SharpFuzzMap).Module, skipVisibility: true)
            : new DynamicMethod("ReadSharedMem", typeof(nint), Type.EmptyTypes, typeof(SharpFuzzMap).Module, skipVisibility: true);
        var il = dm.GetILGenerator();
        if (store)
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Stsfld, field);
        }
        else
        {
            il.Emit(OpCodes.Ldsfld, field);
            il.Emit(OpCodes.Conv_I);
        }
        il.Emit(OpCodes.Ret);
        return dm.CreateDelegate<T>();
    }
}
