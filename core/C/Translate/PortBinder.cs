using System.Reflection;
using System.Runtime.CompilerServices;
using MmFuzz.Engine;
using MmFuzz.Kernel;

namespace MmFuzz.C.Translate;

/// <summary>
/// The ports a C call can bind to: the methods of the base state's <see cref="Kernel"/> class, by
/// kernel name. Binding converts each C argument to the port's parameter type (a <c>struct folio *</c>
/// to a <see cref="FolioPtr"/>, a <c>spinlock_t *</c> to a <see cref="Field{T}"/>, a <c>struct
/// folio_batch *</c> to a <see cref="FolioBatch"/>) and the result back.
/// </summary>
public sealed class PortBinder(Type kernelType)
{
    const BindingFlags Flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>The base state's kernel class.</summary>
    public Type KernelType { get; } = kernelType;

    /// <summary>The port named <paramref name="name"/> that code in a subclass can call, or null.</summary>
    public MethodInfo? Find(string name)
    {
        var candidates = KernelType.GetMethods(Flags)
            .Where(m => m.Name == name && (m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly) && !m.IsGenericMethod)
            .ToList();
        return candidates.Count == 1 ? candidates[0] : candidates.OrderBy(m => m.GetParameters().Length).FirstOrDefault();
    }

    /// <summary>The parameters a C call supplies (a trailing <c>[CallerMemberName]</c> is left to the compiler).</summary>
    public static ParameterInfo[] CParameters(MethodInfo m) =>
        m.GetParameters().Where(p => p.GetCustomAttribute<CallerMemberNameAttribute>() is null).ToArray();

    /// <summary>Whether the port is an async kernel function (returns <see cref="Sim"/> or <see cref="Sim{T}"/>).</summary>
    public static bool IsAsync(MethodInfo m) => m.ReturnType == typeof(Sim) || (m.ReturnType.IsGenericType && m.ReturnType.GetGenericTypeDefinition() == typeof(Sim<>));

    /// <summary>The value type a port yields: the T of Sim&lt;T&gt;, the plain return type, or void.</summary>
    public static Type ResultType(MethodInfo m) =>
        m.ReturnType == typeof(Sim) || m.ReturnType == typeof(void) ? typeof(void)
        : m.ReturnType.IsGenericType && m.ReturnType.GetGenericTypeDefinition() == typeof(Sim<>) ? m.ReturnType.GetGenericArguments()[0]
        : m.ReturnType;

    /// <summary>The C# spelling of a port's parameter or result type.</summary>
    public static string Spell(Type t)
    {
        if (t == typeof(void)) return "void";
        if (t == typeof(bool)) return "bool";
        if (t == typeof(int)) return "int";
        if (t == typeof(uint)) return "uint";
        if (t == typeof(long)) return "long";
        if (t == typeof(ulong)) return "ulong";
        if (t == typeof(nint)) return "nint";
        if (t == typeof(string)) return "string";
        if (Nullable.GetUnderlyingType(t) is { } u) return Spell(u) + "?";
        if (t.IsArray) return Spell(t.GetElementType()!) + "[]";
        if (t.IsGenericType)
            return $"global::{t.Namespace}.{t.Name[..t.Name.IndexOf('`')]}<{string.Join(", ", t.GetGenericArguments().Select(Spell))}>";
        return $"global::{t.FullName!.Replace('+', '.')}";
    }

    /// <summary>Whether a port type is one of the typed arena pointers (<c>FolioPtr</c>, <c>ListPtr</c>, ..., <c>Field&lt;T&gt;</c>).</summary>
    public static bool IsPointer(Type t) =>
        t == typeof(FolioPtr) || t == typeof(ListPtr) || t == typeof(QueuePtr) || t == typeof(MemcgPtr) || t == typeof(NodePtr)
        || (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Field<>));

    /// <summary>Whether the port's type is an integer or bool the C value converts to directly.</summary>
    public static CsType? Scalar(Type t) =>
        t == typeof(bool) ? CsType.Bool : t == typeof(int) ? CsType.I32 : t == typeof(uint) ? CsType.U32 : t == typeof(long) ? CsType.I64
        : t == typeof(ulong) ? CsType.U64 : t == typeof(nint) ? CsType.Ptr : null;
}
