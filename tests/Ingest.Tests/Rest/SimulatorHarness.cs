using System.Net.Http.Json;
using ExchangeSimulator.Hosting;
using ExchangeSimulator.Market;
using ExchangeSimulator.Rest;
using ExchangeSimulator.WebSockets;
using Ingest.Rest;
using Streaming.Contracts.Common.V1;

namespace Ingest.Tests.Rest;

/// <summary>
/// An in-process exchange simulator (one market, region <c>a</c>) served over real HTTP, and a client setup against it.
/// With a <see cref="ManualTimeProvider"/>, the simulator's weight windows, throttles and outages and the client's budget
/// and backoff all run on that one clock, which <see cref="DriveAsync{T}"/> moves whenever the client waits on it.
/// </summary>
internal sealed class SimulatorHarness : IAsyncDisposable
{
    /// <summary>Ten seconds into a calendar minute.</summary>
    public static readonly DateTimeOffset ClockStart = new(2026, 3, 1, 12, 0, 10, TimeSpan.Zero);

    private SimulatorHarness(ExchangeSimulatorServer server, string market, ManualTimeProvider? clock)
    {
        Server = server;
        Exchange = server.Exchange(market);
        Clock = clock;
        Handler = new RecordingHandler();
        Http = new HttpClient(Handler);
        Control = new HttpClient { BaseAddress = server.ControlUrl };
    }

    public ExchangeSimulatorServer Server { get; }

    public SimulatedExchange Exchange { get; }

    /// <summary>The shared manual clock, or null when everything runs on the system clock.</summary>
    public ManualTimeProvider? Clock { get; }

    public TimeProvider Time => (TimeProvider?)Clock ?? TimeProvider.System;

    public RecordingHandler Handler { get; }

    /// <summary>The client under test's HttpClient, through <see cref="Handler"/>.</summary>
    public HttpClient Http { get; }

    public HttpClient Control { get; }

    public Uri RestUrl => Exchange.Region("a").HttpUrl;

    public Market Market => Exchange.Market.Flavor == MarketFlavor.UsdmFutures ? Market.UsdmFutures : Market.Spot;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <param name="manualClock">One manual clock for server and client (false: the system clock).</param>
    /// <param name="flavor">Spot or USD-M futures.</param>
    /// <param name="symbolCount">Symbols listed.</param>
    /// <param name="tradesPerSecond">Across all symbols; BTCUSDT gets about 30 % of it.</param>
    /// <param name="serverWeightPerMinute">The simulated exchange's weight limit.</param>
    /// <param name="source">A market source of the test's own (default: the seeded market from the other arguments).</param>
    /// <param name="marketDuration">Simulated time generated before the test starts.</param>
    public static async Task<SimulatorHarness> StartAsync(
        bool manualClock = true,
        MarketFlavor flavor = MarketFlavor.Spot,
        int symbolCount = 20,
        double tradesPerSecond = 200,
        int serverWeightPerMinute = 6000,
        IMarketSource? source = null,
        TimeSpan? marketDuration = null)
    {
        var clock = manualClock ? new ManualTimeProvider(ClockStart) : null;
        var time = (TimeProvider?)clock ?? TimeProvider.System;
        var name = flavor == MarketFlavor.UsdmFutures ? "futures" : "spot";
        source ??= new MarketSimulator(new MarketOptions { Seed = 7, SymbolCount = symbolCount, TradesPerSecond = tradesPerSecond, Flavor = flavor });
        var server = await ExchangeSimulatorServer.StartAsync(
            [
                new ExchangeSettings
                {
                    Name = name,
                    Source = source,
                    Regions = ["a"],
                    Rest = new BinanceRestOptions { RequestWeightPerMinute = serverWeightPerMinute, TimeProvider = time },
                    Streams = StreamServerOptions.For(flavor) with { TimeProvider = time },
                },
            ],
            cancellationToken: Cancel);
        var harness = new SimulatorHarness(server, name, clock);
        harness.Advance(marketDuration ?? TimeSpan.FromMinutes(2));
        return harness;
    }

    /// <summary>Generates <paramref name="by"/> more simulated market time.</summary>
    public void Advance(TimeSpan by) => Exchange.AdvanceTo(Exchange.Market.NowUs + (long)by.TotalMicroseconds);

    /// <summary>Every trade of <paramref name="symbol"/> the exchange produced, holes and invalid rows included.</summary>
    public IReadOnlyList<AggregateTrade> Trades(string symbol) => Exchange.Market.Read((_, truth) => truth.GetTrades(symbol).ToList());

    public RequestWeightBudget CreateBudget(int exchangeWeightPerMinute = 6000, double share = 0.5) =>
        new(new RequestWeightBudgetOptions { ExchangeWeightPerMinute = exchangeWeightPerMinute, Share = share }, Time);

    public BinanceRestClient CreateClient(RequestWeightBudget budget) => new(Http, RestUrl, Market, budget);

    public AggTradeBackfiller CreateBackfiller(RequestWeightBudget budget, AggTradeBackfillOptions? options = null) =>
        new(CreateClient(budget), Time, options ?? new AggTradeBackfillOptions { RandomSeed = 1 });

    public async Task ThrottleAsync(int status, int durationMs, int retryAfterSeconds)
    {
        using var response = await Control.PostAsJsonAsync(
            $"markets/{Exchange.Name}/regions/a/rest-throttle", new { status, durationMs, retryAfterSeconds }, Cancel);
        response.EnsureSuccessStatusCode();
    }

    public async Task TakeDownAsync(int durationMs)
    {
        using var response = await Control.PostAsJsonAsync($"markets/{Exchange.Name}/regions/a/down", new { durationMs }, Cancel);
        response.EnsureSuccessStatusCode();
    }

    public async Task AddHoleAsync(string symbol, long firstId, long lastId)
    {
        using var response = await Control.PostAsJsonAsync(
            $"markets/{Exchange.Name}/holes", new { symbol, firstId, lastId, withheldFromStreams = true }, Cancel);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Starts and awaits <paramref name="start"/>'s task; whenever it is blocked on the manual clock (a timer is pending), moves the clock to
    /// that timer. Nothing else in the test process schedules timers on this clock, so a pending timer means the client waits.
    /// </summary>
    public async Task<T> DriveAsync<T>(Func<Task<T>> start)
    {
        var run = start();
        if (Clock is null)
        {
            return await run;
        }

        while (!run.IsCompleted)
        {
            await Streaming.Testing.Eventually.TrueAsync(
                () => run.IsCompleted || Clock.PendingTimers > 0, TimeSpan.FromSeconds(30), "the client to finish or wait on the clock", Cancel);
            if (!run.IsCompleted)
            {
                Clock.AdvanceToNextTimer();
            }
        }

        return await run;
    }

    /// <summary>Runs a backfill to its end, collecting the trades and the result.</summary>
    public static async Task<(List<BackfillTrade> Trades, BackfillResult Result)> CollectAsync(IAsyncEnumerable<BackfillItem> items)
    {
        var trades = new List<BackfillTrade>();
        BackfillResult? result = null;
        await foreach (var item in items)
        {
            Assert.Null(result);
            switch (item)
            {
                case BackfillTrade trade:
                    trades.Add(trade);
                    break;
                case BackfillResult last:
                    result = last;
                    break;
            }
        }

        return (trades, result ?? throw new InvalidOperationException("The backfill ended without a result."));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Control.Dispose();
        await Server.DisposeAsync();
    }
}
