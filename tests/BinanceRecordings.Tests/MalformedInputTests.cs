using System.Text;

namespace BinanceRecordings.Tests;

public sealed class MalformedInputTests
{
    private const string GoodRow = "3800397495,87648.21000000,0.08185000,5723703861,5723703861,1767225600039409,True,True";

    [Theory]
    [InlineData("3800397496,87648.22000000,0.00013000,5723703862", "column last_trade_id is missing")]
    [InlineData("3800397496,87648.2x,0.00013000,5723703862,5723703862,1767225600272386,False,True", "price '87648.2x' is not an exact decimal")]
    [InlineData("3800397496,87648.22000000,1e-4,5723703862,5723703862,1767225600272386,False,True", "quantity '1e-4' is not an exact decimal")]
    [InlineData("3800397496,87648.22000000,0.00013000,5723703862,5723703862,1767225600272386,yes,True", "is_buyer_maker 'yes' is not True/False/true/false")]
    [InlineData("3800397496,87648.22000000,0.00013000,5723703862,5723703862,1767225600272386,False,True,9", "more than 8 fields")]
    public async Task AggTradesCsv_MalformedLine_ThrowsNamingFileLineAndProblem(string badLine, string reason)
    {
        var error = await Assert.ThrowsAsync<RecordingFormatException>(() => ReadCsvAsync($"{GoodRow}\n{badLine}\n"));

        Assert.Equal("test.csv", error.FilePath);
        Assert.Equal(2, error.LineNumber);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.StartsWith("test.csv:2: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AggTradesCsv_InvalidMarkedRow_IsYieldedAndFlagged()
    {
        var rows = await ReadCsvAsync($"{GoodRow}\n3800397496,0,0,-1,-1,1649721600000,true,true\n");

        Assert.False(rows[0].IsMarkedInvalid);
        Assert.True(rows[1].IsMarkedInvalid);
        Assert.Equal(2, rows[1].LineNumber);
    }

    [Fact]
    public async Task AggTradesCsv_HeaderCrlfMillisecondsAndLowercaseBooleans_AreRead()
    {
        var rows = await ReadCsvAsync("agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker,is_best_match\r\n1,0.10,2.5,10,12,1649721600123,false,true\r\n");

        var row = Assert.Single(rows);
        Assert.Equal(TimestampUnit.Milliseconds, row.TimeUnit);
        Assert.Equal(1649721600123000, row.Trade.TradeTimeUs);
        Assert.Equal("0.10", row.Trade.Price.Text);
        Assert.Equal(0.250m, row.Trade.QuoteQuantity);
        Assert.Equal(3, row.Trade.TradeCount);
        Assert.True(row.Trade.IsTakerBuy);
    }

    [Fact]
    public async Task AggTradesCsv_ExplicitUnit_OverridesDetection()
    {
        var rows = await ReadCsvAsync("1,1,1,1,1,1649721600123,false,true\n", TimestampUnit.Microseconds);

        Assert.Equal(1649721600123, Assert.Single(rows).Trade.TradeTimeUs);
    }

    [Fact]
    public async Task KlinesCsv_RowWithHeader_IsRead()
    {
        const string Csv = "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n"
            + "1735689600000000,93576.00000000,93610.93000000,93537.50000000,93610.93000000,8.21827000,1735689659999999,768978.56457110,2279,4.35080000,407098.54093490,0\n";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Csv));

        var kline = Assert.Single(await KlinesCsvReader.ReadAsync(stream, "klines.csv", cancellationToken: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken));

        Assert.Equal(1735689600000, kline.OpenTimeMs);
        Assert.Equal(1735689659999999, kline.CloseTimeUs);
        Assert.Equal("407098.54093490", kline.TakerBuyQuoteVolume.Text);
        Assert.Equal(2279, kline.TradeCount);
        Assert.True(kline.IsClosed);
    }

    [Fact]
    public async Task KlinesCsv_TruncatedRow_Throws()
    {
        using var stream = new MemoryStream("1735689600000,1,2,0.5,1.5,10"u8.ToArray());

        var error = await Assert.ThrowsAsync<RecordingFormatException>(() => KlinesCsvReader.ReadAsync(stream, "klines.csv", cancellationToken: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(1, error.LineNumber);
        Assert.Contains("close_time is missing", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1723161254087896568 {\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"t\":1", "not a Binance message")]
    [InlineData("17231612540878x {\"lastUpdateId\":1,\"bids\":[],\"asks\":[]}", "expected '<receive time ns> <JSON>'")]
    [InlineData("1723161254087896568 {\"foo\":1}", "neither a combined-stream message")]
    public async Task HftBacktestCapture_MalformedLine_ThrowsNamingFileAndLine(string badLine, string reason)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes($"1 {{\"lastUpdateId\":1,\"bids\":[],\"asks\":[]}}\n{badLine}\n"));

        var error = await Assert.ThrowsAsync<RecordingFormatException>(() => HftBacktestCaptureReader.ReadAsync(stream, "capture", TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(2, error.LineNumber);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CryptofeedCapture_BadNumberInPayload_ThrowsWhenParsedNamingFileAndLine()
    {
        const string Capture = "wss://stream.binance.com:9443/stream?streams=ftmusdt@aggTrade <-> 1628952394.891941\n"
            + "1628952397.7059772: {\"stream\":\"ftmusdt@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":1,\"s\":\"FTMUSDT\",\"a\":1,\"p\":\"0.3399.3\",\"q\":\"1\",\"f\":1,\"l\":1,\"T\":1,\"m\":true}}\n";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Capture));
        var message = Assert.Single(await CryptofeedCaptureReader.ReadWebSocketAsync(stream, "ws.capture", TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken));

        Assert.Equal(1628952397705977200, message.ReceiveTimeNs);
        var error = Assert.Throws<RecordingFormatException>(message.ToAggTrade);
        Assert.Equal("ws.capture:2: aggTrade payload: field p is not an exact decimal string", error.Message);
    }

    private static async Task<List<AggTradeCsvRow>> ReadCsvAsync(string csv, TimestampUnit unit = TimestampUnit.Detect)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        return await AggTradesCsvReader.ReadAsync(stream, "test.csv", unit, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);
    }
}
