using ExchangeSimulator.Market;

namespace ExchangeSimulator.Tests;

public sealed class OrderBookTests
{
    [Theory]
    [InlineData(MarketFlavor.Spot)]
    [InlineData(MarketFlavor.UsdmFutures)]
    public void AdvanceTo_DepthUpdates_AreContiguousPerSymbol(MarketFlavor flavor)
    {
        var (_, events) = Markets.Run(Markets.Small(seed: 21, flavor), TimeSpan.FromMinutes(10));

        Assert.NotEmpty(events.DepthUpdates);
        foreach (var updates in events.DepthUpdates.GroupBy(u => u.Symbol))
        {
            DepthUpdate? previous = null;
            foreach (var update in updates)
            {
                Assert.True(update.FirstUpdateId <= update.FinalUpdateId);
                Assert.True(update.TransactionTimeUs <= update.EventTimeUs);
                Assert.Equal(update.PreviousFinalUpdateId + 1, update.FirstUpdateId);
                Assert.Equal(0, update.EventTimeUs % 100_000);
                if (previous is not null)
                {
                    Assert.Equal(previous.FinalUpdateId, update.PreviousFinalUpdateId);
                    Assert.True(update.EventTimeUs > previous.EventTimeUs);
                }

                previous = update;
            }
        }
    }

    /// <summary>
    /// Property: a snapshot taken at any moment, plus the diff events published after it applied by
    /// Binance's procedure (skip u &lt;= lastUpdateId, the first one straddles it), equals the
    /// snapshot taken at any later moment.
    /// </summary>
    [Theory]
    [InlineData(MarketFlavor.Spot, 31)]
    [InlineData(MarketFlavor.UsdmFutures, 32)]
    public void GetOrderBook_SnapshotPlusLaterUpdates_EqualsLaterSnapshot(MarketFlavor flavor, int seed)
    {
        var options = Markets.Small(seed, flavor);
        var market = new MarketSimulator(options);
        var events = new RecordingListener();
        var points = new Random(seed);
        var books = new List<(int EventsSeen, OrderBookSnapshot Snapshot)>();
        var time = market.StartUs;
        for (var i = 0; i < 60; i++)
        {
            time += points.Next(1, 5_000_000);
            market.AdvanceTo(time, events);
            var symbol = market.Symbols[points.Next(0, 4)].Name;
            books.Add((events.DepthUpdates.Count, market.GetOrderBook(symbol, limit: 5000)));
        }

        var checkedPairs = 0;
        foreach (var (seen, snapshot) in books)
        {
            foreach (var (laterSeen, later) in books.Where(b => b.EventsSeen > seen && b.Snapshot.Symbol == snapshot.Symbol))
            {
                var bids = snapshot.Bids.ToDictionary(l => l.Price, l => l.Quantity);
                var asks = snapshot.Asks.ToDictionary(l => l.Price, l => l.Quantity);
                var lastApplied = snapshot.LastUpdateId;
                foreach (var update in events.DepthUpdates.Take(laterSeen).Skip(seen).Where(u => u.Symbol == snapshot.Symbol && u.FinalUpdateId > snapshot.LastUpdateId))
                {
                    Assert.True(update.FirstUpdateId <= lastApplied + 1, "no gap after the snapshot");
                    Apply(bids, update.Bids);
                    Apply(asks, update.Asks);
                    lastApplied = update.FinalUpdateId;
                }

                // The later snapshot may include changes not yet published as a diff event; compare only when none are pending.
                if (lastApplied == later.LastUpdateId)
                {
                    Assert.Equal(later.Bids, bids.OrderByDescending(l => l.Key).Select(l => new PriceLevel(l.Key, l.Value)));
                    Assert.Equal(later.Asks, asks.OrderBy(l => l.Key).Select(l => new PriceLevel(l.Key, l.Value)));
                    checkedPairs++;
                }
            }
        }

        Assert.True(checkedPairs > 20, $"only {checkedPairs} pairs compared");
    }

    [Fact]
    public void GetOrderBook_Limit_ReturnsBestLevelsUncrossed()
    {
        var options = Markets.Small(seed: 4);
        var (market, _) = Markets.Run(options, TimeSpan.FromMinutes(5));

        var book = market.GetOrderBook("ETHUSDT", limit: 5);

        Assert.Equal(5, book.Bids.Count);
        Assert.Equal(5, book.Asks.Count);
        Assert.True(book.Bids[0].Price < book.Asks[0].Price);
        Assert.Equal(book.Bids.OrderByDescending(l => l.Price), book.Bids);
        Assert.Equal(book.Asks.OrderBy(l => l.Price), book.Asks);
    }

    private static void Apply(Dictionary<decimal, decimal> side, IReadOnlyList<PriceLevel> levels)
    {
        foreach (var level in levels)
        {
            if (level.Quantity == 0)
            {
                side.Remove(level.Price);
            }
            else
            {
                side[level.Price] = level.Quantity;
            }
        }
    }
}
