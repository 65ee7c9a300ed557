namespace Streaming.Benchmarking;

/// <summary>Full collections between runs, and the live managed heap after one.</summary>
public static class GcControl
{
    /// <summary>The process now, with allocations exact (<c>precise: true</c>): for windows of a few seconds.</summary>
    public static ProcessSnapshot PreciseSnapshot() => new(
        System.Diagnostics.Stopwatch.GetTimestamp(),
        Environment.CpuUsage.TotalTime,
        GC.GetTotalAllocatedBytes(precise: true),
        GC.CollectionCount(0),
        GC.CollectionCount(1),
        GC.CollectionCount(2),
        GC.GetTotalPauseDuration());

    /// <summary>Full collection, so that one run's garbage is not collected in the next one's window.</summary>
    public static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>Bytes still reachable after a full, compacting collection (finalizers run, then collected again).</summary>
    public static long LiveBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }
}
