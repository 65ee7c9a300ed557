using System.Text.Json;
using Confluent.Kafka;
using ExchangeSimulator.Hosting;
using ExchangeSimulator.Market;
using Microsoft.AspNetCore.Builder;
using Streaming.Contracts.Common.V1;
using Streaming.Contracts.Ops.V1;
using Streaming.Contracts.Raw.V1;
using Streaming.Kafka;
using Streaming.Serialization;
using Streaming.Testing;

namespace Ingest.Tests.EndToEnd;

/// <summary>
/// The simulator (real WebSocket and REST servers, its clock running at real speed), the embedded Kafka cluster
/// and an ingest pod built exactly as the program builds it, all in this process; plus a reader of what the pod
/// published.
/// </summary>
internal sealed class IngestPipeline : IAsyncDisposable
{
    private readonly CancellationTokenSource _clock = new();
    private Task _clockTask = Task.CompletedTask;
    private readonly IConsumer<string, RawEvent> _raw;
    private readonly IConsumer<string, FeedGap> _gaps;
    private readonly HashSet<(string Symbol, long Id)> _seenTrades = [];
    private readonly HashSet<(string Instance, string Symbol, long Id)> _restBackfilled = [];
    private readonly HashSet<string> _instances = [];
    private readonly List<FeedGap> _seenGaps = [];
    private readonly IProducer<string, byte[]> _gapWriter;

    private readonly string _market;

    private readonly string[] _arguments;

    private IngestPipeline(ExchangeSimulatorServer simulator, WebApplication ingest, CatalogKafkaFixture kafka, string instanceId, string market, string[] arguments)
    {
        _arguments = arguments;
        InstanceId = instanceId;
        _instances.Add(instanceId);
        _market = market;
        Simulator = simulator;
        Ingest = ingest;
        var group = "ingest-test-" + Guid.NewGuid().ToString("N");
        var config = KafkaClientConfigs.Consumer(kafka.Options(), group, group);
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        config.FetchWaitMaxMs = 50;
        _raw = new ConsumerBuilder<string, RawEvent>(config).SetValueDeserializer(new ProtobufDeserializer<RawEvent>()).Build();
        _raw.Subscribe(market == "futures" ? "binance.usdm.aggtrade.raw.v1" : "binance.spot.aggtrade.raw.v1");
        config.GroupId += "-gaps";
        _gaps = new ConsumerBuilder<string, FeedGap>(config).SetValueDeserializer(new ProtobufDeserializer<FeedGap>()).Build();
        _gaps.Subscribe("binance.all.feed.gaps.v1");
        _gapWriter = new ProducerBuilder<string, byte[]>(KafkaClientConfigs.Producer(kafka.Options(), "ingest-test-gaps")).Build();
    }

    public ExchangeSimulatorServer Simulator { get; }

    /// <summary>Unique per pod: tests sharing the cluster read only their own pods' records.</summary>
    public string InstanceId { get; private set; }

    public SimulatedExchange Exchange => Simulator.Exchange(_market);

    public WebApplication Ingest { get; private set; }

    public IReadOnlyList<FeedGap> Gaps => _seenGaps;

    public static Task<IngestPipeline> StartAsync(CatalogKafkaFixture kafka, int seed, params string[] ingestArguments) =>
        StartAsync(kafka, seed, MarketFlavor.Spot, ingestArguments);

    public static Task<IngestPipeline> StartAsync(CatalogKafkaFixture kafka, int seed, MarketFlavor flavor, params string[] ingestArguments) =>
        StartAsync(kafka, new PipelineExchange(seed) { Flavor = flavor }, ingestArguments);

    public static async Task<IngestPipeline> StartAsync(CatalogKafkaFixture kafka, PipelineExchange exchange, params string[] ingestArguments)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var flavor = exchange.Flavor;
        var market = flavor == MarketFlavor.UsdmFutures ? "futures" : "spot";
        var source = new MarketSimulator(new MarketOptions
        {
            Seed = exchange.Seed,
            Flavor = flavor,
            SymbolCount = exchange.SymbolCount,
            TradesPerSecond = exchange.TradesPerSecond,
            Start = TimeProvider.System.GetUtcNow(),
        });
        var simulator = await ExchangeSimulatorServer.StartAsync(
            [new ExchangeSettings { Name = market, Source = source, Unlisted = exchange.Unlisted }],
            cancellationToken: TestContext.Current.CancellationToken);
        var region = simulator.Exchange(market).Region("a");
        var side = flavor == MarketFlavor.UsdmFutures ? "Futures" : "Spot";
        var instanceId = "ingest-test-" + Guid.NewGuid().ToString("N")[..8];
        string[] arguments =
        [
            "--Service:Urls=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Ingest=Information",
            "--Kafka:BootstrapServers=" + kafka.BootstrapServers,
            "--Ingest:InstanceId=" + instanceId,
            $"--Ingest:{side}:Enabled=true",
            $"--Ingest:{side}:WebSocketUrl=" + region.WebSocketUrl,
            $"--Ingest:{side}:RestUrl=" + region.HttpUrl,
            .. flavor == MarketFlavor.UsdmFutures ? new[] { "--Ingest:Spot:Enabled=false" } : [],
            "--Ingest:MaxStreamsPerConnection=12",
            "--Ingest:ConnectionOpenInterval=00:00:00.020",
            "--Ingest:ReconnectMinDelay=00:00:00.050",
            "--Ingest:ReconnectMaxDelay=00:00:00.300",
            .. ingestArguments,
        ];
        var ingest = IngestHost.Build(arguments);
        await ingest.StartAsync(TestContext.Current.CancellationToken);
        return new IngestPipeline(simulator, ingest, kafka, instanceId, market, arguments);
    }

    /// <summary>
    /// Waits until the pod holds <paramref name="connections"/> connections subscribed to every stream, then starts the
    /// exchange's clock: the first trade comes after the pod listens, so every trade of the ground truth is expected.
    /// </summary>
    public async Task StartClockWhenSubscribedAsync(int connections, int streams)
    {
        await Eventually.TrueAsync(
            () => Exchange.Region("a").Region.Connections() is { } open && open.Count == connections && open.Sum(c => c.Streams) == streams,
            TimeSpan.FromSeconds(60),
            $"the pod to subscribe {streams} streams on {connections} connections",
            TestContext.Current.CancellationToken);
        // Exchange time catches up with the wall clock first, as on the real exchange.
        Exchange.AdvanceTo(SimulatedTime.ToMicroseconds(TimeProvider.System.GetUtcNow()));
        _clockTask = Exchange.RunClockAsync(1, TimeSpan.FromMilliseconds(10), TimeProvider.System, _clock.Token);
    }

    /// <summary>
    /// Stops the pod gracefully, lets the exchange trade on without it for <paramref name="downtime"/> (the pod's region
    /// seeing nothing, as in a rolling update), then starts a new pod with the same instance id.
    /// </summary>
    public async Task RestartIngestAsync(TimeSpan downtime)
    {
        await Ingest.StopAsync(TestContext.Current.CancellationToken);
        await Ingest.DisposeAsync();
        var until = Exchange.Market.NowUs + (long)downtime.TotalMicroseconds;
        await Eventually.TrueAsync(() => Exchange.Market.NowUs >= until, TimeSpan.FromSeconds(60), "the exchange to trade on without the pod", TestContext.Current.CancellationToken);
        Ingest = IngestHost.Build(_arguments);
        await Ingest.StartAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// Stops the pod gracefully and starts another one in its place under <paramref name="instanceId"/>, as the other pod of
    /// a pair would take over: same configuration, so the same consumer groups.
    /// </summary>
    public async Task ReplaceIngestAsync(string instanceId)
    {
        await Ingest.StopAsync(TestContext.Current.CancellationToken);
        await Ingest.DisposeAsync();
        InstanceId = instanceId;
        _instances.Add(instanceId);
        Ingest = IngestHost.Build([.. _arguments, "--Ingest:InstanceId=" + instanceId]);
        await Ingest.StartAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// Publishes <paramref name="gap"/> to the feed gap topic keyed by its symbol, as the taker-volume processor does: in
    /// Confluent's Schema Registry frame, or with <paramref name="registryFrame"/> false in the registry-less form.
    /// </summary>
    public async Task PublishGapAsync(FeedGap gap, bool registryFrame = true)
    {
        ArgumentNullException.ThrowIfNull(gap);
        var message = new Message<string, byte[]> { Key = gap.Symbol, Headers = [] };
        if (registryFrame)
        {
            message.Value = ConfluentProtobufFrame.ToArray(schemaId: 17, gap);
        }
        else
        {
            message.Value = await new ProtobufSerializer<FeedGap>().SerializeAsync(
                gap, new SerializationContext(MessageComponentType.Value, "binance.all.feed.gaps.v1", message.Headers));
        }

        await _gapWriter.ProduceAsync("binance.all.feed.gaps.v1", message, TestContext.Current.CancellationToken);
    }

    /// <summary>Aggregate ids of <paramref name="symbol"/> that pod <paramref name="instanceId"/> published from REST backfill (read so far).</summary>
    public SortedSet<long> RestBackfilled(string instanceId, string symbol) =>
        [.. _restBackfilled.Where(r => r.Instance == instanceId && r.Symbol == symbol).Select(r => r.Id)];

    /// <summary>Stops the exchange's clock: from now on the ground truth is final.</summary>
    public async Task StopClockAsync()
    {
        await _clock.CancelAsync();
#pragma warning disable VSTHRD003 // The clock task was started by this object's constructor.
        await _clockTask;
#pragma warning restore VSTHRD003
    }

    public IReadOnlyList<AggregateTrade> Truth(string symbol) => Exchange.Market.Read((_, truth) => truth.GetTrades(symbol).ToList());

    /// <summary>Reads what the pod published so far (bounded by <paramref name="budget"/>).</summary>
    public void Poll(TimeSpan budget)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < budget)
        {
            var record = _raw.Consume(TimeSpan.FromMilliseconds(20));
            if (record is null)
            {
                break;
            }

            var value = record.Message.Value;
            if (!_instances.Contains(value.IngestInstanceId))
            {
                continue;
            }

            using var payload = JsonDocument.Parse(value.Payload.Memory);
            var id = payload.RootElement.GetProperty("a").GetInt64();
            if (value.Source == Source.RestBackfill)
            {
                _restBackfilled.Add((value.IngestInstanceId, value.Symbol, id));
            }

            if (value.IngestInstanceId == InstanceId)
            {
                _seenTrades.Add((value.Symbol, id));
            }
        }

        while (_gaps.Consume(TimeSpan.FromMilliseconds(10)) is { } gap)
        {
            if (gap.Message.Value.DetectedBy == "ingest/" + InstanceId)
            {
                _seenGaps.Add(gap.Message.Value);
            }
        }
    }

    /// <summary>
    /// Reads the raw topic until it holds every trade of the (stopped) exchange except <paramref name="excluded"/>, or
    /// <paramref name="deadline"/> passes; then fails naming what is missing and the gaps the pod reported.
    /// </summary>
    public async Task AssertEveryTradeArrivesAsync(Func<string, long, bool>? excluded, TimeSpan deadline)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        List<(string Symbol, long Id)> missing;
        do
        {
            await Task.Run(() => Poll(TimeSpan.FromSeconds(2)), TestContext.Current.CancellationToken);
            missing = Missing(excluded);
        }
        while (missing.Count > 0 && clock.Elapsed < deadline);

        Assert.True(
            missing.Count == 0,
            $"{missing.Count} trades never reached the raw topic, e.g. {string.Join(", ", missing.Take(10))}; gaps: {string.Join("; ", Gaps.Select(g => $"{g.Symbol} {g.Kind} {g.MissingIds} {g.Detail}"))}");
    }

    /// <summary>Ids of the exchange's trades the raw topic does not hold (yet), except <paramref name="excluded"/>.</summary>
    public List<(string Symbol, long Id)> Missing(Func<string, long, bool>? excluded = null)
    {
        var missing = new List<(string, long)>();
        foreach (var symbol in Exchange.Market.Symbols)
        {
            foreach (var trade in Truth(symbol.Name))
            {
                if (!_seenTrades.Contains((symbol.Name, trade.AggregateId)) && excluded?.Invoke(symbol.Name, trade.AggregateId) != true)
                {
                    missing.Add((symbol.Name, trade.AggregateId));
                }
            }
        }

        return missing;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_clock.IsCancellationRequested)
        {
            await StopClockAsync();
        }

        await Ingest.StopAsync(CancellationToken.None);
        await Ingest.DisposeAsync();
        _raw.Close();
        _raw.Dispose();
        _gaps.Close();
        _gaps.Dispose();
        _gapWriter.Dispose();
        await Simulator.DisposeAsync();
        _clock.Dispose();
    }
}

/// <summary>The simulated exchange a pipeline runs against: 12 symbols at 150 trades per second unless told otherwise.</summary>
/// <param name="Seed">Fixes the market.</param>
internal sealed record PipelineExchange(int Seed)
{
    public MarketFlavor Flavor { get; init; } = MarketFlavor.Spot;

    public int SymbolCount { get; init; } = 12;

    public double TradesPerSecond { get; init; } = 150;

    /// <summary>Symbols not listed when the exchange starts (the control API lists them later).</summary>
    public IReadOnlyCollection<string> Unlisted { get; init; } = [];
}
