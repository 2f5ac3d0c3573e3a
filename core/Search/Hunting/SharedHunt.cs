using System.Diagnostics;
using MmFuzz.Kernel;

namespace MmFuzz.Search;

/// <summary>
/// A hunt shared out among <see cref="HuntOptions.Jobs"/> workers: each worker runs with its
/// <see cref="WorkerSlot"/>, its own seed and its share of an execution budget (time is shared by
/// running side by side); without <see cref="HuntOptions.KeepGoing"/>, the first new bug of a kind
/// history records on any worker stops them all. The findings are merged by
/// <see cref="BugSignature"/>, in worker order.
/// </summary>
public static class SharedHunt
{
    /// <summary>Runs <paramref name="worker"/> on every worker of <paramref name="options"/> and merges what they found.</summary>
    /// <param name="variant">The kernel state.</param>
    /// <param name="options">The hunt's options; each worker gets them with its slot, seed and share, and one job.</param>
    /// <param name="worker">One worker's hunt.</param>
    public static HuntResult Run(Variant variant, HuntOptions options, Func<HuntOptions, HuntResult> worker)
    {
        var sw = Stopwatch.StartNew();
        int jobs = Math.Max(1, options.Jobs);
        using var first = CancellationTokenSource.CreateLinkedTokenSource(options.Budget.Cancel);
        var results = Workers.Run(jobs, w =>
        {
            var slot = new WorkerSlot(w, jobs) { Shard = options.Shard };
            var r = worker(options with
            {
                Seed = slot.Seed(options.Seed),
                Budget = options.Budget with { Executions = slot.Share(options.Budget.Executions), Cancel = first.Token },
                Jobs = 1,
                Slot = slot,
            });
            if (!options.KeepGoing && r.NewBug is not null)
                first.Cancel();
            return r;
        });
        var merged = new HuntFindings(options.Ignored, keepGoing: true, options.Baseline);
        foreach (var r in results)
            merged.AddAll(r.Findings, r.Comparisons);
        return merged.Result(variant, results.Sum(r => r.Executions), sw.Elapsed.TotalSeconds, results.Select(r => r.Shrink).FirstOrDefault(s => s is not null));
    }
}
