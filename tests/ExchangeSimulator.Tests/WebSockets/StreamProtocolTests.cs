using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ExchangeSimulator.Formats;
using ExchangeSimulator.Market;
using ExchangeSimulator.WebSockets;
using Streaming.Testing;

namespace ExchangeSimulator.Tests.WebSockets;

/// <summary>The WebSocket market streams against Binance's documented protocol, through real sockets.</summary>
public sealed class StreamProtocolTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly string[] OneMoreStream = ["one@aggTrade"];

    [Fact]
    public async Task RawStream_DeliversEveryTradeOfTheSymbol_InBinanceBytes()
    {
        await using var harness = await StreamHarness.StartAsync();
        using var client = await harness.ConnectAsync("/ws/btcusdt@aggTrade");
        harness.Advance(TimeSpan.FromSeconds(20));

        var trades = harness.Trades("BTCUSDT");
        Assert.True(trades.Count > 50, $"only {trades.Count} trades");
        var received = await client.ReceiveAsync(trades.Count);
        using var writer = new BinanceStreamWriter(MarketFlavor.Spot);
        var buffer = new ArrayBufferWriter<byte>();
        for (var i = 0; i < trades.Count; i++)
        {
            buffer.ResetWrittenCount();
            writer.WriteAggTrade(buffer, trades[i]);
            Assert.Equal(Encoding.UTF8.GetString(buffer.WrittenSpan), received[i]);
        }
    }

    [Fact]
    public async Task CombinedStream_WrapsPayloads_AndDepthIdsAreContiguous()
    {
        await using var harness = await StreamHarness.StartAsync();
        using var client = await harness.ConnectAsync("/stream?streams=ethusdt@aggTrade/ethusdt@depth@100ms");
        harness.Advance(TimeSpan.FromSeconds(10));

        var messages = await client.ReceiveAsync(40);
        long lastU = -1;
        foreach (var message in messages)
        {
            using var document = JsonDocument.Parse(message);
            var stream = document.RootElement.GetProperty("stream").GetString();
            var data = document.RootElement.GetProperty("data");
            Assert.StartsWith("{\"stream\":\"" + stream + "\",\"data\":{", message, StringComparison.Ordinal);
            if (stream == "ethusdt@depth@100ms")
            {
                Assert.Equal("depthUpdate", data.GetProperty("e").GetString());
                var first = data.GetProperty("U").GetInt64();
                Assert.True(lastU < 0 || first == lastU + 1, $"U {first} after u {lastU}");
                lastU = data.GetProperty("u").GetInt64();
            }
            else
            {
                Assert.Equal("ethusdt@aggTrade", stream);
                Assert.Equal("ETHUSDT", data.GetProperty("s").GetString());
            }
        }

        Assert.True(lastU > 0, "no depth update arrived");
    }

    [Fact]
    public async Task LiveSubscribe_ListAndUnsubscribe_AnswerWithRequestIds()
    {
        await using var harness = await StreamHarness.StartAsync();
        using var client = await harness.ConnectAsync("/ws");

        await client.SendAsync("""{"method":"SUBSCRIBE","params":["btcusdt@aggTrade","btcusdt@depth"],"id":1}""");
        Assert.Equal("""{"result":null,"id":1}""", await client.ReceiveAsync());
        await client.SendAsync("""{"method":"LIST_SUBSCRIPTIONS","id":3}""");
        Assert.Equal("""{"result":["btcusdt@aggTrade","btcusdt@depth"],"id":3}""", await client.ReceiveAsync());
        await client.SendAsync("""{"method":"UNSUBSCRIBE","params":["btcusdt@depth"],"id":312}""");
        Assert.Equal("""{"result":null,"id":312}""", await client.ReceiveAsync());
        await client.SendAsync("""{"method":"GET_PROPERTY","params":["combined"],"id":2}""");
        Assert.Equal("""{"result":false,"id":2}""", await client.ReceiveAsync());
        await client.SendAsync("""{"method":"SET_PROPERTY","params":["combined",true],"id":5}""");
        Assert.Equal("""{"result":null,"id":5}""", await client.ReceiveAsync());

        harness.Advance(TimeSpan.FromSeconds(5));
        var first = await client.ReceiveAsync();
        Assert.StartsWith("""{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade",""", first, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"method":"SUBSCRIBE","params":["btcusdt@aggTrade"],"id":1""", """{"error":{"code":3,"msg":"Invalid JSON""")]
    [InlineData("""{"method":"FOO","id":7}""", """{"error":{"code":2,"msg":"Invalid request: unknown variant FOO, expected one of SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY, GET_PROPERTY""")]
    [InlineData("""{"method":"SET_PROPERTY","params":["speed",true],"id":8}""", """{"error":{"code":0,"msg":"Unknown property"},"id":8}""")]
    [InlineData("""{"method":"SET_PROPERTY","params":["combined","yes"],"id":9}""", """{"error":{"code":1,"msg":"Invalid value type: expected Boolean"},"id":9}""")]
    [InlineData("""{"method":"GET_PROPERTY","params":[1],"id":10}""", """{"error":{"code":2,"msg":"Invalid request: property name must be a string"},"id":10}""")]
    [InlineData("""{"method":"LIST_SUBSCRIPTIONS","id":-1.5}""", """{"error":{"code":2,"msg":"Invalid request: request ID must be an unsigned integer"},"id":null}""")]
    public async Task BadRequests_GetBinanceErrorReplies_AndTheConnectionStays(string request, string expectedStart)
    {
        await using var harness = await StreamHarness.StartAsync();
        using var client = await harness.ConnectAsync("/ws");

        await client.SendAsync(request);
        Assert.StartsWith(expectedStart, await client.ReceiveAsync(), StringComparison.Ordinal);
        await client.SendAsync("""{"method":"LIST_SUBSCRIPTIONS","id":"abc"}""");
        Assert.Equal("""{"result":[],"id":"abc"}""", await client.ReceiveAsync());
    }

    [Fact]
    public async Task StreamLimit_1024PerConnection_RefusesTheUrlAndTheSubscribeBeyondIt()
    {
        await using var harness = await StreamHarness.StartAsync();
        var names = Enumerable.Range(0, 1025).Select(i => $"sym{i}usdt@aggTrade").ToList();

        using var http = new HttpClient();
        var tooLong = await http.GetAsync(
            new Uri(harness.Exchange.Region("a").HttpUrl, "/stream?streams=" + string.Join('/', names)), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);

        using var client = await harness.ConnectAsync("/stream?streams=" + string.Join('/', names.Take(1000)));
        await client.SendAsync(JsonSerializer.Serialize(new { method = "SUBSCRIBE", @params = names.Skip(1000).Take(24), id = 1 }));
        Assert.Equal("""{"result":null,"id":1}""", await client.ReceiveAsync());
        await client.SendAsync(JsonSerializer.Serialize(new { method = "SUBSCRIBE", @params = OneMoreStream, id = 2 }));
        Assert.StartsWith("""{"error":{"code":2,"msg":"Invalid request: too many streams""", await client.ReceiveAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IncomingMessages_OverFivePerSecond_DropTheConnectionWith1008()
    {
        await using var harness = await StreamHarness.StartAsync(streams: StreamHarness.FastTimers() with { MaxIncomingMessagesPerSecond = 5 });
        using var client = await harness.ConnectAsync("/ws");
        for (var i = 1; i <= 5; i++)
        {
            await client.SendAsync($$"""{"method":"LIST_SUBSCRIPTIONS","id":{{i}}}""");
        }

        var replies = await client.ReceiveAsync(5);
        Assert.Equal("""{"result":[],"id":5}""", replies[^1]);
        await client.SendAsync("""{"method":"LIST_SUBSCRIPTIONS","id":6}""");

        var (messages, status, _) = await client.DrainUntilClosedAsync(Wait);
        Assert.Empty(messages);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("Too many requests", client.Socket.CloseStatusDescription);
        await Eventually.TrueAsync(
            () => harness.Exchange.Region("a").Region.ClosedConnections(DisconnectReason.IncomingRateLimit) == 1,
            Wait,
            "the 1008 counted",
            TestContext.Current.CancellationToken);
        Assert.Equal(0, harness.Exchange.Region("b").Region.ClosedConnections(DisconnectReason.IncomingRateLimit));
    }

    [Fact]
    public async Task ServerPings_AreEchoedByAReceivingClient_AndAClientThatStopsReadingIsDropped()
    {
        // Pongs count against the 5 messages per second: pings every 300 ms keep an answering client under it.
        var options = StreamHarness.FastTimers() with { PingInterval = TimeSpan.FromMilliseconds(300), PongTimeout = TimeSpan.FromMilliseconds(1000) };
        await using var harness = await StreamHarness.StartAsync(streams: options);
        using var reading = await harness.ConnectAsync("/ws");
        using var idle = await harness.ConnectAsync("/ws");

        // ClientWebSocket answers pings only while a receive is pending: the idle client never does.
        var readingTask = reading.AssertSilentAsync(TimeSpan.FromSeconds(3));
        await Eventually.TrueAsync(() => harness.Exchange.Region("a").Region.Connections().Count == 1, Wait, "the idle client to be dropped", TestContext.Current.CancellationToken);
#pragma warning disable VSTHRD003 // The receive was started above, in this test.
        await readingTask;
#pragma warning restore VSTHRD003
        Assert.Equal(WebSocketState.Open, reading.Socket.State);
        var (_, status, error) = await idle.DrainUntilClosedAsync(Wait);
        Assert.True(status is null && error is not null, "the idle client must see a reset, not a close");
    }

    [Fact]
    public async Task ConnectionLifetime_EndsTheConnectionWithACloseFrame()
    {
        await using var harness = await StreamHarness.StartAsync(streams: StreamHarness.FastTimers() with { ConnectionLifetime = TimeSpan.FromMilliseconds(300) });
        using var client = await harness.ConnectAsync("/ws/btcusdt@aggTrade");

        var (_, status, _) = await client.DrainUntilClosedAsync(Wait);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
    }

    [Fact]
    public async Task Microseconds_PrintEveryTimeWithSixteenDigits()
    {
        await using var harness = await StreamHarness.StartAsync();
        using var client = await harness.ConnectAsync("/ws/btcusdt@aggTrade?timeUnit=MICROSECOND");
        harness.Advance(TimeSpan.FromSeconds(5));

        using var message = JsonDocument.Parse(await client.ReceiveAsync() ?? "");
        var trade = harness.Trades("BTCUSDT")[0];
        Assert.Equal(trade.TradeTimeUs, message.RootElement.GetProperty("T").GetInt64());
        Assert.Equal(trade.EventTimeUs, message.RootElement.GetProperty("E").GetInt64());
    }

    [Fact]
    public async Task KlineStream_ClosedKlineEqualsTheRestKline()
    {
        await using var harness = await StreamHarness.StartAsync();
        using var client = await harness.ConnectAsync("/ws/btcusdt@kline_1m");
        harness.Advance(TimeSpan.FromSeconds(61));

        string? closed = null;
        while (closed is null)
        {
            var message = await client.ReceiveAsync() ?? throw new InvalidOperationException("closed");
            if (message.Contains("\"x\":true", StringComparison.Ordinal))
            {
                closed = message;
            }
        }

        using var stream = JsonDocument.Parse(closed);
        var k = stream.RootElement.GetProperty("k");
        using var http = new HttpClient { BaseAddress = harness.Exchange.Region("a").HttpUrl };
        using var rest = JsonDocument.Parse(await http.GetStringAsync("api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1&startTime=" + k.GetProperty("t").GetInt64(), TestContext.Current.CancellationToken));
        var row = rest.RootElement[0];
        Assert.Equal(row[5].GetString(), k.GetProperty("v").GetString());
        Assert.Equal(row[7].GetString(), k.GetProperty("q").GetString());
        Assert.Equal(row[8].GetInt64(), k.GetProperty("n").GetInt64());
        Assert.Equal(row[9].GetString(), k.GetProperty("V").GetString());
        Assert.Equal(row[10].GetString(), k.GetProperty("Q").GetString());
    }

    [Fact]
    public async Task Futures_MarketPathsCarryTrades_PublicPathsCarryDepthWithPu()
    {
        await using var harness = await StreamHarness.StartAsync(flavor: MarketFlavor.UsdmFutures, market: "futures");
        using var trades = await harness.ConnectAsync("/market/ws/btcusdt@aggTrade");
        using var depth = await harness.ConnectAsync("/public/stream?streams=btcusdt@depth@100ms/btcusdt@aggTrade");
        harness.Advance(TimeSpan.FromSeconds(10));

        using var trade = JsonDocument.Parse(await trades.ReceiveAsync() ?? "");
        Assert.Equal("aggTrade", trade.RootElement.GetProperty("e").GetString());
        long previous = -1;
        foreach (var message in await depth.ReceiveAsync(20))
        {
            using var document = JsonDocument.Parse(message);
            Assert.Equal("btcusdt@depth@100ms", document.RootElement.GetProperty("stream").GetString());
            var data = document.RootElement.GetProperty("data");
            Assert.True(previous < 0 || data.GetProperty("pu").GetInt64() == previous);
            previous = data.GetProperty("u").GetInt64();
        }
    }

    [Fact]
    public async Task SlowerDepthStream_MergesDiffsWithoutLosingContinuity()
    {
        await using var harness = await StreamHarness.StartAsync();
        using var fast = await harness.ConnectAsync("/ws/btcusdt@depth@100ms");
        using var slow = await harness.ConnectAsync("/ws/btcusdt@depth");
        harness.Advance(TimeSpan.FromSeconds(10));

        var slowMessages = await slow.ReceiveAsync(5);
        long lastU = -1;
        foreach (var message in slowMessages)
        {
            using var document = JsonDocument.Parse(message);
            Assert.Equal(0, document.RootElement.GetProperty("E").GetInt64() % 1000);
            var first = document.RootElement.GetProperty("U").GetInt64();
            Assert.True(lastU < 0 || first == lastU + 1);
            lastU = document.RootElement.GetProperty("u").GetInt64();
        }

        Assert.True(lastU > 0);
    }
}
