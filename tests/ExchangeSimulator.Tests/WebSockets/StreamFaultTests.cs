using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using ExchangeSimulator.Faults;

namespace ExchangeSimulator.Tests.WebSockets;

/// <summary>Every injectable fault, applied through the control API over HTTP, does what it says.</summary>
public sealed class StreamFaultTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Drop_ResetsTheConnectionWithoutACloseFrame()
    {
        await using var harness = await StreamHarness.StartAsync();
        using var client = await harness.ConnectAsync("/ws/btcusdt@aggTrade");
        await InjectAsync(harness, new ConnectionFault { Kind = ConnectionFaultKind.Drop });

        var (_, status, error) = await client.DrainUntilClosedAsync(Wait);
        Assert.Null(status);
        Assert.NotNull(error);
    }

    [Fact]
    public async Task Close1011_SendsTheCodeUsersSee()
    {
        await using var harness = await StreamHarness.StartAsync();
        using var client = await harness.ConnectAsync("/ws/btcusdt@aggTrade");
        await InjectAsync(harness, new ConnectionFault { Kind = ConnectionFaultKind.Close });

        var (_, status, _) = await client.DrainUntilClosedAsync(Wait);
        Assert.Equal(WebSocketCloseStatus.InternalServerError, status);
        Assert.Equal("keepalive ping timeout", client.Socket.CloseStatusDescription);
    }

    [Fact]
    public async Task Stall_HoldsEveryMessageUntilItEnds_ThenTheBacklogFollowsInOrder()
    {
        await using var harness = await StreamHarness.StartAsync();
        using var client = await harness.ConnectAsync("/ws/btcusdt@aggTrade");
        await InjectAsync(harness, new ConnectionFault { Kind = ConnectionFaultKind.Stall, Duration = TimeSpan.FromMilliseconds(700) });
        harness.Advance(TimeSpan.FromSeconds(10));

        await client.AssertSilentAsync(TimeSpan.FromMilliseconds(300));
        var trades = harness.Trades("BTCUSDT");
        var received = await client.ReceiveAsync(trades.Count);
        Assert.Equal(trades.Select(t => t.AggregateId), received.Select(AggregateId));
    }

    [Fact]
    public async Task Slow_DelaysEachMessage()
    {
        await using var harness = await StreamHarness.StartAsync();
        using var client = await harness.ConnectAsync("/ws/btcusdt@aggTrade");
        await InjectAsync(harness, new ConnectionFault { Kind = ConnectionFaultKind.Slow, Delay = TimeSpan.FromMilliseconds(100) });
        harness.Advance(TimeSpan.FromSeconds(10));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await client.ReceiveAsync(6);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(500), $"6 messages in {clock.Elapsed}");
    }

    [Fact]
    public async Task MalformedAndTruncatedJson_ArriveAsTextThatDoesNotParse_ThenTheStreamGoesOn()
    {
        await using var harness = await StreamHarness.StartAsync();
        using var client = await harness.ConnectAsync("/ws/btcusdt@aggTrade");
        await InjectAsync(harness, new ConnectionFault { Kind = ConnectionFaultKind.MalformedJson });
        await InjectAsync(harness, new ConnectionFault { Kind = ConnectionFaultKind.TruncatedJson });
        harness.Advance(TimeSpan.FromSeconds(10));

        var messages = await client.ReceiveAsync(3);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(messages[0]));
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(messages[1]));
        var trades = harness.Trades("BTCUSDT");
        Assert.StartsWith("{\"e\":\"aggTrade\"", messages[1], StringComparison.Ordinal);
        Assert.Equal(trades[1].AggregateId, AggregateId(messages[2]));
    }

    [Theory]
    [InlineData(ConnectionFaultKind.TruncatedFrame)]
    [InlineData(ConnectionFaultKind.InvalidFrame)]
    public async Task BrokenFrames_FailTheClientsWebSocket(ConnectionFaultKind kind)
    {
        await using var harness = await StreamHarness.StartAsync();
        using var client = await harness.ConnectAsync("/ws/btcusdt@aggTrade");
        await InjectAsync(harness, new ConnectionFault { Kind = kind });

        var (messages, status, error) = await client.DrainUntilClosedAsync(Wait);
        Assert.Empty(messages);
        Assert.True(error is not null || status == WebSocketCloseStatus.ProtocolError, $"status {status}");
    }

    [Fact]
    public async Task DuplicateAndReorder_RepeatAndSwapTheNextMessages()
    {
        await using var harness = await StreamHarness.StartAsync();
        using var client = await harness.ConnectAsync("/ws/btcusdt@aggTrade");
        await InjectAsync(harness, new ConnectionFault { Kind = ConnectionFaultKind.Duplicate, Count = 1 });
        harness.Advance(TimeSpan.FromSeconds(10));
        var ids = harness.Trades("BTCUSDT").Select(t => t.AggregateId).ToList();

        var first = (await client.ReceiveAsync(3)).Select(AggregateId).ToList();
        Assert.Equal([ids[0], ids[0], ids[1]], first);

        await InjectAsync(harness, new ConnectionFault { Kind = ConnectionFaultKind.Reorder, Count = 1 });
        harness.Advance(TimeSpan.FromSeconds(10));
        var all = harness.Trades("BTCUSDT").Select(t => t.AggregateId).ToList();
        var rest = (await client.ReceiveAsync(all.Count - 2)).Select(AggregateId).ToList();
        Assert.Equal(all.Skip(2).Order(), rest.Order());
        Assert.NotEqual(all.Skip(2), rest);
    }

    [Fact]
    public async Task WithholdStream_StopsOneStreamOnly_WhileTheConnectionStillListsIt()
    {
        await using var harness = await StreamHarness.StartAsync();
        using var client = await harness.ConnectAsync("/stream?streams=btcusdt@aggTrade/ethusdt@aggTrade");
        await InjectAsync(harness, new ConnectionFault { Kind = ConnectionFaultKind.WithholdStream, Stream = "btcusdt@aggTrade" });
        harness.Advance(TimeSpan.FromSeconds(10));

        var messages = await client.ReceiveAsync(harness.Trades("ETHUSDT").Count);
        Assert.All(messages, m => Assert.StartsWith("{\"stream\":\"ethusdt@aggTrade\"", m, StringComparison.Ordinal));
        await client.SendAsync("""{"method":"LIST_SUBSCRIPTIONS","id":1}""");
        Assert.Equal("""{"result":["btcusdt@aggTrade","ethusdt@aggTrade"],"id":1}""", await client.ReceiveAsync());
    }

    [Fact]
    public async Task ServerShutdown_AnnouncesThenCloses()
    {
        await using var harness = await StreamHarness.StartAsync();
        using var raw = await harness.ConnectAsync("/ws/btcusdt@aggTrade");
        using var combined = await harness.ConnectAsync("/stream?streams=btcusdt@aggTrade");
        await InjectAsync(harness, new ConnectionFault { Kind = ConnectionFaultKind.ServerShutdown });

        var (rawMessages, rawStatus, _) = await raw.DrainUntilClosedAsync(Wait);
        var (combinedMessages, combinedStatus, _) = await combined.DrainUntilClosedAsync(Wait);
        Assert.StartsWith("{\"e\":\"serverShutdown\",\"E\":", Assert.Single(rawMessages), StringComparison.Ordinal);
        Assert.StartsWith("{\"stream\":\"!serverShutdown\",\"data\":{\"e\":\"serverShutdown\"", Assert.Single(combinedMessages), StringComparison.Ordinal);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, rawStatus);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, combinedStatus);
    }

    [Fact]
    public async Task FaultOnOneConnection_LeavesTheOtherAlone()
    {
        await using var harness = await StreamHarness.StartAsync();
        using var victim = await harness.ConnectAsync("/ws/btcusdt@aggTrade");
        using var bystander = await harness.ConnectAsync("/ws/btcusdt@aggTrade");
        using var http = new HttpClient { BaseAddress = harness.Server.ControlUrl };
        var connections = await http.GetFromJsonAsync<JsonElement>("markets/spot/regions/a/connections", TestContext.Current.CancellationToken);
        var victimId = connections.EnumerateArray().Min(c => c.GetProperty("id").GetInt64());

        await InjectAsync(harness, new ConnectionFault { Kind = ConnectionFaultKind.Drop, Connection = victimId });
        harness.Advance(TimeSpan.FromSeconds(5));

        var (_, _, error) = await victim.DrainUntilClosedAsync(Wait);
        Assert.NotNull(error);
        Assert.NotNull(await bystander.ReceiveAsync());
        var missing = await http.PostAsJsonAsync("markets/spot/regions/a/faults", new { kind = "Drop", connection = 999 }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var bad = await http.PostAsJsonAsync("markets/spot/regions/a/faults", new { kind = "Close", closeCode = 1005 }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task RegionDown_DropsAndRefusesThatRegionOnly_UntilItComesBack()
    {
        await using var harness = await StreamHarness.StartAsync();
        using var a = await harness.ConnectAsync("/ws/btcusdt@aggTrade", "a");
        using var b = await harness.ConnectAsync("/ws/btcusdt@aggTrade", "b");
        using var http = new HttpClient { BaseAddress = harness.Server.ControlUrl };
        (await http.PostAsJsonAsync("markets/spot/regions/a/down", new { durationMs = 60_000 }, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        harness.Advance(TimeSpan.FromSeconds(5));

        var (_, _, error) = await a.DrainUntilClosedAsync(Wait);
        Assert.NotNull(error);
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => harness.ConnectAsync("/ws/btcusdt@aggTrade", "a"));
        Assert.Contains("503", refused.Message, StringComparison.Ordinal);
        using var rest = new HttpClient { BaseAddress = harness.Exchange.Region("a").HttpUrl };
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await rest.GetAsync("api/v3/exchangeInfo", TestContext.Current.CancellationToken)).StatusCode);
        Assert.NotNull(await b.ReceiveAsync());

        (await http.PostAsync("markets/spot/regions/a/up", null, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        using var again = await harness.ConnectAsync("/ws/btcusdt@aggTrade", "a");
        Assert.Equal(WebSocketState.Open, again.Socket.State);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(418)]
    public async Task RestThrottle_RefusesEveryRequestWithRetryAfter(int status)
    {
        await using var harness = await StreamHarness.StartAsync();
        using var http = new HttpClient { BaseAddress = harness.Server.ControlUrl };
        (await http.PostAsJsonAsync("markets/spot/regions/b/rest-throttle", new { status, durationMs = 60_000, retryAfterSeconds = 7 }, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

        using var throttled = new HttpClient { BaseAddress = harness.Exchange.Region("b").HttpUrl };
        using var other = new HttpClient { BaseAddress = harness.Exchange.Region("a").HttpUrl };
        var response = await throttled.GetAsync("api/v3/aggTrades?symbol=BTCUSDT", TestContext.Current.CancellationToken);
        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Equal("7", response.Headers.GetValues("Retry-After").Single());
        Assert.Contains("\"code\":-1003", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("api/v3/aggTrades?symbol=BTCUSDT", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task HistoryHole_WithheldFromStreamsAndRest_ButPresentInTheGroundTruth()
    {
        await using var harness = await StreamHarness.StartAsync();
        harness.Advance(TimeSpan.FromSeconds(2));
        using var client = await harness.ConnectAsync("/ws/btcusdt@aggTrade");
        var firstId = harness.Trades("BTCUSDT")[^1].AggregateId + 5;
        using var http = new HttpClient { BaseAddress = harness.Server.ControlUrl };
        (await http.PostAsJsonAsync("markets/spot/holes", new { symbol = "BTCUSDT", firstId, lastId = firstId + 2, withheldFromStreams = true }, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        harness.Advance(TimeSpan.FromSeconds(20));

        var truth = harness.Trades("BTCUSDT").Where(t => t.AggregateId > firstId - 5).Select(t => t.AggregateId).ToList();
        var expected = truth.Where(id => id < firstId || id > firstId + 2).ToList();
        var streamed = (await client.ReceiveAsync(expected.Count)).Select(AggregateId).ToList();
        Assert.Equal(expected, streamed);

        using var rest = new HttpClient { BaseAddress = harness.Exchange.Region("a").HttpUrl };
        var page = await rest.GetFromJsonAsync<JsonElement>($"api/v3/aggTrades?symbol=BTCUSDT&fromId={firstId - 1}&limit=3", TestContext.Current.CancellationToken);
        Assert.Equal([firstId - 1, firstId + 3, firstId + 4], page.EnumerateArray().Select(t => t.GetProperty("a").GetInt64()));
        Assert.Contains(firstId, truth);
    }

    [Fact]
    public async Task HistoryHole_StreamedKlineStillCountsTheLostTrades_AndEqualsTheRestKline()
    {
        await using var harness = await StreamHarness.StartAsync();
        harness.Advance(TimeSpan.FromSeconds(2));
        using var client = await harness.ConnectAsync("/ws/btcusdt@kline_1m");
        var firstId = harness.Trades("BTCUSDT")[^1].AggregateId + 5;
        using var http = new HttpClient { BaseAddress = harness.Server.ControlUrl };
        (await http.PostAsJsonAsync("markets/spot/holes", new { symbol = "BTCUSDT", firstId, lastId = firstId + 2, withheldFromStreams = true }, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        harness.Advance(TimeSpan.FromSeconds(61));

        var lost = harness.Trades("BTCUSDT").Where(t => t.AggregateId >= firstId && t.AggregateId <= firstId + 2).ToList();
        Assert.Equal(3, lost.Count);
        var minuteStartMs = lost[0].TradeTimeUs / 1000 / 60_000 * 60_000;
        using var closed = await ClosedKlineAsync(client, minuteStartMs);
        var k = closed.RootElement.GetProperty("k");
        var inMinute = harness.Trades("BTCUSDT").Where(t => !t.IsMarkedInvalid && t.TradeTimeUs / 1000 / 60_000 * 60_000 == minuteStartMs).ToList();
        Assert.Equal(inMinute.Sum(t => t.TradeCount), k.GetProperty("n").GetInt64());
        Assert.Equal(inMinute.Aggregate(0m, (sum, t) => sum + t.QuoteQuantity), decimal.Parse(k.GetProperty("q").GetString()!, System.Globalization.CultureInfo.InvariantCulture));

        using var rest = new HttpClient { BaseAddress = harness.Exchange.Region("a").HttpUrl };
        using var row = JsonDocument.Parse(await rest.GetStringAsync($"api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1&startTime={minuteStartMs}", TestContext.Current.CancellationToken));
        Assert.Equal(row.RootElement[0][8].GetInt64(), k.GetProperty("n").GetInt64());
        Assert.Equal(row.RootElement[0][7].GetString(), k.GetProperty("q").GetString());
    }

    private static async Task<JsonDocument> ClosedKlineAsync(StreamClient client, long startMs)
    {
        while (true)
        {
            var message = await client.ReceiveAsync() ?? throw new InvalidOperationException("the stream closed before the kline did");
            var document = JsonDocument.Parse(message);
            var k = document.RootElement.GetProperty("k");
            if (k.GetProperty("x").GetBoolean() && k.GetProperty("t").GetInt64() == startMs)
            {
                return document;
            }

            document.Dispose();
        }
    }

    private static long AggregateId(string message)
    {
        using var document = JsonDocument.Parse(message);
        return document.RootElement.GetProperty("a").GetInt64();
    }

    private static async Task InjectAsync(StreamHarness harness, ConnectionFault fault, string region = "a")
    {
        using var http = new HttpClient { BaseAddress = harness.Server.ControlUrl };
        var response = await http.PostAsJsonAsync($"markets/spot/regions/{region}/faults", fault, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
