using BinanceRecordings;
using ExchangeSimulator.Market;
using ExchangeSimulator.Replay;

namespace ExchangeSimulator.Tests.Replay;

/// <summary>Time shift, flavor inference, and how bad input is reported.</summary>
public sealed class ReplayOptionsTests
{
    private static readonly DateTimeOffset ShiftedStart = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ShiftStartTo_MovesEveryTimeByOneConstant()
    {
        var (original, originalEvents) = await ReplayFiles.ReplayAllAsync(new() { Files = [ReplayFiles.FuturesCryptofeed] });
        var (shifted, shiftedEvents) = await ReplayFiles.ReplayAllAsync(new() { Files = [ReplayFiles.FuturesCryptofeed], ShiftStartTo = ShiftedStart });
        var offset = SimulatedTime.ToMicroseconds(ShiftedStart) - original.StartUs;

        Assert.Equal(0, original.TimeShiftUs);
        Assert.Equal(offset, shifted.TimeShiftUs);
        Assert.Equal(SimulatedTime.ToMicroseconds(ShiftedStart), shifted.StartUs);
        Assert.Equal(original.EndUs + offset, shifted.EndUs);
        Assert.Equal(original.NowUs + offset, shifted.NowUs);
        Assert.Equal(originalEvents.All.Count, shiftedEvents.All.Count);
        foreach (var (before, after) in originalEvents.All.Zip(shiftedEvents.All))
        {
            Assert.Equal(before.TimeUs + offset, after.TimeUs);
            var back = after with
            {
                TimeUs = after.TimeUs - offset,
                Trade = after.Trade is { } t ? t with { TradeTimeUs = t.TradeTimeUs - offset, EventTimeUs = t.EventTimeUs - offset } : null,
                Depth = after.Depth is { } d ? d with { EventTimeUs = d.EventTimeUs - offset, TransactionTimeUs = d.TransactionTimeUs - offset } : null,
                Kline = after.Kline is { } k ? k with { OpenTimeUs = k.OpenTimeUs - offset } : null,
            };
            Assert.Equal(before.Trade, back.Trade);
            Assert.Equal(before.Kline, back.Kline);
            if (before.Depth is { } depth)
            {
                Assert.Equal(depth with { Bids = [], Asks = [] }, back.Depth! with { Bids = [], Asks = [] });
                Assert.Equal(depth.Bids, back.Depth!.Bids);
                Assert.Equal(depth.Asks, back.Depth.Asks);
            }
        }

        foreach (var symbol in original.Symbols)
        {
            var book = original.GetOrderBook(symbol.Name, 1000);
            var shiftedBook = shifted.GetOrderBook(symbol.Name, 1000);
            Assert.Equal(book.LastUpdateId, shiftedBook.LastUpdateId);
            Assert.Equal(book.TransactionTimeUs + offset, shiftedBook.TransactionTimeUs);
            Assert.Equal(book.EventTimeUs + offset, shiftedBook.EventTimeUs);
            Assert.Equal(book.Bids, shiftedBook.Bids);
        }

        Assert.Equal(original.Symbols, shifted.Symbols);
    }

    /// <summary>A futures snapshot is the book from its recorded <c>E</c>, shifted like every other time.</summary>
    [Fact]
    public async Task ShiftStartTo_SnapshotTimeMovesWithTheEvents()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var rest = ReplayFiles.Recording("cryptofeed", "906605d", "BINANCE_FUTURES.http.0.0");
        var snapshot = (await CryptofeedCaptureReader.ReadFileAsync(rest, cancellation).ToListAsync(cancellation))[0];
        var symbol = snapshot.Symbol!;
        var availableUs = snapshot.ToDepthSnapshot().EventTimeMs!.Value * 1000;
        var shifted = await RecordingSource.LoadAsync(new() { Files = [ReplayFiles.FuturesCryptofeed], ShiftStartTo = ShiftedStart }, cancellation);

        shifted.AdvanceTo(availableUs + shifted.TimeShiftUs - 1, new ReplayedEvents());
        Assert.Throws<InvalidOperationException>(() => shifted.GetOrderBook(symbol, 10));
        shifted.AdvanceTo(availableUs + shifted.TimeShiftUs, new ReplayedEvents());
        Assert.NotNull(shifted.GetOrderBook(symbol, 10));
    }

    public static TheoryData<string, MarketFlavor> Flavors => new()
    {
        { "cryptofeed/4fe0297/BINANCE.ws.1.0", MarketFlavor.Spot },
        { "cryptofeed/3525dc8/BINANCE_FUTURES.ws.5.0", MarketFlavor.UsdmFutures },
        { "cryptofeed/906605d/BINANCE_FUTURES.ws.1.0", MarketFlavor.UsdmFutures },
        { "hftbacktest/spot/btcusdt_20240808.gz", MarketFlavor.Spot },
        { "binance-vision/BTCUSDT-aggTrades-2026-01-01.csv", MarketFlavor.Spot },
    };

    [Theory]
    [MemberData(nameof(Flavors))]
    public async Task LoadAsync_NoFlavorGiven_InfersItFromTheRecording(string recording, MarketFlavor expected)
    {
        var source = await ReplayFiles.LoadAsync(ReplayFiles.Recording(recording.Split('/')));

        Assert.Equal(expected, source.Flavor);
    }

    [Fact]
    public async Task LoadAsync_FuturesCapture_DerivesFuturesScalesAndRanksByTrades()
    {
        var (source, events) = await ReplayFiles.ReplayAllAsync(new() { Files = [ReplayFiles.FuturesCryptofeed] });
        var trades = events.Trades.CountBy(t => t.Symbol).ToDictionary();

        var sushi = source.Symbols.Single(s => s.Name == "SUSHIUSDT");
        Assert.Equal((3, 0), (sushi.TickDecimals, sushi.StepDecimals));
        Assert.Equal((4, 0, 3), (sushi.PriceScale, sushi.QuantityScale, sushi.QuoteVolumeScale));
        Assert.Equal("SUSHI", sushi.BaseAsset);
        Assert.Equal(source.Symbols.OrderByDescending(s => trades.GetValueOrDefault(s.Name)).ThenBy(s => s.Name, StringComparer.Ordinal).Select(s => s.Name), source.Symbols.Select(s => s.Name));
        Assert.Equal(Enumerable.Range(0, source.Symbols.Count), source.Symbols.Select(s => s.Rank));
    }

    [Fact]
    public async Task LoadAsync_SpotAndFuturesTogether_ThrowsNamingBothFiles()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ReplayFiles.LoadAsync(ReplayFiles.SpotCryptofeed, ReplayFiles.FuturesCryptofeed));

        Assert.Contains("4fe0297", error.Message, StringComparison.Ordinal);
        Assert.Contains("906605d", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_FlavorGiven_IsUsedAsIs()
    {
        var source = await RecordingSource.LoadAsync(
            new() { Files = [ReplayFiles.BtcUsdtAggTradesCsv], Flavor = MarketFlavor.UsdmFutures }, TestContext.Current.CancellationToken);

        Assert.Equal(MarketFlavor.UsdmFutures, source.Flavor);
        Assert.Equal(2 + 5, source.Symbols[0].QuoteVolumeScale);
    }

    [Theory]
    [InlineData("notes.txt")]
    [InlineData("capture.gz")]
    [InlineData("BTCUSDT-aggTrades-2026-01-01.zip")]
    public async Task LoadAsync_UnrecognisedFile_ThrowsNamingItAndTheKindsAccepted(string name)
    {
        using var folder = new TempDirectory();
        var path = folder.Write(name, "hello");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => ReplayFiles.LoadAsync(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("aggTrades CSV", error.Message, StringComparison.Ordinal);
        Assert.Contains("*.jsonl", error.Message, StringComparison.Ordinal);
        Assert.Contains("cryptofeed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_MalformedCsvRow_ThrowsNamingFileAndLine()
    {
        using var folder = new TempDirectory();
        var path = folder.Write(
            "BTCUSDT-aggTrades-2026-01-01.csv",
            "3800397495,87648.21000000,0.08185000,5723703861,5723703861,1767225600039409,True,True",
            "3800397496,87648.22000000,not-a-number,5723703862,5723703862,1767225600272386,False,True");

        var error = await Assert.ThrowsAsync<RecordingFormatException>(() => ReplayFiles.LoadAsync(path));

        Assert.Equal(path, error.FilePath);
        Assert.Equal(2, error.LineNumber);
        Assert.Contains($"{path}:2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_MalformedJsonLine_ThrowsNamingFileAndLine()
    {
        using var folder = new TempDirectory();
        var path = folder.Write(
            "capture.jsonl",
            """{"e":"aggTrade","E":1767225600100,"s":"BTCUSDT","a":1,"p":"1.00000000","q":"1.00000000","f":1,"l":1,"T":1767225600099,"m":false,"M":true}""",
            string.Empty,
            """{"e":"aggTrade","E":1767225600200,"s":"BTCUSDT","a":2,"p":"1.00000000",""");

        var error = await Assert.ThrowsAsync<RecordingFormatException>(() => ReplayFiles.LoadAsync(path));

        Assert.Equal(path, error.FilePath);
        Assert.Equal(3, error.LineNumber);
    }

    [Fact]
    public async Task LoadAsync_MissingOrRepeatedFile_Throws()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(() => ReplayFiles.LoadAsync(Path.Combine(ReplayFiles.Root, "no-such-file.jsonl")));
        await Assert.ThrowsAsync<ArgumentException>(() => ReplayFiles.LoadAsync(ReplayFiles.BtcUsdtAggTradesCsv, ReplayFiles.BtcUsdtAggTradesCsv));
        await Assert.ThrowsAsync<ArgumentException>(() => ReplayFiles.LoadAsync());
    }
}
