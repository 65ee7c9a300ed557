using ExchangeSimulator.Market;

namespace ExchangeSimulator.Tests;

/// <summary>Rows Binance marks invalid (p = q = 0, f = l = -1) are history, not volume.</summary>
public sealed class InvalidRowTests
{
    [Fact]
    public void InvalidRow_IsServedAsHistory_ButLeftOutOfWindowsAndKlines()
    {
        var options = Markets.Small(seed: 3);
        var (market, events) = Markets.Run(options, TimeSpan.FromMinutes(2));
        var spec = market.Symbols[0];
        var valid = events.Trades.Where(t => t.Symbol == spec.Name).ToList();
        var last = valid[^1];
        var invalid = last with { AggregateId = last.AggregateId + 1, Price = 0m, Quantity = 0m, FirstTradeId = -1, LastTradeId = -1 };
        var truth = new GroundTruth(market.Symbols);
        foreach (var trade in valid)
        {
            truth.OnTrade(trade);
        }

        var before = truth.GetWindows(spec.Name).ToList();
        truth.OnTrade(invalid);

        Assert.True(invalid.IsMarkedInvalid);
        Assert.Equal(invalid.AggregateId, truth.QueryTrades(spec.Name, invalid.AggregateId, null, null, 10).Single().AggregateId);
        Assert.Equal(before, truth.GetWindows(spec.Name).ToList());
        var klines = Klines.Compute(spec, [.. valid, invalid], KlineInterval.FifteenMinutes, last.TradeTimeUs);
        Assert.Equal(valid.Sum(t => t.TradeCount), klines.Sum(k => k.TradeCount));
        Assert.DoesNotContain(klines, k => k.Low == 0m);
    }
}
