using System.Buffers;
using System.Text;
using ExchangeSimulator.Formats;
using ExchangeSimulator.Market;
using Ingest.Routing;

namespace Ingest.Tests.Routing;

/// <summary>Control traffic, non-sequenced events and the simulator's payload shapes.</summary>
public sealed class FrameRouterControlTests
{
    [Theory]
    [InlineData("""{"result":null,"id":1}""", FrameKind.Reply, 1L)]
    [InlineData("""{"id":7,"result":null}""", FrameKind.Reply, 7L)]
    [InlineData("""{"result":["btcusdt@aggTrade","ethusdt@depth"],"id":2}""", FrameKind.Reply, 2L)]
    [InlineData("""{"result":null,"id":"abc"}""", FrameKind.Reply, FrameRoute.Absent)]
    [InlineData("""{"error":{"code":2,"msg":"Invalid request: unknown variant `SUBSCRIBEX`"},"id":3}""", FrameKind.Error, 3L)]
    [InlineData("""{"id":null,"error":{"code":3,"msg":"Invalid JSON"}}""", FrameKind.Error, FrameRoute.Absent)]
    [InlineData("""{"code":0,"msg":"Unknown property","id":4}""", FrameKind.Error, 4L)]
    public void Replies_AndErrors_AreRecognized(string text, FrameKind kind, long id)
    {
        var frame = Encoding.UTF8.GetBytes(text);
        Assert.True(FrameRouter.TryRoute(frame, out var route));
        Assert.Equal(kind, route.Kind);
        Assert.Equal(id, route.RequestId);
        Assert.Equal(new Range(0, frame.Length), route.Data);
        Assert.False(route.IsCombined);
    }

    [Theory]
    [InlineData("""{"e":"serverShutdown","E":1750000000000}""", false)]
    [InlineData("""{"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1750000000000}}""", true)]
    [InlineData("""{"data":{"E":1750000000000},"stream":"!serverShutdown"}""", true)]
    public void ServerShutdown_IsRecognized(string text, bool combined)
    {
        Assert.True(FrameRouter.TryRoute(Encoding.UTF8.GetBytes(text), out var route));
        Assert.Equal(FrameKind.ServerShutdown, route.Kind);
        Assert.Equal(combined, route.IsCombined);
        Assert.Equal(1750000000000, route.EventTime);
    }

    [Theory]
    [InlineData("""{"u":64830107,"s":"SWRVBUSD","b":"2.27200000","B":"218.40800000","a":"2.27700000","A":"1.19200000"}""", "SWRVBUSD")]
    [InlineData("""{"stream":"btcusdt@ticker","data":{"e":"24hrTicker","E":1,"s":"BTCUSDT","a":"1.0"}}""", "BTCUSDT")]
    [InlineData("""[{"e":"24hrMiniTicker","E":1,"s":"BTCUSDT"}]""", null)]
    [InlineData("""{"stream":"!miniTicker@arr","data":[{"e":"24hrMiniTicker","E":1,"s":"BTCUSDT"}]}""", null)]
    [InlineData("""{}""", null)]
    public void OtherEvents_RouteAsOther_WithTheirSymbol(string text, string? symbol)
    {
        var frame = Encoding.UTF8.GetBytes(text);
        Assert.True(FrameRouter.TryRoute(frame, out var route));
        Assert.Equal(FrameKind.Other, route.Kind);
        Assert.Equal(symbol is not null, route.HasSymbol);
        if (symbol is not null)
        {
            Assert.Equal(symbol, Encoding.UTF8.GetString(frame.AsSpan(route.Symbol)));
        }
    }

    [Theory]
    [InlineData(MarketFlavor.Spot, BinanceTimeUnit.Millisecond)]
    [InlineData(MarketFlavor.Spot, BinanceTimeUnit.Microsecond)]
    [InlineData(MarketFlavor.UsdmFutures, BinanceTimeUnit.Millisecond)]
    public void SimulatorPayloads_RouteWithTheirFields(MarketFlavor flavor, BinanceTimeUnit unit)
    {
        using var writer = new BinanceStreamWriter(flavor, unit);
        var trade = new AggregateTrade("BTCUSDT", 3_800_397_495, 93_000.12m, 0.015m, 10, 12, 1_767_225_600_039_123, 1_767_225_600_040_456, BuyerIsMaker: false);
        var scale = unit == BinanceTimeUnit.Microsecond ? 1 : 1000;
        var buffer = new ArrayBufferWriter<byte>();
        writer.WriteAggTrade(buffer, trade, "btcusdt@aggTrade");
        Assert.True(FrameRouter.TryRoute(buffer.WrittenSpan, out var route));
        Assert.Equal(FrameKind.AggTrade, route.Kind);
        Assert.Equal(3_800_397_495, route.AggregateId);
        Assert.Equal(1_767_225_600_039_123 / scale, route.TradeTime);
        Assert.Equal(1_767_225_600_040_456 / scale, route.EventTime);
        Assert.Equal("BTCUSDT"u8.ToArray(), buffer.WrittenSpan[route.Symbol].ToArray());

        var depth = new DepthUpdate
        {
            Symbol = "BTCUSDT",
            FirstUpdateId = 100,
            FinalUpdateId = 105,
            PreviousFinalUpdateId = 99,
            EventTimeUs = 1_767_225_600_040_000,
            TransactionTimeUs = 1_767_225_600_039_000,
            Bids = [new PriceLevel(93_000m, 1m)],
            Asks = [new PriceLevel(93_001m, 0m), new PriceLevel(93_002m, 2m)],
        };
        buffer.Clear();
        writer.WriteDepthUpdate(buffer, depth);
        Assert.True(FrameRouter.TryRoute(buffer.WrittenSpan, out route));
        Assert.Equal(FrameKind.DepthUpdate, route.Kind);
        Assert.Equal((100L, 105L), (route.FirstUpdateId, route.FinalUpdateId));
        Assert.Equal(flavor == MarketFlavor.UsdmFutures ? 99 : null, route.PreviousFinalUpdateId);
        Assert.Equal(FrameRoute.Absent, route.AggregateId);
        Assert.Equal(new Range(0, buffer.WrittenCount), route.Data);
    }

    [Fact]
    public void Routing_DoesNotAllocate()
    {
        var frame = Encoding.UTF8.GetBytes("""{"stream":"xmrbtc@depth@100ms","data":{"e":"depthUpdate","E":1628952395768,"s":"XMRBTC","U":717720856,"u":717720857,"b":[],"a":[["0.00578700","31.23100000"],["0.00578800","26.04900000"]]}}""");
        var table = new StreamNameTable();
        table.Register("XMRBTC");
        var checksum = 0L;
        for (var i = 0; i < 100; i++)
        {
            checksum += RouteAndLookUp(frame, table);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            checksum += RouteAndLookUp(frame, table);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(10_100L * 717720857, checksum);
    }

    private static long RouteAndLookUp(byte[] frame, StreamNameTable table)
    {
        Assert.True(FrameRouter.TryRoute(frame, out var route));
        Assert.True(table.TryGet(frame.AsSpan(route.Symbol), out _));
        return route.FinalUpdateId;
    }
}
