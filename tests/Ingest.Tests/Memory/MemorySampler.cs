using System.Diagnostics;
using Streaming.Testing;

namespace Ingest.Tests.Memory;

/// <summary>One measurement of the pod process: the kernel's view (RSS) and the runtime's (its /metrics).</summary>
/// <param name="Elapsed">Since sampling started.</param>
/// <param name="ResidentBytes">VmRSS: everything the process holds in RAM, native (librdkafka's queues) included.</param>
/// <param name="HeapBytes">The managed heap after the last GC (<c>dotnet.gc.last_collection.heap.size</c>, all generations).</param>
/// <param name="CommittedBytes">Memory the GC had committed after the last GC.</param>
/// <param name="AllocatedBytes">Bytes allocated on the managed heap since the start (a counter).</param>
/// <param name="Produced">Raw events handed to the Kafka producer since the start (a counter).</param>
/// <param name="Gen2Collections">Full collections since the start.</param>
internal sealed record MemorySample(
    TimeSpan Elapsed, long ResidentBytes, double HeapBytes, double CommittedBytes, double AllocatedBytes, double Produced, double Gen2Collections);

/// <summary>
/// Samples a child process's memory at a fixed interval until cancelled (measurement, not synchronization: nothing
/// waits on a sample). A sample is skipped when the process or its /metrics does not answer in time.
/// </summary>
internal sealed class MemorySampler(ChildProcess process, HttpClient metrics, TimeSpan interval)
{
    private readonly List<MemorySample> _samples = [];
    private readonly Stopwatch _clock = new();

    public IReadOnlyList<MemorySample> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _clock.Start();
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                if (await SampleAsync(cancellationToken) is { } sample)
                {
                    lock (_samples)
                    {
                        _samples.Add(sample);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One sample now, or null if the process has gone or its /metrics did not answer.</summary>
    public async Task<MemorySample?> SampleAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        MetricsScrape scrape;
        try
        {
            scrape = MetricsScrape.Parse(await metrics.GetStringAsync(new Uri("metrics", UriKind.Relative), timeout.Token));
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }

        return process.ResidentSetBytes() is { } resident
            ? new MemorySample(
                _clock.Elapsed,
                resident,
                scrape.Sum("dotnet_gc_last_collection_heap_size_bytes"),
                scrape.Sum("dotnet_gc_last_collection_memory_committed_size_bytes"),
                scrape.Sum("dotnet_gc_heap_total_allocated_bytes_total"),
                scrape.Sum("ingest_raw_produced_total"),
                scrape.Sum("dotnet_gc_collections_total", "gc_heap_generation=\"gen2\""))
            : null;
    }
}
