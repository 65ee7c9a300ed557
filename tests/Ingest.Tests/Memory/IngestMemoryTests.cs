using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Confluent.Kafka;
using ExchangeSimulator.Faults;
using ExchangeSimulator.Hosting;
using ExchangeSimulator.Market;
using Streaming.Testing;

namespace Ingest.Tests.Memory;

/// <summary>Tests that measure a process's memory run alone, after the parallel ones: other tests' load would be noise.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunAloneDefinition
{
    public const string Name = "run alone";
}

/// <summary>
/// The ingest program as deployed, in its own process so that its memory is measured alone (the simulator and the
/// embedded Kafka stay in this one), under a sustained high rate and a fault every few seconds on every path that
/// holds state: reconnects after drops and 1011 closes (REST verification backfills), make-before-break
/// replacements (serverShutdown, rotation, stalls), holes in the exchange's history (gaps the sequencer keeps open
/// and the backfill reports), malformed, duplicated and reordered frames, REST throttling. Its memory must level
/// off: everything it holds is bounded by construction (frame and backfill channels, hole lists, stream names from
/// the plan, librdkafka's queue), and this shows it over a long faulty run.
/// </summary>
[Collection(RunAloneDefinition.Name)]
public sealed class IngestMemoryTests(CatalogKafkaFixture kafka, ITestOutputHelper output) : IClassFixture<CatalogKafkaFixture>, IDisposable
{
    private const int Symbols = 200;
    private const int MaxStreamsPerConnection = 60;
    private const double TradesPerSecond = 4000;
    private const double Speed = 3;

    // The capacities the pod is given, smaller than production's (50 000 frames, librdkafka's 100 000 records) so
    // that the bound they imply is tight; at this rate only the catch-up burst at the start fills the frame channel
    // (its frames are dropped, counted and backfilled, which exercises that path too).
    private const int FrameBufferCapacity = 8192;
    private const int ProducerQueueRecords = 20_000;

    // What one queued item may hold on the managed heap, on average, generously (the simulator's frames average about
    // 300 B, the largest depth frames about 6 KB): a frame in its pooled buffer (a power of two at least as long as
    // the frame); a backfill request; a record the producer has not yet acknowledged (the RawEvent with its copy of
    // the frame, the message and its delivery handler).
    private const long FrameBytes = 2048;
    private const int BackfillChannelCapacity = 100_000;
    private const long BackfillRequestBytes = 256;
    private const long ProducerRecordBytes = 2048;

    // The runtime, Kestrel, the clients and the pod's fixed state (names, the sequencer's 1024 holes per symbol at most).
    private const long BaselineBytes = 48L << 20;

    /// <summary>The managed heap the pod may hold with every queue full (about 128 MB).</summary>
    private const long HeapBound =
        BaselineBytes + (FrameBufferCapacity * FrameBytes) + (BackfillChannelCapacity * BackfillRequestBytes) + (ProducerQueueRecords * ProducerRecordBytes);

    // The plateau rules, after a warm-up third. The process's RSS (native memory included, which grows in steps) may
    // peak in the last third at most 25 % + 20 MB above its peak in the middle third. The managed heap's typical
    // level (the median, which a queue filling for a moment does not move) may rise by what the frame channel and the
    // producer's queue hold when both stay full (1 KiB per item: more than the frames' average).
    private const double RssGrowth = 0.25;
    private const long RssSlackBytes = 20L << 20;
    private const long HeapSlackBytes = (FrameBufferCapacity + ProducerQueueRecords) * 1024L;

    private static readonly TimeSpan RunFor = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan FaultEvery = TimeSpan.FromSeconds(2.5);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly DirectoryInfo _workDir = Directory.CreateTempSubdirectory("ingest-memory-");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LongRunUnderFaults_MemoryLevelsOff()
    {
        await using var simulator = await ExchangeSimulatorServer.StartAsync(
            [
                new ExchangeSettings
                {
                    Name = "spot",
                    Regions = ["a"],
                    Source = new MarketSimulator(new MarketOptions { Seed = 61, SymbolCount = Symbols, TradesPerSecond = TradesPerSecond, Start = TimeProvider.System.GetUtcNow() }),
                },
            ],
            cancellationToken: Token);
        var exchange = simulator.Exchange("spot");
        var region = exchange.Region("a");
        var port = FreePort();
        var instanceId = "ingest-memory-" + Guid.NewGuid().ToString("N")[..8];
        await using var ingest = ChildProcess.Start(
            "Ingest",
            _workDir.FullName,
            $"--Service:Urls=http://127.0.0.1:{port}",
            "--Logging:LogLevel:Default=Warning",
            "--Kafka:BootstrapServers=" + kafka.BootstrapServers,
            "--Ingest:InstanceId=" + instanceId,
            "--Ingest:Spot:WebSocketUrl=" + region.WebSocketUrl,
            "--Ingest:Spot:RestUrl=" + region.HttpUrl,
            $"--Ingest:MaxStreamsPerConnection={MaxStreamsPerConnection}",
            "--Ingest:ConnectionOpenInterval=00:00:00.020",
            "--Ingest:ReconnectMinDelay=00:00:00.050",
            "--Ingest:ReconnectMaxDelay=00:00:00.500",
            "--Ingest:RotateAfter=00:00:06",
            "--Ingest:ConnectionSilenceTimeout=00:00:02",
            "--Ingest:RestWeightPerMinute=6000",
            "--Ingest:Symbols:RefreshInterval=00:00:05",
            $"--Ingest:FrameBufferCapacity={FrameBufferCapacity}",
            $"--Kafka:Overrides:queue.buffering.max.messages={ProducerQueueRecords}");
        using var metrics = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        const int Streams = Symbols * 3;
        try
        {
            await Eventually.TrueAsync(
                () => ingest.HasExited || region.Region.Connections().Sum(c => c.Streams) == Streams,
                Deadline,
                $"the pod to subscribe {Streams} streams",
                Token);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} ({region.Region.Connections().Sum(c => c.Streams)} subscribed); its output:\n{ingest.Output}", e);
        }

        Assert.False(ingest.HasExited, "the pod exited:\n" + ingest.Output);

        // Exchange time catches up with the wall clock, then runs Speed times faster.
        exchange.AdvanceTo(SimulatedTime.ToMicroseconds(TimeProvider.System.GetUtcNow()));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var clock = exchange.RunClockAsync(Speed, TimeSpan.FromMilliseconds(10), TimeProvider.System, stop.Token);
        var sampler = new MemorySampler(ingest, metrics, SampleEvery);
        var sampling = sampler.RunAsync(stop.Token);
        var firstConnection = region.Region.Connections().Min(c => c.Id);
        var faults = new List<string>();
        try
        {
            await InjectFaultsAsync(exchange, faults);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(clock, sampling);
        }

        Assert.False(ingest.HasExited, "the pod exited:\n" + ingest.Output);
        var samples = sampler.Samples;
        Print(samples, faults);
        Assert.True(samples.Count >= 30, $"only {samples.Count} samples");
        var rss = Thirds("RSS", [.. samples.Select(s => (double)s.ResidentBytes)]);
        var heap = Thirds("managed heap", [.. samples.Select(s => s.HeapBytes)]);

        // The pod did the work: nearly every trade the exchange made is in Kafka (the rest in a hole), connections
        // were replaced many times over, backfills ran and the holes were reported. On a loaded machine the backfills
        // may still be catching up with dropped frames when the exchange stops: they get a deadline to finish.
        var traded = exchange.Market.Read((_, truth) => truth.TotalTradeCount);
        var connectionsOpened = region.Region.Connections().Max(c => c.Id) - firstConnection + 1;
        using var watermarks = new ConsumerBuilder<byte[], byte[]>(kafka.ConsumerConfig("memory-watermarks")).Build();
        var final = MetricsScrape.Parse("");
        long tradesInKafka = 0;
        var draining = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await Eventually.TrueAsync(
                async () =>
                {
                    final = MetricsScrape.Parse(await metrics.GetStringAsync(new Uri("metrics", UriKind.Relative), Token));
                    tradesInKafka = RecordsIn(watermarks, "binance.spot.aggtrade.raw.v1");
                    return tradesInKafka >= traded * 0.9
                        && final.Sum("ingest_backfill_trades_total") > 0
                        && final.Sum("ingest_gaps_reported_total", "kind=\"AggTradeIds\"") > 0;
                },
                Deadline,
                "at least 90 % of the trades in Kafka, trades backfilled and the history holes reported",
                Token);
        }
        finally
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"after the exchange stopped, checked for {draining.Elapsed.TotalSeconds:0.0} s:"));
            PrintActivity(final, traded, tradesInKafka, connectionsOpened);
        }

        Assert.True(final.Sum("ingest_connections_reconnects_total") >= 20, "too few reconnects");
        Assert.True(connectionsOpened >= 60, $"only {connectionsOpened} connections opened: too few rotations and replacements");
        Assert.True(final.Sum("ingest_frames_malformed_total") > 0, "no malformed frame was seen");

        // Its memory levels off, within what its capacities allow.
        var rssAllowed = (rss.Middle.Peak * (1 + RssGrowth)) + RssSlackBytes;
        var heapAllowed = heap.Middle.Median + HeapSlackBytes;
        var heapPeak = samples.Max(s => s.HeapBytes);
        var problems = new List<string>();
        if (rss.Last.Peak > rssAllowed)
        {
            problems.Add($"RSS kept growing: peak {Mb(rss.Last.Peak):0.0} MB in the last third against {Mb(rss.Middle.Peak):0.0} MB in the middle third (allowed {Mb(rssAllowed):0.0} MB)");
        }

        if (heap.Last.Median > heapAllowed)
        {
            problems.Add($"the managed heap kept growing: median {Mb(heap.Last.Median):0.0} MB in the last third against {Mb(heap.Middle.Median):0.0} MB in the middle third (allowed {Mb(heapAllowed):0.0} MB)");
        }

        if (heapPeak > HeapBound)
        {
            problems.Add($"the managed heap peaked at {Mb(heapPeak):0.0} MB, above the {Mb(HeapBound):0.0} MB its capacities allow");
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>Peak and median of each third of the run (warm-up, middle, last), printed.</summary>
    private (Level WarmUp, Level Middle, Level Last) Thirds(string what, double[] values)
    {
        var third = values.Length / 3;
        var levels = (Level.Of(values[..third]), Level.Of(values[third..(2 * third)]), Level.Of(values[(2 * third)..]));
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{what}: start {Mb(values[0]):0.0} MB; peak / median: warm-up {levels.Item1}, middle {levels.Item2}, last {levels.Item3}; end {Mb(values[^1]):0.0} MB"));
        return levels;
    }

    private readonly record struct Level(double Peak, double Median)
    {
        public static Level Of(double[] values)
        {
            var sorted = values.Order().ToArray();
            return new Level(sorted[^1], sorted[sorted.Length / 2]);
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Mb(Peak):0.0} / {Mb(Median):0.0} MB");
    }

    /// <summary>Records the brokers hold in <paramref name="topic"/> (the sum of its partitions' high watermarks; only this test's pod writes to this fixture).</summary>
    private long RecordsIn(IConsumer<byte[], byte[]> consumer, string topic)
    {
        var partitions = kafka.Topics.Single(t => t.Name == topic).Partitions;
        return Enumerable.Range(0, partitions).Sum(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value);
    }

    /// <summary>A fault every <see cref="FaultEvery"/> for <see cref="RunFor"/>, cycling through the kinds (a workload schedule, not a synchronization).</summary>
    private static async Task InjectFaultsAsync(SimulatedExchange exchange, List<string> log)
    {
        var region = exchange.Region("a");
        var random = new Random(61);
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var timer = new PeriodicTimer(FaultEvery);
        for (var round = 0; await timer.WaitForNextTickAsync(Token) && started.Elapsed < RunFor; round++)
        {
            var connections = region.Region.Connections();
            long? One() => connections.Count == 0 ? null : connections[random.Next(connections.Count)].Id;
            string what;
            switch (round % 7)
            {
                case 0:
                    region.Region.Apply(new ConnectionFault { Kind = ConnectionFaultKind.Drop });
                    what = "drop all";
                    break;
                case 1:
                    region.Region.Apply(new ConnectionFault { Kind = ConnectionFaultKind.Close, CloseCode = 1011, Connection = One() });
                    what = "1011 one";
                    break;
                case 2:
                    what = "history holes: " + AddHoles(exchange, symbols: 8);
                    break;
                case 3:
                    region.Region.Apply(new ConnectionFault { Kind = ConnectionFaultKind.ServerShutdown, Connection = One() });
                    what = "serverShutdown one";
                    break;
                case 4:
                    region.Region.Apply(new ConnectionFault { Kind = ConnectionFaultKind.Stall, Duration = TimeSpan.FromSeconds(4), Connection = One() });
                    what = "stall one";
                    break;
                case 5:
                    region.Region.Apply(new ConnectionFault { Kind = ConnectionFaultKind.MalformedJson });
                    region.Region.Apply(new ConnectionFault { Kind = ConnectionFaultKind.Duplicate, Count = 50 });
                    region.Region.Apply(new ConnectionFault { Kind = ConnectionFaultKind.Reorder, Count = 20 });
                    what = "malformed, duplicates, reorders on all";
                    break;
                default:
                    region.Throttle.Activate(429, TimeSpan.FromSeconds(1.5), retryAfterSeconds: 1);
                    region.Region.Apply(new ConnectionFault { Kind = ConnectionFaultKind.Drop, Connection = One() });
                    what = "REST 429 + drop one";
                    break;
            }

            log.Add($"{started.Elapsed.TotalSeconds,5:0.0} s  {what} ({connections.Count} connections open)");
        }
    }

    /// <summary>Two ids of each of the busiest symbols, a little ahead of their last trade, lost from the exchange's history and never streamed.</summary>
    private static string AddHoles(SimulatedExchange exchange, int symbols)
    {
        var added = new List<string>();
        foreach (var symbol in exchange.Market.Symbols.Take(symbols))
        {
            var last = exchange.Market.Read((_, truth) => truth.GetTrades(symbol.Name) is { Count: > 0 } trades ? trades[^1].AggregateId : 0);
            exchange.Market.Holes.Add(new HistoryHole(symbol.Name, last + 100, last + 101, WithheldFromStreams: true));
            added.Add($"{symbol.Name} {last + 100}");
        }

        return string.Join(", ", added);
    }

    private void Print(IReadOnlyList<MemorySample> samples, List<string> faults)
    {
        output.WriteLine("faults:");
        faults.ForEach(output.WriteLine);
        output.WriteLine("");
        output.WriteLine("    t    RSS MB   heap MB  committed MB  alloc MB/s  produced/s  gen2");
        MemorySample? previous = null;
        foreach (var s in samples)
        {
            var seconds = previous is null ? 0 : (s.Elapsed - previous.Elapsed).TotalSeconds;
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{s.Elapsed.TotalSeconds,5:0.0}  {Mb(s.ResidentBytes),8:0.0}  {Mb(s.HeapBytes),8:0.0}  {Mb(s.CommittedBytes),12:0.0}  {(seconds > 0 ? Mb(s.AllocatedBytes - previous!.AllocatedBytes) / seconds : 0),10:0.0}  {(seconds > 0 ? (s.Produced - previous!.Produced) / seconds : 0),10:0}  {s.Gen2Collections,4:0}"));
            previous = s;
        }
    }

    private void PrintActivity(MetricsScrape final, long traded, long tradesInKafka, long connectionsOpened)
    {
        output.WriteLine($"trades made by the exchange {traded}, trade records in Kafka {tradesInKafka}, connections opened {connectionsOpened}");
        foreach (var family in new[]
        {
            "ingest_raw_produced_total", "ingest_raw_delivery_failed_total", "ingest_kafka_backpressure_waits_total", "ingest_frames_dropped_total",
            "ingest_frames_malformed_total", "ingest_connections_reconnects_total", "ingest_backfill_trades_total", "ingest_gaps_reported_total",
            "ingest_gaps_ids_total",
        })
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {family} {final.Sum(family)}"));
        }
    }

    private static double Mb(double bytes) => bytes / (1024 * 1024);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => _workDir.Delete(recursive: true);
}
