using Streaming.Contracts;

namespace BinanceRecordings.Tests;

public sealed class BinanceVisionCsvTests(ITestOutputHelper output)
{
    private static readonly string CsvPath = SharedData.File("binance-vision", "BTCUSDT-aggTrades-2026-01-01.csv");

    [Fact]
    public async Task AggTrades_RealFile_HasTheDocumentedRowsIdsAndMicrosecondTimes()
    {
        var rows = await AggTradesCsvReader.ReadFileAsync(CsvPath, cancellationToken: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(5000, rows.Count);
        Assert.All(rows, row => Assert.Equal(TimestampUnit.Microseconds, row.TimeUnit));
        Assert.DoesNotContain(rows, row => row.IsMarkedInvalid);
        Assert.Equal(3800397495, rows[0].Trade.AggregateTradeId);
        Assert.Equal(3800402494, rows[^1].Trade.AggregateTradeId);
        for (var i = 1; i < rows.Count; i++)
        {
            Assert.Equal(rows[i - 1].Trade.AggregateTradeId + 1, rows[i].Trade.AggregateTradeId);
            Assert.Equal(rows[i - 1].Trade.LastTradeId + 1, rows[i].Trade.FirstTradeId);
        }

        var day = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(day.AddMilliseconds(39), DateTimeOffset.FromUnixTimeMilliseconds(rows[0].Trade.TradeTimeMs));
        Assert.Equal(day.AddMinutes(12).AddSeconds(19).AddMilliseconds(347), DateTimeOffset.FromUnixTimeMilliseconds(rows[^1].Trade.TradeTimeMs));
        Assert.Equal(1767225600039409, rows[0].Trade.TradeTimeUs);
    }

    [Fact]
    public async Task AggTrades_RealFile_ExactSumsMatchAnIndependentDecimalComputation()
    {
        var rows = await AggTradesCsvReader.ReadFileAsync(CsvPath, cancellationToken: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        decimal quote = 0m, takerBuyQuote = 0m, volume = 0m, takerBuyVolume = 0m;
        long trades = 0;
        foreach (var trade in rows.Select(row => row.Trade))
        {
            quote = ExactDecimal.Add(quote, trade.QuoteQuantity);
            volume = ExactDecimal.Add(volume, trade.Quantity.Value);
            trades += trade.TradeCount;
            if (trade.IsTakerBuy)
            {
                takerBuyQuote = ExactDecimal.Add(takerBuyQuote, trade.QuoteQuantity);
                takerBuyVolume = ExactDecimal.Add(takerBuyVolume, trade.Quantity.Value);
            }
        }

        output.WriteLine($"quote volume q={ExactDecimal.Format(quote)} taker buy Q={ExactDecimal.Format(takerBuyQuote)} volume v={ExactDecimal.Format(volume)} taker buy V={ExactDecimal.Format(takerBuyVolume)} trades n={trades}");
        // Reference values from Python's decimal module over the same file (see the report of this change).
        Assert.Equal("6996584.4645656000000000", ExactDecimal.Format(quote));
        Assert.Equal("4257185.1999857000000000", ExactDecimal.Format(takerBuyQuote));
        Assert.Equal("79.74436000", ExactDecimal.Format(volume));
        Assert.Equal("48.52389000", ExactDecimal.Format(takerBuyVolume));
        Assert.Equal(16028, trades);
    }
}
