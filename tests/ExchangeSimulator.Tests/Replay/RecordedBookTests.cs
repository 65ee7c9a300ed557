using System.Text.Json;
using BinanceRecordings;
using ExchangeSimulator.Market;
using Streaming.Contracts;

namespace ExchangeSimulator.Tests.Replay;

/// <summary>REST depth from a replay: the recorded snapshot plus the recorded diffs, checked against the exchange's own bookTicker.</summary>
public sealed class RecordedBookTests(ITestOutputHelper output)
{
    private static readonly string[] BookTickerFields = ["b", "B", "a", "A"];

    [Fact]
    public async Task GetOrderBook_AfterTheWholeSpotCapture_EndsAtTheLastDiffAndIsNotCrossed()
    {
        var (source, events) = await ReplayFiles.ReplayAllAsync(new() { Files = [ReplayFiles.SpotCryptofeed] });

        Assert.Contains(ReplayFiles.SpotCryptofeedRest, source.Files);
        Assert.Equal(["BADGERBTC", "FTMUSDT", "SXPBTC", "XMRBTC"], source.Symbols.Select(s => s.Name).Order(StringComparer.Ordinal));
        foreach (var symbol in source.Symbols)
        {
            var lastDiff = events.DepthUpdates.Last(d => d.Symbol == symbol.Name);
            var book = source.GetOrderBook(symbol.Name, limit: 5000);

            Assert.Equal(lastDiff.FinalUpdateId, book.LastUpdateId);
            Assert.Equal(lastDiff.TransactionTimeUs, book.TransactionTimeUs);
            Assert.Equal(source.NowUs, book.EventTimeUs);
            Assert.True(book.Bids[0].Price < book.Asks[0].Price, $"{symbol.Name}: {book.Bids[0]} / {book.Asks[0]}");
            Assert.All(book.Bids.Zip(book.Bids.Skip(1)), pair => Assert.True(pair.First.Price > pair.Second.Price));
            Assert.All(book.Asks.Zip(book.Asks.Skip(1)), pair => Assert.True(pair.First.Price < pair.Second.Price));
            Assert.All(book.Bids.Concat(book.Asks), level => Assert.True(level.Quantity > 0m));
            Assert.Equal(8, book.Bids[0].Price.Scale);

            var top = source.GetOrderBook(symbol.Name, limit: 5);
            Assert.Equal(book.Bids.Take(5), top.Bids);
            Assert.Equal(book.Asks.Take(5), top.Asks);
        }
    }

    /// <summary>
    /// Spot snapshots carry no exchange time: one is the book from the <c>E</c> of the last diff it already
    /// contains (<c>u ≤ lastUpdateId</c>). Before that REST depth refuses; from then on it is exactly the snapshot.
    /// </summary>
    [Fact]
    public async Task GetOrderBook_BeforeTheSnapshotTime_Throws_AndAtItReturnsTheSnapshot()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var snapshots = (await CryptofeedCaptureReader.ReadFileAsync(ReplayFiles.SpotCryptofeedRest, cancellation).ToListAsync(cancellation))
            .ToDictionary(m => m.Symbol!, m => m.ToDepthSnapshot());
        var (_, everything) = await ReplayFiles.ReplayAllAsync(new() { Files = [ReplayFiles.SpotCryptofeed] });

        foreach (var (symbol, snapshot) in snapshots)
        {
            var source = await ReplayFiles.LoadAsync(ReplayFiles.SpotCryptofeed);
            var contained = everything.DepthUpdates.Last(d => d.Symbol == symbol && d.FinalUpdateId <= snapshot.LastUpdateId);

            Assert.Throws<InvalidOperationException>(() => source.GetOrderBook(symbol, 10));
            source.AdvanceTo(contained.EventTimeUs - 1, new ReplayedEvents());
            var early = Assert.Throws<InvalidOperationException>(() => source.GetOrderBook(symbol, 10));
            Assert.Contains(symbol, early.Message, StringComparison.Ordinal);

            source.AdvanceTo(contained.EventTimeUs, new ReplayedEvents());
            var book = source.GetOrderBook(symbol, 5000);
            Assert.Equal(snapshot.LastUpdateId, book.LastUpdateId);
            Assert.Equal(snapshot.Bids.Select(l => l.Price.Text + " " + l.Quantity.Text), book.Bids.Select(l => ExactDecimal.Format(l.Price) + " " + ExactDecimal.Format(l.Quantity)));
            Assert.Equal(snapshot.Asks.Select(l => l.Price.Text + " " + l.Quantity.Text), book.Asks.Select(l => ExactDecimal.Format(l.Price) + " " + ExactDecimal.Format(l.Quantity)));
        }
    }

    /// <summary>
    /// Independent check on a day of BTCUSDT: after each diff, the rebuilt book's best levels equal the exchange's
    /// own <c>@bookTicker</c> at the same update id (bookTicker is not replayed; it is read from the capture here).
    /// </summary>
    [Fact]
    public async Task GetOrderBook_AfterEachHftBacktestDiff_BestLevelsEqualRecordedBookTicker()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var tickers = new Dictionary<long, string>();
        await foreach (var message in HftBacktestCaptureReader.ReadFileAsync(ReplayFiles.HftBacktestDay1, cancellation))
        {
            if (message.EventType == "bookTicker")
            {
                using var document = JsonDocument.Parse(message.Payload);
                var ticker = document.RootElement;
                tickers[ticker.GetProperty("u").GetInt64()] = string.Join(' ', BookTickerFields.Select(f => ticker.GetProperty(f).GetString()));
            }
        }

        var source = await ReplayFiles.LoadAsync(ReplayFiles.HftBacktestDay1);
        var (_, everything) = await ReplayFiles.ReplayAllAsync(new() { Files = [ReplayFiles.HftBacktestDay1] });
        var compared = 0;
        foreach (var diff in everything.DepthUpdates)
        {
            source.AdvanceTo(diff.EventTimeUs, new ReplayedEvents());
            if (source.NowUs < diff.EventTimeUs || !TryBook(source, out var book) || !tickers.TryGetValue(book.LastUpdateId, out var ticker))
            {
                continue;
            }

            var best = string.Join(' ', new[] { book.Bids[0].Price, book.Bids[0].Quantity, book.Asks[0].Price, book.Asks[0].Quantity }.Select(ExactDecimal.Format));
            Assert.Equal(ticker, best);
            compared++;
        }

        output.WriteLine($"{compared} of {everything.DepthUpdates.Count()} diffs compared against bookTicker");
        // 564 of the day's 3,451 diffs end on an update id that a bookTicker also reports; every one of them matched.
        Assert.True(compared > 500, $"only {compared} diffs shared an update id with a bookTicker");
    }

    [Fact]
    public async Task GetOrderBook_WithoutSnapshotOrUnknownSymbol_Throws()
    {
        var (source, _) = await ReplayFiles.ReplayAllAsync(new() { Files = [ReplayFiles.BtcUsdtAggTradesCsv] });

        var noBook = Assert.Throws<InvalidOperationException>(() => source.GetOrderBook("BTCUSDT", 10));
        Assert.Contains("snapshot", noBook.Message, StringComparison.Ordinal);
        Assert.Throws<KeyNotFoundException>(() => source.GetOrderBook("ETHUSDT", 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.GetOrderBook("BTCUSDT", 0));
    }

    private static bool TryBook(ExchangeSimulator.Replay.RecordingSource source, out OrderBookSnapshot book)
    {
        try
        {
            book = source.GetOrderBook("BTCUSDT", 1);
            return true;
        }
        catch (InvalidOperationException)
        {
            book = null!;
            return false;
        }
    }
}
