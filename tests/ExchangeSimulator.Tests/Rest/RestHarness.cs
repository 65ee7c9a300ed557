using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ExchangeSimulator.Formats;
using ExchangeSimulator.Market;
using ExchangeSimulator.Rest;

namespace ExchangeSimulator.Tests.Rest;

/// <summary>A fixed-seed market, advanced a while, served over real HTTP with a manual clock for the weight limits.</summary>
internal sealed class RestHarness : IAsyncDisposable
{
    /// <summary>Ten seconds into a minute, so that a 429's Retry-After is 50.</summary>
    public static readonly DateTimeOffset ClockStart = new(2026, 3, 1, 12, 0, 10, TimeSpan.Zero);

    private RestHarness(SimulatorRestServer server, ManualTimeProvider clock)
    {
        Server = server;
        Clock = clock;
        Client = new HttpClient { BaseAddress = server.Url };
    }

    public SimulatorRestServer Server { get; }

    public SimulatedMarket Market => Server.Market;

    public ManualTimeProvider Clock { get; }

    public HttpClient Client { get; }

    public string Prefix => Market.Flavor == MarketFlavor.UsdmFutures ? "fapi/v1/" : "api/v3/";

    public static async Task<RestHarness> StartAsync(
        int seed = 7,
        MarketFlavor flavor = MarketFlavor.Spot,
        TimeSpan? marketDuration = null,
        int weightPerMinute = 6000,
        int refusedBeforeBan = 3)
    {
        var options = Markets.Small(seed, flavor);
        var market = SimulatedMarket.Create(options);
        market.AdvanceTo(options.Start + (marketDuration ?? TimeSpan.FromMinutes(2)));
        var clock = new ManualTimeProvider(ClockStart);
        var server = await SimulatorRestServer.StartAsync(
            market,
            new BinanceRestOptions { RequestWeightPerMinute = weightPerMinute, RefusedRequestsBeforeBan = refusedBeforeBan, TimeProvider = clock },
            TestContext.Current.CancellationToken);
        return new RestHarness(server, clock);
    }

    public async Task<Reply> GetAsync(string pathAndQuery, string? timeUnit = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Prefix + pathAndQuery);
        if (timeUnit is not null)
        {
            request.Headers.Add("X-MBX-TIME-UNIT", timeUnit);
        }

        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var used = response.Headers.TryGetValues("X-MBX-USED-WEIGHT-1M", out var values)
            ? int.Parse(values.Single(), CultureInfo.InvariantCulture)
            : (int?)null;
        var retryAfter = response.Headers.RetryAfter?.Delta;
        return new Reply(response.StatusCode, body, used, retryAfter);
    }

    public static string Write(Action<BinanceRestWriter, IBufferWriter<byte>> write, MarketFlavor flavor = MarketFlavor.Spot, BinanceTimeUnit unit = BinanceTimeUnit.Millisecond)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new BinanceRestWriter(flavor, unit);
        write(writer, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}

internal sealed record Reply(HttpStatusCode Status, string Body, int? UsedWeight, TimeSpan? RetryAfter)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public int Code => Json.GetProperty("code").GetInt32();

    public string Message => Json.GetProperty("msg").GetString()!;
}
