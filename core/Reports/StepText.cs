using MmFuzz.Kernel;
using MmFuzz.Memory;
using MmFuzz.Oracles;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using MmFuzz.Search;

namespace MmFuzz.Reports;

/// <summary>One step in words.</summary>
/// <param name="Operation">The program operation ("folio_put(A)").</param>
/// <param name="Action">The kernel-level action ("list_del_init(A)").</param>
/// <param name="Detail">What the step's access did ("A.next=A", "(A.next=B)", "ref 2->1"), or "".</param>
public readonly record struct StepText(string Operation, string Action, string Detail);
