using System.Buffers;
using System.Text.Json;
using ExchangeSimulator.Formats;
using ExchangeSimulator.Market;
using Streaming.Contracts;
using Streaming.Testing;

namespace ExchangeSimulator.Tests;

public sealed class FormatTests
{
    private static readonly string RecordingsRoot = RepoPaths.Combine("tests", "data", "recordings", "cryptofeed");

    [Theory]
    [InlineData(MarketFlavor.Spot, "4fe0297/BINANCE.ws.1.0")]
    [InlineData(MarketFlavor.UsdmFutures, "3525dc8/BINANCE_FUTURES.ws.5.0")]
    public void StreamWriter_EveryEventType_HasRecordedPropertyNamesInRecordedOrder(MarketFlavor flavor, string recording)
    {
        var (market, events) = Markets.Run(Markets.Small(seed: 2, flavor), TimeSpan.FromMinutes(2));
        var spec = market.Symbols[0];
        var trade = events.Trades.First(t => t.Symbol == spec.Name);
        var kline = Klines.Compute(spec, [trade], KlineInterval.OneMinute, market.NowUs)[0];
        using var writer = new BinanceStreamWriter(flavor);

        var aggTrade = Write(b => writer.WriteAggTrade(b, trade, StreamNames.AggTrade(spec)));
        var depth = Write(b => writer.WriteDepthUpdate(b, events.DepthUpdates[0], StreamNames.Depth(spec, 100)));
        var klineEvent = Write(b => writer.WriteKline(b, kline, market.NowUs, StreamNames.Kline(spec, KlineInterval.OneMinute)));

        Assert.Equal(RecordedShape(recording, "aggTrade"), Shape(aggTrade));
        Assert.Equal(RecordedShape(recording, "depthUpdate"), Shape(depth));
        Assert.Equal(RecordedShape(recording, "kline"), Shape(klineEvent));
    }

    [Fact]
    public void WriteAggTrade_Spot_RoundTripsEveryValue()
    {
        var trade = new AggregateTrade("BTCUSDT", 12345, 87648.21000000m, 0.00100000m, 100, 102, 1_767_225_600_123_456, 1_767_225_600_124_999, true);
        using var writer = new BinanceStreamWriter(MarketFlavor.Spot);

        var json = Write(b => writer.WriteAggTrade(b, trade, "btcusdt@aggTrade"));

        Assert.Equal(
            """{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1767225600124,"s":"BTCUSDT","a":12345,"p":"87648.21000000","q":"0.00100000","f":100,"l":102,"T":1767225600123,"m":true,"M":true}}""",
            json);
        var data = JsonDocument.Parse(json).RootElement.GetProperty("data");
        Assert.Equal(trade.Price, ExactDecimal.Parse(data.GetProperty("p").GetString()!));
        Assert.Equal("0.00100000", data.GetProperty("q").GetString());
    }

    [Fact]
    public void Writers_Microseconds_PrintEveryTimeInMicroseconds()
    {
        var trade = new AggregateTrade("BTCUSDT", 1, 1.00000000m, 2.00000000m, 1, 1, 1_767_225_600_123_456, 1_767_225_600_124_999, false);
        var spec = new MarketSimulator(new MarketOptions { Seed = 1, SymbolCount = 1 }).Symbols[0];
        var kline = Klines.Compute(spec, [trade], KlineInterval.FifteenMinutes, trade.TradeTimeUs);
        using var stream = new BinanceStreamWriter(MarketFlavor.Spot, BinanceTimeUnit.Microsecond);
        using var rest = new BinanceRestWriter(MarketFlavor.Spot, BinanceTimeUnit.Microsecond);

        var aggTrade = JsonDocument.Parse(Write(b => stream.WriteAggTrade(b, trade))).RootElement;
        var k = JsonDocument.Parse(Write(b => stream.WriteKline(b, kline[0], trade.EventTimeUs))).RootElement.GetProperty("k");
        var row = JsonDocument.Parse(Write(b => rest.WriteKlines(b, kline))).RootElement[0];

        Assert.Equal(1_767_225_600_124_999, aggTrade.GetProperty("E").GetInt64());
        Assert.Equal(1_767_225_600_123_456, aggTrade.GetProperty("T").GetInt64());
        Assert.Equal(1_767_225_600_000_000, k.GetProperty("t").GetInt64());
        Assert.Equal(1_767_226_499_999_999, k.GetProperty("T").GetInt64());
        Assert.Equal(1_767_226_499_999_999, row[6].GetInt64());
    }

    [Fact]
    public void WriteKline_Closed15m_PrintsBinanceCloseTimeAndExactVolumes()
    {
        var trades = new AggregateTrade[]
        {
            new("BTCUSDT", 1, 100.10000000m, 0.50000000m, 10, 11, 1_767_225_600_000_000, 1_767_225_600_000_000, false),
            new("BTCUSDT", 2, 100.20000000m, 0.25000000m, 12, 12, 1_767_225_601_000_000, 1_767_225_601_000_000, true),
        };
        var spec = new MarketSimulator(new MarketOptions { Seed = 1, SymbolCount = 1 }).Symbols[0];
        var kline = Klines.Compute(spec, trades, KlineInterval.FifteenMinutes, asOfUs: 1_767_226_500_000_000)[0];
        using var writer = new BinanceStreamWriter(MarketFlavor.Spot);

        var k = JsonDocument.Parse(Write(b => writer.WriteKline(b, kline, 1_767_226_500_000_000))).RootElement.GetProperty("k");

        Assert.Equal(1_767_225_600_000, k.GetProperty("t").GetInt64());
        Assert.Equal(1_767_226_499_999, k.GetProperty("T").GetInt64());
        Assert.Equal("15m", k.GetProperty("i").GetString());
        Assert.Equal(3, k.GetProperty("n").GetInt64());
        Assert.True(k.GetProperty("x").GetBoolean());
        Assert.Equal("75.10000000", k.GetProperty("q").GetString());
        Assert.Equal("0.50000000", k.GetProperty("V").GetString());
        Assert.Equal("50.05000000", k.GetProperty("Q").GetString());
    }

    [Theory]
    [InlineData(MarketFlavor.Spot, """{"lastUpdateId":7,"bids":[["1.00000000","2.00000000"]],"asks":[]}""")]
    [InlineData(MarketFlavor.UsdmFutures, """{"lastUpdateId":7,"E":1767225600000,"T":1767225599999,"bids":[["1.00000000","2.00000000"]],"asks":[]}""")]
    public void WriteDepth_Snapshot_MatchesBinanceShape(MarketFlavor flavor, string expected)
    {
        var snapshot = new OrderBookSnapshot
        {
            Symbol = "BTCUSDT",
            LastUpdateId = 7,
            EventTimeUs = 1_767_225_600_000_000,
            TransactionTimeUs = 1_767_225_599_999_000,
            Bids = [new PriceLevel(1.00000000m, 2.00000000m)],
            Asks = [],
        };
        using var writer = new BinanceRestWriter(flavor);

        Assert.Equal(expected, Write(b => writer.WriteDepth(b, snapshot)));
    }

    [Fact]
    public void RestWriter_AggTradesKlinesExchangeInfo_ParseWithBinanceFields()
    {
        var (market, events) = Markets.Run(Markets.Small(seed: 6), TimeSpan.FromMinutes(1));
        var spec = market.Symbols[0];
        var trades = events.Trades.Where(t => t.Symbol == spec.Name).Take(3).ToList();
        using var writer = new BinanceRestWriter(MarketFlavor.Spot);

        var aggTrades = JsonDocument.Parse(Write(b => writer.WriteAggTrades(b, trades))).RootElement;
        var klines = JsonDocument.Parse(Write(b => writer.WriteKlines(b, Klines.Compute(spec, trades, KlineInterval.OneMinute, market.NowUs)))).RootElement;
        var info = JsonDocument.Parse(Write(b => writer.WriteExchangeInfo(b, market.NowUs, market.Symbols))).RootElement;

        Assert.Equal(["a", "p", "q", "f", "l", "T", "m", "M"], aggTrades[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(trades[2].AggregateId, aggTrades[2].GetProperty("a").GetInt64());
        Assert.Equal(12, klines[0].GetArrayLength());
        Assert.Equal("UTC", info.GetProperty("timezone").GetString());
        Assert.Equal(market.Symbols.Count, info.GetProperty("symbols").GetArrayLength());
        Assert.Equal("0.01000000", info.GetProperty("symbols")[0].GetProperty("filters")[0].GetProperty("tickSize").GetString());
    }

    /// <summary>Property names, nested objects included, in document order, e.g. "stream data data.e data.E …".</summary>
    private static string Shape(string json)
    {
        var names = new List<string>();
        Collect(JsonDocument.Parse(json).RootElement, "", names);
        return string.Join(' ', names);
    }

    private static void Collect(JsonElement element, string prefix, List<string> names)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in element.EnumerateObject())
        {
            names.Add(prefix + property.Name);
            Collect(property.Value, prefix + property.Name + ".", names);
        }
    }

    /// <summary>The shape of the first recorded line (<c>&lt;epoch&gt;: &lt;combined JSON&gt;</c>) holding an event of <paramref name="eventType"/>.</summary>
    private static string RecordedShape(string recording, string eventType)
    {
        var line = File.ReadLines(Path.Combine(RecordingsRoot, recording))
            .First(l => l.Contains($"\"e\":\"{eventType}\"", StringComparison.Ordinal));
        return Shape(line[(line.IndexOf(": ", StringComparison.Ordinal) + 2)..]);
    }

    private static string Write(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
