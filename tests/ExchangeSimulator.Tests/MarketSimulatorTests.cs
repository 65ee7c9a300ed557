using System.Buffers;
using System.Diagnostics;
using System.Security.Cryptography;
using ExchangeSimulator.Formats;
using ExchangeSimulator.Market;

namespace ExchangeSimulator.Tests;

public sealed class MarketSimulatorTests(ITestOutputHelper output)
{
    [Fact]
    public void AdvanceTo_SameSeed_ProducesIdenticalBytes()
    {
        var first = Hash(Markets.Small(seed: 7), TimeSpan.FromMinutes(20));
        var second = Hash(Markets.Small(seed: 7), TimeSpan.FromMinutes(20));

        Assert.Equal(first, second);
    }

    [Fact]
    public void AdvanceTo_DifferentSeed_ProducesDifferentBytes()
    {
        Assert.NotEqual(Hash(Markets.Small(seed: 7), TimeSpan.FromMinutes(2)), Hash(Markets.Small(seed: 8), TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public void AdvanceTo_InSteps_EqualsOneLongAdvance()
    {
        var options = Markets.Small(seed: 11);
        var (_, once) = Markets.Run(options, TimeSpan.FromMinutes(3));
        var market = new MarketSimulator(options);
        var stepped = new RecordingListener();
        for (var seconds = 7; seconds <= 180; seconds += 7)
        {
            market.AdvanceTo(options.Start.AddSeconds(seconds), stepped);
        }

        market.AdvanceTo(options.Start.AddMinutes(3), stepped);

        Assert.Equal(once.Trades, stepped.Trades);
        Assert.Equal(once.DepthUpdates.Select(d => (d.Symbol, d.FirstUpdateId, d.FinalUpdateId)), stepped.DepthUpdates.Select(d => (d.Symbol, d.FirstUpdateId, d.FinalUpdateId)));
    }

    [Theory]
    [InlineData(MarketFlavor.Spot)]
    [InlineData(MarketFlavor.UsdmFutures)]
    public void AdvanceTo_Trades_HaveConsecutiveIdsAndOrderedTimes(MarketFlavor flavor)
    {
        var (market, events) = Markets.Run(Markets.Small(seed: 3, flavor), TimeSpan.FromMinutes(30));
        var specs = market.Symbols.ToDictionary(s => s.Name);

        Assert.True(events.Trades.Count > 10_000, $"only {events.Trades.Count} trades");
        for (var i = 1; i < events.Trades.Count; i++)
        {
            Assert.True(events.Trades[i].TradeTimeUs >= events.Trades[i - 1].TradeTimeUs, "trades are generated in time order");
        }

        foreach (var trades in events.Trades.GroupBy(t => t.Symbol))
        {
            var spec = specs[trades.Key];
            AggregateTrade? previous = null;
            foreach (var trade in trades)
            {
                Assert.True(trade.FirstTradeId <= trade.LastTradeId);
                Assert.True(trade.EventTimeUs >= trade.TradeTimeUs);
                Assert.True(trade.Quantity > 0 && trade.Price > 0);
                Assert.Equal(spec.PriceScale, trade.Price.Scale);
                Assert.Equal(spec.QuantityScale, trade.Quantity.Scale);
                Assert.Equal(0m, trade.Price % spec.TickSize);
                Assert.Equal(0m, trade.Quantity % spec.StepSize);
                if (previous is { } last)
                {
                    Assert.Equal(last.AggregateId + 1, trade.AggregateId);
                    Assert.Equal(last.LastTradeId + 1, trade.FirstTradeId);
                    Assert.True(trade.TradeTimeUs >= last.TradeTimeUs);
                    Assert.True(trade.EventTimeUs >= last.EventTimeUs);
                }

                previous = trade;
            }
        }
    }

    /// <summary>
    /// Realistic skew: on Binance the few largest USDT pairs carry most of the volume. The model gives
    /// quote volume ∝ 1/(rank+1)^1.6, about 70 % for the top 5 of 300 in expectation; bursts make
    /// any one run noisy, so the bound is the looser "more than half".
    /// </summary>
    [Fact]
    public void AdvanceTo_LongRunOfManySymbols_TopFiveCarryMostQuoteVolume()
    {
        var options = new MarketOptions { Seed = 42, SymbolCount = 300, TradesPerSecond = 300 };
        var market = new MarketSimulator(options);
        var truth = new GroundTruth(market.Symbols);
        var clock = Stopwatch.StartNew();
        market.AdvanceTo(options.Start.AddHours(1), truth);
        clock.Stop();

        var volumes = market.Symbols
            .Select(s => truth.GetWindows(s.Name).Sum(w => w.TakerBuyQuoteVolume + w.TakerSellQuoteVolume))
            .OrderDescending()
            .ToList();
        var topFiveShare = volumes.Take(5).Sum() / volumes.Sum();
        output.WriteLine(
            $"{truth.TotalTradeCount} trades + {truth.TotalDepthUpdateCount} depth events in {clock.Elapsed.TotalSeconds:F2} s: "
            + $"{(truth.TotalTradeCount + truth.TotalDepthUpdateCount) / clock.Elapsed.TotalSeconds:F0} events/s; top-5 share {topFiveShare:P1}");

        Assert.True(topFiveShare > 0.5m, $"top 5 carry {topFiveShare:P1}");
        Assert.True(volumes[^1] > 0, "every symbol trades within an hour");
    }

    [Fact]
    public void Symbols_Default_StartWithLargeCapsAndHaveExactQuoteScale()
    {
        var market = new MarketSimulator(new MarketOptions { Seed = 1 });

        Assert.Equal(300, market.Symbols.Count);
        Assert.Equal(["BTCUSDT", "ETHUSDT"], market.Symbols.Take(2).Select(s => s.Name));
        Assert.Equal(300, market.Symbols.Select(s => s.Name).Distinct().Count());
        Assert.All(market.Symbols, s => Assert.True(s.TickDecimals + s.StepDecimals <= 8, s.Name));
        Assert.All(market.Symbols, s => Assert.EndsWith("USDT", s.Name, StringComparison.Ordinal));
    }

    private static string Hash(MarketOptions options, TimeSpan duration)
    {
        var (market, events) = Markets.Run(options, duration);
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new BinanceStreamWriter(options.Flavor);
        foreach (var trade in events.Trades)
        {
            writer.WriteAggTrade(buffer, trade);
        }

        foreach (var update in events.DepthUpdates)
        {
            writer.WriteDepthUpdate(buffer, update);
        }

        Assert.True(market.NowUs > market.StartUs);
        return Convert.ToHexString(SHA256.HashData(buffer.WrittenSpan));
    }
}
