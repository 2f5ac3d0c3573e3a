using System.Text.RegularExpressions;
using MmFuzz.Engine;

namespace MmFuzz.Search;

/// <summary>
/// What makes two findings the same bug: the kind, where it fired (the kernel function and action,
/// <see cref="Outcome.Where"/>) and the oracle's first message line with addresses, numbers and
/// instance names removed ("memcg#", "cpu#", folio "F"). A hunt that keeps going reports one finding
/// per signature; triage groups fuzzer crashes by it.
/// </summary>
/// <param name="Kind">The bug kind.</param>
/// <param name="Where">The call chain, or "-" for an end-of-run finding.</param>
/// <param name="Location">The normalized first message line.</param>
public sealed partial record BugSignature(BugKind Kind, string Where, string Location)
{
    [GeneratedRegex(@"\[[^\]]*\]|\([a-z]+=[^)]*\)")]
    private static partial Regex SymbolMaps();

    [GeneratedRegex(@"\b(0x)?[0-9a-f]{8,}\b|\b\d+\b")]
    private static partial Regex Numbers();

    [GeneratedRegex(@"\b(memcg|cpu|node)\d+")]
    private static partial Regex Instances();

    [GeneratedRegex(@"\b[A-F]\b")]
    private static partial Regex FolioNames();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    /// <summary>The signature of a bug outcome.</summary>
    public static BugSignature Of(Outcome outcome) => new(outcome.Kind, outcome.Where ?? "-", LocationOf(outcome.Message));

    /// <summary>A message's first line, without the symbol maps the tracer appends, addresses, numbers, instance and folio names.</summary>
    public static string LocationOf(string message)
    {
        var line = SymbolMaps().Replace(message.Split('\n')[0], "");
        line = Instances().Replace(line, "$1#");
        line = FolioNames().Replace(Numbers().Replace(line, "#"), "F");
        return Spaces().Replace(line, " ").Trim();
    }

    /// <inheritdoc/>
    public override string ToString() => $"{BugKinds.Name(Kind)} in {Where}: {Location}";
}
