using ExchangeSimulator.Hosting;
using ExchangeSimulator.Market;

namespace Ingest.Benchmarks;

/// <summary>One row of the report: what was counted during its window, and by whom the CPU was used.</summary>
/// <param name="Result">Messages counted (baseline: received by the clients; pod: records the brokers appended) and the process over the window.</param>
/// <param name="Driver">The simulator's producer over the window.</param>
/// <param name="Delivered">Messages the simulator handed to its connections during the window.</param>
/// <param name="ThreadCpu">CPU nanoseconds per thread group during the window.</param>
/// <param name="Connections">The simulator's connections at the end of the window: streams each, and messages still queued for each.</param>
internal sealed record RowResult(
    Measurement Result,
    DriverWindow Driver,
    long Delivered,
    IReadOnlyDictionary<string, long> ThreadCpu,
    IReadOnlyList<(int Streams, long Queued)> Connections)
{
    /// <summary>The pod's counters over the window (pod rows only).</summary>
    public IngestCounters.Counts? Counters { get; init; }

    /// <summary>Records appended per topic over the window (pod rows only).</summary>
    public IReadOnlyDictionary<string, long>? Appended { get; init; }

    /// <summary>GC heap size after the last collection of the window.</summary>
    public long HeapBytes { get; init; }

    /// <summary>Allocated bytes by type, as shares, when sampled (<c>--allocations</c>).</summary>
    public IReadOnlyList<(string Type, double Share)>? Allocations { get; init; }
}

/// <summary>The simulated exchange both runs use: the same seeded Spot market, one region.</summary>
internal static class Simulation
{
    /// <summary>Baseline: messages handed to connections and not yet received above which the paced producer waits.</summary>
    public const long HighWater = 65_536;

    /// <summary>
    /// Pod: messages handed to connections and not yet handed to the pod's producer above which the paced producer
    /// waits. Small, as a pod that keeps up holds little: every frame in the pod's channel holds a 16 KB buffer.
    /// </summary>
    public const long PodFramesHighWater = 8_192;

    /// <summary>Pod: records handed to its producer and not yet appended by the brokers above which the paced producer waits.</summary>
    public const long PodRecordsHighWater = 65_536;

    /// <summary>
    /// The market both runs use. Simulated time starts now, as a live exchange's, so that the pod's lag check (receive
    /// time minus event time) sees a live feed rather than one a year old; the start only shifts timestamps, the seed
    /// fixes everything else.
    /// </summary>
    public static ExchangeSettings Settings(BenchmarkOptions options) => new()
    {
        Name = "spot",
        Source = new MarketSimulator(new MarketOptions { Seed = 1, SymbolCount = options.Symbols, TradesPerSecond = options.TradesPerSecond, Start = TimeProvider.System.GetUtcNow() }),
        Regions = ["a"],
    };

    public static IReadOnlyList<(int Streams, long Queued)> Connections(RegionServer region) =>
        [.. region.Region.Connections().Select(c => (c.Streams, c.Queued))];
}
