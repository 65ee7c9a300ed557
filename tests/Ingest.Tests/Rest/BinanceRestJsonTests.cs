using System.Text;
using System.Text.Json;
using Ingest.Rest;

namespace Ingest.Tests.Rest;

/// <summary>Body parsing, on bodies shaped unlike the simulator's (whitespace, field order, extra fields).</summary>
public sealed class BinanceRestJsonTests
{
    [Fact]
    public void ReadAggTrades_KeepsEachRowsExactBytes_AndSkipsUnknownFields()
    {
        var rows = new[]
        {
            """{"a":26129,"p":"0.01633102","q":"4.70443515","f":27781,"l":27781,"T":1498793709153,"m":true,"M":true}""",
            """{ "M": true, "x": {"nested": [1, {"a": 5}]}, "T": 1498793709154 ,"a" : 26130, "p":"1e-8", "nq": "2.5" }""",
            """{"a":26131,"p":"0","q":"0","f":-1,"l":-1,"T":1498793709155,"m":false}""",
        };
        var body = Encoding.UTF8.GetBytes("[\n  " + string.Join(" ,\r\n  ", rows) + "\n]\n");

        var parsed = BinanceRestJson.ReadAggTrades(body);

        Assert.Equal([26129L, 26130L, 26131L], parsed.Select(r => r.AggregateId));
        Assert.Equal([1498793709153L, 1498793709154L, 1498793709155L], parsed.Select(r => r.TradeTimeMs));
        Assert.Equal([false, false, true], parsed.Select(r => r.IsMarkedInvalid));
        Assert.Equal(rows, parsed.Select(r => Encoding.UTF8.GetString(r.RowJson.Span)));
    }

    [Fact]
    public void ReadAggTrades_EmptyArray_NoRows() => Assert.Empty(BinanceRestJson.ReadAggTrades("[]"u8.ToArray()));

    [Theory]
    [InlineData("""{"code":-1121,"msg":"Invalid symbol."}""")]
    [InlineData("""[{"p":"1","T":5}]""")]
    [InlineData("""[{"a":1,"T":5}""")]
    [InlineData("""[1,2]""")]
    public void ReadAggTrades_Malformed_Throws(string body) =>
        Assert.ThrowsAny<JsonException>(() => BinanceRestJson.ReadAggTrades(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void ReadExchangeInfo_ReadsSymbolsAndSkipsTheRest()
    {
        var body = """
            {"timezone":"UTC","serverTime":1,"rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","limit":6000}],
             "exchangeFilters":[],
             "symbols":[
               {"symbol":"ETHBTC","status":"TRADING","baseAsset":"ETH","baseAssetPrecision":8,"quoteAsset":"BTC","orderTypes":["LIMIT"],
                "filters":[{"filterType":"PRICE_FILTER","tickSize":"0.00001"}],"permissionSets":[["SPOT","MARGIN"]]},
               {"status":"BREAK","quoteAsset":"USDT","symbol":"LUNAUSDT","baseAsset":"LUNA","isSpotTradingAllowed":false}
             ],
             "sors":[{"baseAsset":"BTC","symbols":["BTCUSDT"]}]}
            """u8.ToArray();

        var symbols = BinanceRestJson.ReadExchangeInfo(body);

        Assert.Equal(
            [new ExchangeSymbol("ETHBTC", "TRADING", "ETH", "BTC"), new ExchangeSymbol("LUNAUSDT", "BREAK", "LUNA", "USDT")],
            symbols);
    }

    [Fact]
    public void ReadError_BinanceBody_CodeAndMessage_OtherBodies_Nothing()
    {
        Assert.Equal((-1003, "Too much request weight used"), BinanceRestJson.ReadError("""{"code":-1003,"msg":"Too much request weight used"}"""u8));
        Assert.Equal((null, null), BinanceRestJson.ReadError("<html>403 Forbidden</html>"u8));
        Assert.Equal((null, null), BinanceRestJson.ReadError(""u8));
        Assert.Equal((null, null), BinanceRestJson.ReadError("""{"code":"""u8));
    }
}
