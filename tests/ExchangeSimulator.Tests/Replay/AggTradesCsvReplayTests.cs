using System.Globalization;
using ExchangeSimulator.Market;
using ExchangeSimulator.Rest;
using Streaming.Contracts;

namespace ExchangeSimulator.Tests.Replay;

/// <summary>data.binance.vision's BTCUSDT aggTrades (5,000 real trades, µs timestamps) replayed into the ground truth.</summary>
public sealed class AggTradesCsvReplayTests
{
    [Fact]
    public async Task Replay_AggTradesCsv_EmitsEveryTradeInIdOrderWithRecordedTextAndMicroseconds()
    {
        var rows = CsvRows();
        var (source, events) = await ReplayFiles.ReplayAllAsync(new() { Files = [ReplayFiles.BtcUsdtAggTradesCsv] });
        var trades = events.Trades.ToList();

        Assert.Equal(5000, trades.Count);
        Assert.Equal(rows.Count, trades.Count);
        for (var i = 0; i < trades.Count; i++)
        {
            var (trade, row) = (trades[i], rows[i]);
            Assert.Equal(rows[0].Id + i, trade.AggregateId);
            Assert.Equal(row.Id, trade.AggregateId);
            Assert.Equal(row.Price, ExactDecimal.Format(trade.Price));
            Assert.Equal(row.Quantity, ExactDecimal.Format(trade.Quantity));
            Assert.Equal((row.FirstId, row.LastId), (trade.FirstTradeId, trade.LastTradeId));
            Assert.Equal(row.TimeUs, trade.TradeTimeUs);
            Assert.Equal(row.TimeUs, trade.EventTimeUs);
            Assert.Equal(row.BuyerIsMaker, trade.BuyerIsMaker);
        }

        Assert.All(trades.Zip(trades.Skip(1)), pair => Assert.Equal(pair.First.LastTradeId + 1, pair.Second.FirstTradeId));
        Assert.Equal(rows[0].TimeUs, source.StartUs);
        Assert.Equal(rows[^1].TimeUs, source.EndUs);
        Assert.Equal(MarketFlavor.Spot, source.Flavor);
        Assert.False(source.ProvidesKlines);
        Assert.Empty(source.SkippedEvents);
    }

    [Fact]
    public async Task Symbols_AggTradesCsv_DerivedFromThePrintedNumbers()
    {
        var source = await ReplayFiles.LoadAsync(ReplayFiles.BtcUsdtAggTradesCsv);

        var spec = Assert.Single(source.Symbols);
        Assert.Equal("BTCUSDT", spec.Name);
        Assert.Equal("btcusdt", spec.StreamName);
        Assert.Equal(("BTC", "USDT"), (spec.BaseAsset, spec.QuoteAsset));
        Assert.Equal("0.01", ExactDecimal.Format(spec.TickSize));
        Assert.Equal("0.00001", ExactDecimal.Format(spec.StepSize));
        Assert.Equal((2, 5), (spec.TickDecimals, spec.StepDecimals));
        Assert.Equal((8, 8, 8), (spec.PriceScale, spec.QuantityScale, spec.QuoteVolumeScale));
        Assert.Equal("87648.21000000", ExactDecimal.Format(spec.InitialPrice));
        Assert.Equal(0, spec.Rank);
    }

    /// <summary>The ground truth's 15-minute windows against sums computed here, independently, from the CSV text.</summary>
    [Fact]
    public async Task GroundTruth_FifteenMinuteWindows_EqualExactSumsOfTheCsvText()
    {
        var rows = CsvRows();
        var source = await ReplayFiles.LoadAsync(ReplayFiles.BtcUsdtAggTradesCsv);
        var market = new SimulatedMarket(source, new GroundTruth(source.Symbols));
        market.AdvanceTo(source.EndUs!.Value);

        var windowUs = 15 * 60 * 1_000_000L;
        var windows = rows.GroupBy(r => r.TimeUs - (r.TimeUs % windowUs)).ToList();
        Assert.NotEmpty(windows);
        foreach (var window in windows)
        {
            var totals = market.Read((_, truth) => truth.GetWindow("BTCUSDT", window.Key));
            Assert.NotNull(totals);
            var buys = window.Where(r => !r.BuyerIsMaker).ToList();
            var sells = window.Where(r => r.BuyerIsMaker).ToList();
            Assert.Equal(window.Count(), totals.AggregateTradeCount);
            Assert.Equal(window.Sum(r => r.LastId - r.FirstId + 1), totals.TradeCount);
            Assert.Equal((window.First().Id, window.Last().Id), (totals.FirstAggregateId, totals.LastAggregateId));
            Assert.Equal((window.First().FirstId, window.Last().LastId), (totals.FirstTradeId, totals.LastTradeId));
            Assert.Equal(Sum(buys, r => Decimal(r.Quantity)), totals.TakerBuyBaseVolume);
            Assert.Equal(Sum(sells, r => Decimal(r.Quantity)), totals.TakerSellBaseVolume);
            Assert.Equal(Sum(buys, r => Decimal(r.Price) * Decimal(r.Quantity)), totals.TakerBuyQuoteVolume);
            Assert.Equal(Sum(sells, r => Decimal(r.Price) * Decimal(r.Quantity)), totals.TakerSellQuoteVolume);
        }

        Assert.Equal(5000, market.Read((_, truth) => truth.TotalTradeCount));
    }

    /// <summary>
    /// Binance's 2022 audit left rows marked invalid (p=0, q=0, f=l=-1) in the archive and in REST aggTrades: the
    /// replay keeps them as they are, so aggregate ids stay gapless.
    /// </summary>
    [Fact]
    public async Task Replay_RowMarkedInvalid_IsReplayedAsRecorded()
    {
        using var folder = new TempDirectory();
        var path = folder.Write(
            "ETHUSDT-aggTrades-2022-04-01.csv",
            "agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker,is_best_match",
            "700,0.00000000,0.00000000,-1,-1,1648771200000,False,True",
            "701,3280.12000000,0.50000000,900,901,1648771200005,True,True",
            "702,3280.13000000,0.25000000,902,902,1648771200009,False,True");

        var (source, events) = await ReplayFiles.ReplayAllAsync(new() { Files = [path] });
        var trades = events.Trades.ToList();

        Assert.Equal([700L, 701L, 702L], trades.Select(t => t.AggregateId));
        Assert.Equal(("0.00000000", "0.00000000", -1L, -1L), (ExactDecimal.Format(trades[0].Price), ExactDecimal.Format(trades[0].Quantity), trades[0].FirstTradeId, trades[0].LastTradeId));
        Assert.Equal(1_648_771_200_000_000, trades[0].TradeTimeUs);
        Assert.Equal("3280.12000000", ExactDecimal.Format(source.Symbols[0].InitialPrice));
        Assert.Equal("0.01", ExactDecimal.Format(source.Symbols[0].TickSize));
    }

    private static decimal Sum(IEnumerable<CsvRow> rows, Func<CsvRow, decimal> value) => rows.Aggregate(0m, (sum, row) => sum + value(row));

    private static decimal Decimal(string text) => decimal.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    /// <summary>agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time (µs),is_buyer_maker,is_best_match, read as plain text.</summary>
    private static List<CsvRow> CsvRows() =>
    [
        .. File.ReadLines(ReplayFiles.BtcUsdtAggTradesCsv)
            .Where(line => line.Length > 0)
            .Select(line => line.Split(','))
            .Select(f => new CsvRow(
                long.Parse(f[0], CultureInfo.InvariantCulture),
                f[1],
                f[2],
                long.Parse(f[3], CultureInfo.InvariantCulture),
                long.Parse(f[4], CultureInfo.InvariantCulture),
                long.Parse(f[5], CultureInfo.InvariantCulture),
                f[6] == "True")),
    ];

    private sealed record CsvRow(long Id, string Price, string Quantity, long FirstId, long LastId, long TimeUs, bool BuyerIsMaker);
}
