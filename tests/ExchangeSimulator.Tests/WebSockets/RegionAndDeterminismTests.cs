using ExchangeSimulator.Market;

namespace ExchangeSimulator.Tests.WebSockets;

/// <summary>Two regions serve the same bytes; the same seed gives the same bytes across servers.</summary>
public sealed class RegionAndDeterminismTests
{
    private const string Streams = "/stream?streams=btcusdt@aggTrade/btcusdt@depth@100ms/ethusdt@aggTrade/btcusdt@kline_1m/ethusdt@depth";

    [Fact]
    public async Task TwoRegions_ServeIdenticalSequences()
    {
        await using var harness = await StreamHarness.StartAsync();
        using var a = await harness.ConnectAsync(Streams, "a");
        using var b = await harness.ConnectAsync(Streams, "b");
        harness.Advance(TimeSpan.FromSeconds(70));

        Assert.Equal(await a.ReceiveAsync(400), await b.ReceiveAsync(400));
    }

    [Theory]
    [InlineData(MarketFlavor.Spot)]
    [InlineData(MarketFlavor.UsdmFutures)]
    public async Task SameSeed_SameBytes_DifferentSeed_DifferentBytes(MarketFlavor flavor)
    {
        var path = flavor == MarketFlavor.Spot ? Streams : "/market" + Streams.Replace("/btcusdt@depth@100ms", "", StringComparison.Ordinal).Replace("/ethusdt@depth", "", StringComparison.Ordinal);
        var first = await RecordAsync(11, flavor, path);
        var second = await RecordAsync(11, flavor, path);
        var other = await RecordAsync(12, flavor, path);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    private static async Task<List<string>> RecordAsync(int seed, MarketFlavor flavor, string path)
    {
        await using var harness = await StreamHarness.StartAsync(seed, flavor, market: "m");
        using var client = await harness.ConnectAsync(path);
        for (var i = 0; i < 7; i++)
        {
            // Slicing time differently must not change a byte: timers fire at fixed simulated instants.
            harness.Advance(TimeSpan.FromMilliseconds(1000 + (i * 1700)));
        }

        return await client.ReceiveAsync(150);
    }
}
