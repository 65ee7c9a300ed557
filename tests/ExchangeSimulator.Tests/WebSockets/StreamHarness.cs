using ExchangeSimulator.Hosting;
using ExchangeSimulator.Market;
using ExchangeSimulator.WebSockets;

namespace ExchangeSimulator.Tests.WebSockets;

/// <summary>
/// A fixed-seed market served by two regions ("a", "b") over real Kestrel listeners, its time advanced by the
/// test (never by a clock), WebSocket timers scaled down so pings, deadlines and lifetimes happen in a test.
/// </summary>
internal sealed class StreamHarness : IAsyncDisposable
{
    private StreamHarness(ExchangeSimulatorServer server, MarketOptions options)
    {
        Server = server;
        Options = options;
    }

    public ExchangeSimulatorServer Server { get; }

    public SimulatedExchange Exchange => Server.Exchanges[0];

    public MarketOptions Options { get; }

    public long StartUs => SimulatedTime.ToMicroseconds(Options.Start);

    public static StreamServerOptions FastTimers(MarketFlavor flavor = MarketFlavor.Spot) => StreamServerOptions.For(flavor) with
    {
        PingInterval = TimeSpan.FromMinutes(10),
        PongTimeout = TimeSpan.FromMinutes(10),
        ShutdownNoticePeriod = TimeSpan.FromMilliseconds(200),
        CloseHandshakeTimeout = TimeSpan.FromSeconds(1),
    };

    public static async Task<StreamHarness> StartAsync(
        int seed = 7, MarketFlavor flavor = MarketFlavor.Spot, StreamServerOptions? streams = null, string market = "spot", IReadOnlyCollection<string>? unlisted = null)
    {
        var options = Markets.Small(seed, flavor);
        var settings = new ExchangeSettings
        {
            Name = market,
            Source = new MarketSimulator(options),
            Streams = streams ?? FastTimers(flavor),
            Unlisted = unlisted ?? [],
        };
        var server = await ExchangeSimulatorServer.StartAsync([settings], cancellationToken: TestContext.Current.CancellationToken);
        return new StreamHarness(server, options);
    }

    public Uri Url(string region, string pathAndQuery) => new(Exchange.Region(region).WebSocketUrl, pathAndQuery);

    public Task<StreamClient> ConnectAsync(string pathAndQuery, string region = "a") =>
        StreamClient.ConnectAsync(Url(region, pathAndQuery), TestContext.Current.CancellationToken);

    /// <summary>Advances the market by <paramref name="duration"/> of simulated time.</summary>
    public void Advance(TimeSpan duration) => Exchange.AdvanceTo(Exchange.Market.NowUs + (long)duration.TotalMicroseconds);

    public IReadOnlyList<AggregateTrade> Trades(string symbol) => Exchange.Market.Read((_, truth) => truth.GetTrades(symbol).ToList());

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
