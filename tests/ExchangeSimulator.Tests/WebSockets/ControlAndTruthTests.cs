using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ExchangeSimulator.Tests.WebSockets;

/// <summary>The ground-truth API tells tests what the exchange produced, as the pipeline must compute it.</summary>
public sealed class ControlAndTruthTests
{
    [Fact]
    public async Task TruthWindows_EqualTheGroundTruth_AndUnknownNamesAre404()
    {
        await using var harness = await StreamHarness.StartAsync();
        harness.Advance(TimeSpan.FromMinutes(31));
        using var http = new HttpClient { BaseAddress = harness.Server.ControlUrl };

        var windows = await http.GetFromJsonAsync<JsonElement>("markets/spot/truth/windows?symbol=BTCUSDT", TestContext.Current.CancellationToken);
        var expected = harness.Exchange.Market.Read((_, truth) => truth.GetWindows("BTCUSDT").ToList());
        Assert.Equal(3, expected.Count);
        Assert.Equal(expected.Count, windows.GetArrayLength());
        for (var i = 0; i < expected.Count; i++)
        {
            var window = windows[i];
            Assert.Equal(expected[i].WindowStartUs, window.GetProperty("windowStartUs").GetInt64());
            Assert.Equal(expected[i].TakerBuyQuoteVolume, window.GetProperty("takerBuyQuoteVolume").GetDecimal());
            Assert.Equal(expected[i].TakerSellQuoteVolume, window.GetProperty("takerSellQuoteVolume").GetDecimal());
            Assert.Equal(expected[i].TradeCount, window.GetProperty("tradeCount").GetInt64());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("markets/spot/truth/windows?symbol=NOPEUSDT", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("markets/nope/truth/symbols", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("markets/spot/regions/z/connections", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task UnsolicitedPongs_DoNotPreventDisconnection()
    {
        // ClientWebSocket's keep-alive sends an unsolicited PONG every interval, whether or not it reads;
        // it answers the server's PINGs only while a receive is pending, which this client never has.
        var options = StreamHarness.FastTimers() with { PingInterval = TimeSpan.FromMilliseconds(300), PongTimeout = TimeSpan.FromMilliseconds(900) };
        await using var harness = await StreamHarness.StartAsync(streams: options);
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.FromMilliseconds(250);
        await socket.ConnectAsync(harness.Url("a", "/ws"), TestContext.Current.CancellationToken);

        await Streaming.Testing.Eventually.TrueAsync(
            () => harness.Exchange.Region("a").Region.Connections().Count == 0,
            TimeSpan.FromSeconds(10),
            "the client that only sends unsolicited pongs to be dropped",
            TestContext.Current.CancellationToken);
    }
}
