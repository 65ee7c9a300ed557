using ExchangeSimulator.Hosting;
using Ingest.Sharding;
using Streaming.EmbeddedKafka;
using Streaming.Topics;

namespace Ingest.Benchmarks;

/// <summary>What the whole pod run produced, counted once everything in flight had landed.</summary>
/// <param name="Delivered">Messages the simulator handed to the pod's connections.</param>
/// <param name="Produced">Records the pod handed to its Kafka producer (<c>ingest.raw.produced</c>).</param>
/// <param name="Backfilled">Of those, trades fetched from REST (<c>ingest.backfill.trades</c>).</param>
/// <param name="Appended">Records the brokers hold in the raw topics.</param>
/// <param name="Gaps">Records the brokers hold in the feed-gap topic.</param>
/// <param name="Counters">The pod's counters at the end.</param>
/// <param name="Drained">Whether the counts stopped moving before the drain's deadline.</param>
/// <param name="Connections">The pod's connections at the simulator at the end.</param>
/// <param name="StartUp">From the pod's <c>StartAsync</c> to every stream subscribed.</param>
internal sealed record PodTotals(
    long Delivered,
    long Produced,
    long Backfilled,
    long Appended,
    long Gaps,
    IngestCounters.Counts Counters,
    bool Drained,
    IReadOnlyList<(int Streams, long Queued)> Connections,
    TimeSpan StartUp)
{
    /// <summary>Frames the simulator sent that never became a record: dropped in the pod (full pipeline), or malformed.</summary>
    public long Lost => Delivered - (Produced - Backfilled);
}

/// <summary>
/// Rows 2 and 3: the embedded Kafka cluster (3 brokers, every catalog topic), the simulator with the baseline's
/// market, and an ingest pod built by <see cref="IngestHost.Build"/> exactly as the program builds it, all in this
/// process. Row 2 advances the market as fast as the brokers append the pod's records (closed loop); row 3 runs the
/// simulator's clock at a fixed speed (open loop), as a deployment against a live exchange would see it.
/// </summary>
internal static class PodRun
{
    public const string AggTradeTopic = "binance.spot.aggtrade.raw.v1";
    public const string KlineTopic = "binance.spot.kline-15m.raw.v1";
    public const string DepthTopic = "binance.spot.depth.raw-a.v1";
    public const string GapTopic = "binance.all.feed.gaps.v1";

    public const string MockGroup = "librdkafka mock cluster (3 brokers)";
    public const string HarnessGroup = "harness: watermark queries (librdkafka)";
    public const string PodKafkaGroup = "pod: Kafka producer threads (librdkafka)";

    private static readonly string[] RawTopics = [AggTradeTopic, KlineTopic, DepthTopic];

    public static async Task<(RowResult Paced, RowResult Clocked, double ClockSpeed, PodTotals Totals)> RunAsync(
        BenchmarkOptions options, CancellationToken cancellationToken)
    {
        using var counters = new IngestCounters();
        using var sampler = options.SampleAllocations ? new AllocationSampler() : null;
        var before = ThreadUsage.Snapshot();
        using var cluster = MockCluster.Start(MockCluster.DefaultBrokerCount);
        var topics = cluster.CreateTopics(TopicCatalog.LoadDefault());
        var afterCluster = ThreadUsage.Snapshot();
        var mockThreads = ThreadUsage.Started(before, afterCluster);

        using var logEnds = new KafkaLogEnds(cluster.BootstrapServers, [.. topics.Where(t => RawTopics.Contains(t.Name) || t.Name == GapTopic)]);
        logEnds.Query();
        await Task.Delay(200, cancellationToken);
        var harnessThreads = ThreadUsage.Started(afterCluster, ThreadUsage.Snapshot());
        string Group(int tid, string name) =>
            mockThreads.Contains(tid) ? MockGroup
            : harnessThreads.Contains(tid) ? HarnessGroup
            : name.StartsWith("rdk:", StringComparison.Ordinal) ? PodKafkaGroup
            : ThreadUsage.Family(name);

        await using var server = await ExchangeSimulatorServer.StartAsync([Simulation.Settings(options)], cancellationToken: cancellationToken);
        var exchange = server.Exchange("spot");
        var region = exchange.Region("a");
        var streams = BenchmarkOptions.StreamsOf(exchange.Directory.Symbols.Select(s => s.Name));
        var shards = ShardPlanner.Plan(streams, [], options.MaxStreamsPerConnection).NewShards.Count;

        var app = IngestHost.Build(
        [
            "--Service:Urls=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            // Standard output carries the report; the pod's log lines go to standard error.
            "--Logging:Console:LogToStandardErrorThreshold=Trace",
            "--Kafka:BootstrapServers=" + cluster.BootstrapServers,
            "--Ingest:InstanceId=ingest-0",
            "--Ingest:Spot:WebSocketUrl=" + region.WebSocketUrl,
            "--Ingest:Spot:RestUrl=" + region.HttpUrl,
            "--Ingest:MaxStreamsPerConnection=" + options.MaxStreamsPerConnection,
        ]);
        var startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        await app.StartAsync(cancellationToken);
        using var stopPoller = new CancellationTokenSource();
        Task poller = Task.CompletedTask;
        try
        {
            while (region.Region.Connections() is var open && (open.Count != shards || open.Sum(c => c.Streams) != streams.Count))
            {
                if (System.Diagnostics.Stopwatch.GetElapsedTime(startedAt) > TimeSpan.FromSeconds(60))
                {
                    throw new InvalidOperationException($"The pod did not subscribe {streams.Count} streams on {shards} connections within 60 s");
                }

                await Task.Delay(50, cancellationToken);
            }

            var startUp = System.Diagnostics.Stopwatch.GetElapsedTime(startedAt);

            // Records the brokers appended, polled every 100 ms, for the paced producer.
            long appended = 0;
            poller = Task.Run(
                async () =>
                {
                    while (!stopPoller.IsCancellationRequested)
                    {
                        Volatile.Write(ref appended, Raw(logEnds.Query()));
                        await Task.Delay(100, CancellationToken.None);
                    }
                },
                CancellationToken.None);

            await Console.Error.WriteLineAsync("3/4 pod, paced by what the brokers append...");
            var paced = SimulatorDriver.Paced(
                exchange,
                () => counters.Take()[IngestCounters.Produced],
                SimulatorDriver.StepFor(options.TradesPerSecond),
                Simulation.PodFramesHighWater,
                () => counters.Take()[IngestCounters.Produced] - Volatile.Read(ref appended) > Simulation.PodRecordsHighWater);
            var pacedRow = await MeasureAsync(paced, exchange, region, logEnds, counters, sampler, Group, options, cancellationToken);

            var speed = options.Speed ?? Math.Max(0.1, Math.Round(pacedRow.Driver.SimulatedSpeed * BenchmarkOptions.ClockShareOfSustained, 1));
            await Console.Error.WriteLineAsync($"4/4 pod, simulator clock at {speed}× real time...");
            var clocked = SimulatorDriver.Clocked(exchange, speed);
            var clockedRow = await MeasureAsync(clocked, exchange, region, logEnds, counters, sampler, Group, options, cancellationToken);

            // Drain: wait until what the pod received has all landed (or stopped moving).
            var deadline = TimeSpan.FromSeconds(30);
            var drainStart = System.Diagnostics.Stopwatch.GetTimestamp();
            var last = (Appended: -1L, Produced: -1L);
            var drained = false;
            while (System.Diagnostics.Stopwatch.GetElapsedTime(drainStart) < deadline)
            {
                await Task.Delay(500, cancellationToken);
                var now = (Raw(logEnds.Query()), counters.Take()[IngestCounters.Produced]);
                if (now == last)
                {
                    drained = true;
                    break;
                }

                last = now;
            }

            var final = logEnds.Query();
            var totals = counters.Take();
            return (pacedRow, clockedRow, speed, new PodTotals(
                exchange.DeliveredCount,
                totals[IngestCounters.Produced],
                totals[IngestCounters.Backfilled],
                Raw(final),
                final[GapTopic],
                totals,
                drained,
                Simulation.Connections(region),
                startUp));
        }
        finally
        {
            await stopPoller.CancelAsync();
            await poller;
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    private static long Raw(Dictionary<string, long> ends) => RawTopics.Sum(t => ends[t]);

    private static async Task<RowResult> MeasureAsync(
        SimulatorDriver driver,
        SimulatedExchange exchange,
        RegionServer region,
        KafkaLogEnds logEnds,
        IngestCounters counters,
        AllocationSampler? sampler,
        Func<int, string, string> group,
        BenchmarkOptions options,
        CancellationToken cancellationToken)
    {
        using var stop = new CancellationTokenSource();
        var producing = Task.Run(() => driver.RunAsync(stop.Token), CancellationToken.None);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds), cancellationToken);
            var appended0 = logEnds.Query();
            var counters0 = counters.Take();
            var delivered0 = exchange.DeliveredCount;
            var driver0 = driver.Snapshot();
            var threads0 = ThreadUsage.Snapshot();
            var start = ProcessSnapshot.Take();
            sampler?.Start();

            await Task.Delay(TimeSpan.FromSeconds(options.Seconds), cancellationToken);
            var allocations = sampler is null ? null : AllocationSampler.Shares(sampler.Stop());
            var end = ProcessSnapshot.Take();
            var threads1 = ThreadUsage.Snapshot();
            var driver1 = driver.Snapshot();
            var delivered1 = exchange.DeliveredCount;
            var counters1 = counters.Take();
            var appended1 = logEnds.Query();
            var connections = Simulation.Connections(region);

            var result = new Measurement(Raw(appended1) - Raw(appended0), 0, start, end);
            return new RowResult(
                result,
                DriverWindow.Between(driver0, driver1, result.Seconds),
                delivered1 - delivered0,
                ThreadUsage.Between(threads0, threads1, group),
                connections)
            {
                Counters = counters1.Since(counters0),
                Appended = appended1.ToDictionary(e => e.Key, e => e.Value - appended0[e.Key], StringComparer.Ordinal),
                Allocations = allocations,
                HeapBytes = GC.GetGCMemoryInfo().HeapSizeBytes,
            };
        }
        finally
        {
            await stop.CancelAsync();
            await producing;
        }
    }
}
