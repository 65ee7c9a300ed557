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
    public async Task Pause_HoldsTheClock_AndResumeContinuesWithoutABurst()
    {
        await using var harness = await StreamHarness.StartAsync();
        using var clock = new CancellationTokenSource();
        var running = harness.Exchange.RunClockAsync(1, TimeSpan.FromMilliseconds(5), TimeProvider.System, clock.Token);
        using var http = new HttpClient { BaseAddress = harness.Server.ControlUrl };
        await Streaming.Testing.Eventually.TrueAsync(() => harness.Exchange.Market.NowUs > harness.StartUs, TimeSpan.FromSeconds(10), "the clock to run", TestContext.Current.CancellationToken);

        (await http.PostAsync("markets/spot/pause", null, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        var pausedAt = harness.Exchange.Market.NowUs;
        var wall = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);
        var stillAt = harness.Exchange.Market.NowUs;
        (await http.PostAsync("markets/spot/resume", null, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        await Streaming.Testing.Eventually.TrueAsync(() => harness.Exchange.Market.NowUs > stillAt, TimeSpan.FromSeconds(10), "the clock to resume", TestContext.Current.CancellationToken);
        var afterResume = harness.Exchange.Market.NowUs;
        await clock.CancelAsync();
#pragma warning disable VSTHRD003 // Started above, in this test.
        await running;
#pragma warning restore VSTHRD003

        // At most one tick may land between reading the time and the pause taking effect; none after it.
        Assert.InRange(stillAt - pausedAt, 0, 50_000);
        Assert.True(afterResume - stillAt < (long)(wall.Elapsed.TotalMicroseconds / 2), "resume must not replay the paused time as a burst");
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
