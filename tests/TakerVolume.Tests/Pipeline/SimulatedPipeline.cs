using System.Net.Http.Json;
using ExchangeSimulator.Faults;
using ExchangeSimulator.Hosting;
using ExchangeSimulator.Market;
using Ingest;
using Microsoft.AspNetCore.Builder;
using Streaming.Testing;
using TakerVolume.Tests.EndToEnd;

namespace TakerVolume.Tests.Pipeline;

/// <summary>
/// The whole pipeline in this process, each part built exactly as its program builds it: the exchange simulator (real
/// WebSocket and REST servers, two regions, its clock accelerated), two redundant ingest pods (one per region, so every
/// trade reaches the raw topic at least twice), the embedded Kafka, and the taker-volume processor.
/// </summary>
internal sealed class SimulatedPipeline : IAsyncDisposable
{
    /// <summary>Simulated seconds per wall-clock second: a 15-minute window closes every 15 s.</summary>
    public const double Speed = 60;

    private const string ControlMarketPath = "markets/";
    private readonly CancellationTokenSource _clock = new();
    private readonly HttpClient _control;
    private readonly Dictionary<string, string[]> _podArguments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WebApplication?> _pods = new(StringComparer.Ordinal);
    private Task _clockTask = Task.CompletedTask;

    private SimulatedPipeline(ExchangeSimulatorServer simulator, string exchangeName, TakerVolumeRun processor, long firstWindowEndUs)
    {
        Simulator = simulator;
        ExchangeName = exchangeName;
        Processor = processor;
        FirstWindowEndUs = firstWindowEndUs;
        _control = new HttpClient { BaseAddress = simulator.ControlUrl };
    }

    public ExchangeSimulatorServer Simulator { get; }

    /// <summary>The simulator's name of the market ("spot" or "futures"), as in its control API's paths.</summary>
    public string ExchangeName { get; }

    public SimulatedExchange Exchange => Simulator.Exchange(ExchangeName);

    public TakerVolumeRun Processor { get; }

    /// <summary>End of the first 15-minute window of the market, in simulated microseconds (the market starts a minute before it).</summary>
    public long FirstWindowEndUs { get; }

    public IReadOnlyCollection<string> Regions => _pods.Keys;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>
    /// Starts the simulator (its market beginning one minute before a 15-minute boundary, so the first window is short and
    /// the second one complete after 16 s of wall time), one ingest pod per region and the processor.
    /// </summary>
    public static async Task<SimulatedPipeline> StartAsync(CatalogKafkaFixture kafka, MarketFlavor flavor, int seed, int symbols, double tradesPerSecond)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        const long windowUs = 900_000_000;
        var nowUs = SimulatedTime.ToMicroseconds(TimeProvider.System.GetUtcNow());
        var firstWindowEndUs = nowUs - (nowUs % windowUs) + windowUs;
        var source = new MarketSimulator(new MarketOptions
        {
            Seed = seed,
            Flavor = flavor,
            SymbolCount = symbols,
            TradesPerSecond = tradesPerSecond,
            Start = DateTimeOffset.FromUnixTimeMilliseconds((firstWindowEndUs - 60_000_000) / 1000),
        });
        var exchangeName = flavor == MarketFlavor.UsdmFutures ? "futures" : "spot";
        var simulator = await ExchangeSimulatorServer.StartAsync([new ExchangeSettings { Name = exchangeName, Source = source }], cancellationToken: Token);
        var processor = TakerVolumeRun.Create(
            kafka,
            "--Processing:InstanceId=taker-volume-pipeline",
            "--TakerVolume:Market=" + (flavor == MarketFlavor.UsdmFutures ? "UsdmFutures" : "Spot"),
            "--TakerVolume:Grace=00:00:02");
        var pipeline = new SimulatedPipeline(simulator, exchangeName, processor, firstWindowEndUs);
        try
        {
            await processor.StartAsync();
            foreach (var region in pipeline.Exchange.Regions)
            {
                pipeline.AddPod(kafka, flavor, region.Region.Name);
                await pipeline.StartPodAsync(region.Region.Name);
            }
        }
        catch
        {
            await pipeline.DisposeAsync();
            throw;
        }

        return pipeline;
    }

    /// <summary>Waits until each pod has subscribed every stream of every symbol, then starts the exchange's clock.</summary>
    public async Task StartClockWhenSubscribedAsync()
    {
        var streams = Exchange.Market.Symbols.Count * 3;
        foreach (var region in Exchange.Regions)
        {
            await Eventually.TrueAsync(
                () => region.Region.Connections() is { Count: > 0 } open && open.Sum(c => c.Streams) == streams,
                TimeSpan.FromSeconds(60),
                $"the pod of region {region.Region.Name} to subscribe {streams} streams",
                Token);
        }

        _clockTask = Exchange.RunClockAsync(Speed, TimeSpan.FromMilliseconds(10), TimeProvider.System, _clock.Token);
    }

    /// <summary>Waits (polling) until simulated time reaches <paramref name="untilUs"/>.</summary>
    public Task WaitForMarketTimeAsync(long untilUs, string what) =>
        Eventually.TrueAsync(() => Exchange.Market.NowUs >= untilUs, TimeSpan.FromSeconds(120), what, Token);

    public async Task InjectAsync(string region, ConnectionFault fault)
    {
        var response = await _control.PostAsJsonAsync($"{ControlMarketPath}{ExchangeName}/regions/{region}/faults", fault, Token);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Trades <paramref name="firstId"/>..<paramref name="lastId"/> lost from the exchange's own history and never streamed.</summary>
    public async Task AddHistoryHoleAsync(string symbol, long firstId, long lastId)
    {
        var response = await _control.PostAsJsonAsync(
            $"{ControlMarketPath}{ExchangeName}/holes",
            new { symbol, firstId, lastId, withheldFromStreams = true },
            Token);
        response.EnsureSuccessStatusCode();
    }

    public async Task StopPodAsync(string region)
    {
        if (_pods[region] is { } pod)
        {
            _pods[region] = null;
            await pod.StopAsync(Token);
            await pod.DisposeAsync();
        }
    }

    /// <summary>Starts the pod of <paramref name="region"/> again with its instance id: it fetches over REST what traded while it was away.</summary>
    public async Task StartPodAsync(string region)
    {
        var pod = IngestHost.Build(_podArguments[region]);
        await pod.StartAsync(Token);
        _pods[region] = pod;
    }

    /// <summary>Stops the exchange's clock: from now on its ground truth is final.</summary>
    public async Task StopClockAsync()
    {
        await _clock.CancelAsync();
#pragma warning disable VSTHRD003 // The clock task was started by this object.
        await _clockTask;
#pragma warning restore VSTHRD003
    }

    /// <summary>Every trade of <paramref name="symbol"/> the exchange made (its ground truth, including what its history lost).</summary>
    public IReadOnlyList<AggregateTrade> Truth(string symbol) => Exchange.Market.Read((_, truth) => truth.GetTrades(symbol).ToList());

    public async ValueTask DisposeAsync()
    {
        if (!_clock.IsCancellationRequested)
        {
            await StopClockAsync();
        }

        foreach (var region in _pods.Keys.ToList())
        {
            if (_pods[region] is { } pod)
            {
                _pods[region] = null;
                await pod.StopAsync(CancellationToken.None);
                await pod.DisposeAsync();
            }
        }

        await Processor.DisposeAsync();
        _control.Dispose();
        await Simulator.DisposeAsync();
        _clock.Dispose();
    }

    private void AddPod(CatalogKafkaFixture kafka, MarketFlavor flavor, string region)
    {
        var endpoints = Exchange.Region(region);
        var side = flavor == MarketFlavor.UsdmFutures ? "Futures" : "Spot";
        _podArguments[region] =
        [
            "--Service:Urls=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            "--Kafka:BootstrapServers=" + kafka.BootstrapServers,
            "--Ingest:InstanceId=pipeline-" + region,
            "--Ingest:Region=" + region,
            $"--Ingest:{side}:Enabled=true",
            $"--Ingest:{side}:WebSocketUrl=" + endpoints.WebSocketUrl,
            $"--Ingest:{side}:RestUrl=" + endpoints.HttpUrl,
            .. flavor == MarketFlavor.UsdmFutures ? new[] { "--Ingest:Spot:Enabled=false" } : [],
            "--Ingest:MaxStreamsPerConnection=12",
            "--Ingest:ConnectionOpenInterval=00:00:00.020",
            "--Ingest:ReconnectMinDelay=00:00:00.050",
            "--Ingest:ReconnectMaxDelay=00:00:00.300",
        ];
        _pods[region] = null;
    }
}
