namespace MmFuzz.Search;

/// <summary>Runs a search on several cores: one thread per worker, each with its own systems (a machine belongs to the thread that runs it).</summary>
public static class Workers
{
    /// <summary>The default number of workers: one per core.</summary>
    public static int Default => Environment.ProcessorCount;

    /// <summary>Runs <paramref name="work"/>(0 .. <paramref name="jobs"/> - 1) on <paramref name="jobs"/> threads and waits for all; the first exception is rethrown.</summary>
    public static void Run(int jobs, Action<int> work)
    {
        if (jobs <= 1)
        {
            work(0);
            return;
        }
        var errors = new Exception?[jobs];
        var threads = Enumerable.Range(0, jobs).Select(w => new Thread(() =>
        {
            try
            {
                work(w);
            }
            catch (Exception e)
            {
                errors[w] = e;
            }
        }) { IsBackground = true, Name = $"mmfuzz worker {w}" }).ToList();
        foreach (var t in threads)
            t.Start();
        foreach (var t in threads)
            t.Join();
        if (errors.FirstOrDefault(e => e is not null) is { } first)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
    }

    /// <summary>Runs <paramref name="work"/> on <paramref name="jobs"/> workers and returns their results in worker order.</summary>
    public static T[] Run<T>(int jobs, Func<int, T> work)
    {
        var results = new T[Math.Max(1, jobs)];
        Run(jobs, w => { results[w] = work(w); });
        return results;
    }
}
