using ExchangeSimulator.Market;
using Streaming.Contracts;

namespace ExchangeSimulator.Tests;

public sealed class KlineAndGroundTruthTests
{
    [Theory]
    [InlineData(MarketFlavor.Spot, "1m")]
    [InlineData(MarketFlavor.Spot, "15m")]
    [InlineData(MarketFlavor.UsdmFutures, "15m")]
    public void Compute_AnyInterval_EqualsExactSumsOverTrades(MarketFlavor flavor, string intervalName)
    {
        var interval = intervalName == "1m" ? KlineInterval.OneMinute : KlineInterval.FifteenMinutes;
        var options = Markets.Small(seed: 5, flavor);
        var (market, events) = Markets.Run(options, TimeSpan.FromMinutes(40));

        foreach (var spec in market.Symbols.Take(5))
        {
            var trades = events.Trades.Where(t => t.Symbol == spec.Name).ToList();
            var klines = Klines.Compute(spec, trades, interval, market.NowUs);
            Assert.Equal(trades.Sum(t => t.TradeCount), klines.Sum(k => k.TradeCount));
            foreach (var kline in klines)
            {
                var inside = trades.Where(t => interval.StartOf(t.TradeTimeUs) == kline.OpenTimeUs).ToList();
                var takerBuys = inside.Where(t => !t.BuyerIsMaker).ToList();
                Assert.Equal(0, kline.OpenTimeUs % interval.LengthUs);
                Assert.Equal(inside.Sum(t => t.LastTradeId - t.FirstTradeId + 1), kline.TradeCount);
                Assert.Equal(inside[0].FirstTradeId, kline.FirstTradeId);
                Assert.Equal(inside[^1].LastTradeId, kline.LastTradeId);
                Assert.Equal(kline.LastTradeId - kline.FirstTradeId + 1, kline.TradeCount);
                Assert.Equal(inside[0].Price, kline.Open);
                Assert.Equal(inside[^1].Price, kline.Close);
                Assert.Equal(inside.Max(t => t.Price), kline.High);
                Assert.Equal(inside.Min(t => t.Price), kline.Low);
                Assert.Equal(ExactSum(inside.Select(t => t.Quantity)), kline.BaseVolume);
                Assert.Equal(ExactSum(inside.Select(t => ExactDecimal.Multiply(t.Price, t.Quantity))), kline.QuoteVolume);
                Assert.Equal(ExactSum(takerBuys.Select(t => t.Quantity)), kline.TakerBuyBaseVolume);
                Assert.Equal(ExactSum(takerBuys.Select(t => ExactDecimal.Multiply(t.Price, t.Quantity))), kline.TakerBuyQuoteVolume);
                Assert.Equal(spec.QuoteVolumeScale, kline.TakerBuyQuoteVolume.Scale);
                Assert.Equal(market.NowUs >= kline.OpenTimeUs + interval.LengthUs, kline.IsClosed);
            }
        }
    }

    [Fact]
    public void GetWindow_EveryWindow_MatchesFifteenMinuteKline()
    {
        var options = Markets.Small(seed: 9);
        var market = new MarketSimulator(options);
        var truth = new GroundTruth(market.Symbols);
        market.AdvanceTo(options.Start.AddMinutes(50), truth);

        foreach (var spec in market.Symbols)
        {
            var klines = Klines.Compute(spec, truth.GetTrades(spec.Name), KlineInterval.FifteenMinutes, market.NowUs);
            Assert.Equal(klines.Count, truth.GetWindows(spec.Name).Count());
            foreach (var kline in klines)
            {
                var window = truth.GetWindow(spec.Name, kline.OpenTimeUs)!;
                Assert.Equal(kline.TakerBuyQuoteVolume, window.TakerBuyQuoteVolume);
                Assert.Equal(kline.QuoteVolume - kline.TakerBuyQuoteVolume, window.TakerSellQuoteVolume);
                Assert.Equal(kline.TakerBuyBaseVolume, window.TakerBuyBaseVolume);
                Assert.Equal(kline.BaseVolume - kline.TakerBuyBaseVolume, window.TakerSellBaseVolume);
                Assert.Equal(kline.TradeCount, window.TradeCount);
                Assert.Equal(kline.FirstTradeId, window.FirstTradeId);
                Assert.Equal(kline.LastTradeId, window.LastTradeId);
                Assert.Equal(window.LastAggregateId - window.FirstAggregateId + 1, window.AggregateTradeCount);
            }
        }
    }

    [Fact]
    public void QueryTrades_FromIdTimeRangeAndLatest_FollowRestSemantics()
    {
        var options = Markets.Small(seed: 13);
        var market = new MarketSimulator(options);
        var truth = new GroundTruth(market.Symbols);
        market.AdvanceTo(options.Start.AddMinutes(5), truth);
        var all = truth.GetTrades("BTCUSDT");
        var middle = all[all.Count / 2];

        var fromId = truth.QueryTrades("BTCUSDT", middle.AggregateId, null, null, limit: 10);
        var byTime = truth.QueryTrades("BTCUSDT", null, middle.TradeTimeUs, middle.TradeTimeUs + 1_000_000, limit: 1000);
        var latest = truth.QueryTrades("BTCUSDT", null, null, null, limit: 3);

        Assert.Equal(all.Skip(all.Count / 2).Take(10), fromId);
        Assert.Equal(all.Where(t => t.TradeTimeUs >= middle.TradeTimeUs && t.TradeTimeUs <= middle.TradeTimeUs + 1_000_000).Take(1000), byTime);
        Assert.Equal(all.TakeLast(3), latest);
    }

    private static decimal ExactSum(IEnumerable<decimal> values) => values.Aggregate(0m, ExactDecimal.Add);
}
