namespace BinanceRecordings.Tests;

public sealed class HftBacktestCaptureTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("btcusdt_20240808.gz", 9757, 3451, 28040, 1)]
    [InlineData("btcusdt_20240809.gz", 10147, 3044, null, 0)]
    public async Task Capture_HasTheDocumentedCountsAndGaplessTradeIdsAndDepthChain(string file, int trades, int diffs, int? bookTickers, int snapshots)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var messages = await HftBacktestCaptureReader.ReadFileAsync(SharedData.File("hftbacktest", "spot", file), cancellation).ToListAsync(cancellation);
        var tradeRecords = messages.Where(m => m.EventType == "trade").Select(m => m.ToTrade()).ToList();
        var depth = messages.Where(m => m.EventType == "depthUpdate").Select(m => m.ToDepthUpdate()).ToList();
        var snapshotRecords = messages.Where(m => m.Kind == CapturedMessageKind.DepthSnapshot).Select(m => m.ToDepthSnapshot()).ToList();

        Assert.Equal(trades, tradeRecords.Count);
        Assert.Equal(diffs, depth.Count);
        Assert.Equal(snapshots, snapshotRecords.Count);
        if (bookTickers is { } expectedBookTickers)
        {
            Assert.Equal(expectedBookTickers, messages.Count(m => m.EventType == "bookTicker"));
        }

        Assert.All(messages.Where(m => m.Kind == CapturedMessageKind.StreamEvent), m => Assert.Equal("BTCUSDT", m.Symbol));
        Assert.All(tradeRecords.Zip(tradeRecords.Skip(1)), pair => Assert.Equal(pair.First.TradeId + 1, pair.Second.TradeId));
        Assert.All(depth.Zip(depth.Skip(1)), pair => Assert.Equal(pair.First.FinalUpdateId + 1, pair.Second.FirstUpdateId));
        output.WriteLine($"{file}: {messages.Count} messages; trades {tradeRecords[0].TradeId}..{tradeRecords[^1].TradeId} gapless; depth U/u {depth[0].FirstUpdateId}..{depth[^1].FinalUpdateId} gapless; snapshots {string.Join(", ", snapshotRecords.Select(s => s.LastUpdateId))}");
    }

    [Fact]
    public async Task Snapshot_OfTheFirstDay_IsBracketedByABufferedDiff()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var messages = await HftBacktestCaptureReader.ReadFileAsync(SharedData.File("hftbacktest", "spot", "btcusdt_20240808.gz"), cancellation).ToListAsync(cancellation);

        var snapshotMessage = Assert.Single(messages, m => m.Kind == CapturedMessageKind.DepthSnapshot);
        var snapshot = snapshotMessage.ToDepthSnapshot();
        Assert.Equal(50093239218, snapshot.LastUpdateId);
        Assert.Null(snapshotMessage.Symbol);
        Assert.Contains(messages.Where(m => m.EventType == "depthUpdate").Select(m => m.ToDepthUpdate()), d => d.FirstUpdateId <= snapshot.LastUpdateId && snapshot.LastUpdateId <= d.FinalUpdateId);
    }
}
