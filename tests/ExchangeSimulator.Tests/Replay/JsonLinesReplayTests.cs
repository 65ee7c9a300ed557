using BinanceRecordings;
using ExchangeSimulator.Formats;
using ExchangeSimulator.Market;
using Streaming.Contracts;
using PriceLevel = ExchangeSimulator.Market.PriceLevel;

namespace ExchangeSimulator.Tests.Replay;

/// <summary>The replay's JSON-lines format: raw payloads, combined-stream messages and snapshot wrappers in one file.</summary>
public sealed class JsonLinesReplayTests
{
    private const string RawAggTrade =
        """{"e":"aggTrade","E":1767225600100,"s":"BTCUSDT","a":1,"p":"87648.21000000","q":"0.00100000","f":10,"l":10,"T":1767225600099,"m":false,"M":true}""";

    private const string CombinedDepth =
        """{"e":"depthUpdate","E":1767225600200,"s":"BTCUSDT","U":101,"u":103,"b":[["87648.20000000","1.00000000"]],"a":[["87648.22000000","0.00000000"]]}""";

    private const string RawDepth =
        """{"e":"depthUpdate","E":1767225600300,"s":"BTCUSDT","U":104,"u":104,"b":[],"a":[["87648.30000000","2.50000000"]]}""";

    private const string CombinedAggTrade =
        """{"e":"aggTrade","E":1767225600400,"s":"BTCUSDT","a":2,"p":"87648.30000000","q":"0.00200000","f":11,"l":12,"T":1767225600399,"m":true,"M":true}""";

    private const string CombinedKline =
        """{"e":"kline","E":1767225600400,"s":"BTCUSDT","k":{"t":1767225600000,"T":1767225659999,"s":"BTCUSDT","i":"1m","f":10,"L":12,"o":"87648.21000000","c":"87648.30000000","h":"87648.30000000","l":"87648.21000000","v":"0.00300000","n":3,"x":false,"q":"262.94481000","V":"0.00100000","Q":"87.64821000","B":"0"}}""";

    [Fact]
    public async Task Replay_MixedJsonLines_ReplaysEveryShapeInTimeOrder()
    {
        using var folder = new TempDirectory();
        var path = folder.Write(
            "session.jsonl",
            RawAggTrade,
            $$"""1767225600250000000 {"stream":"btcusdt@depth@100ms","data":{{CombinedDepth}}}""",
            """{"snapshot":"btcusdt","data":{"lastUpdateId":100,"bids":[["87648.20000000","2.00000000"],["87648.10000000","1.00000000"]],"asks":[["87648.22000000","0.50000000"],["87648.30000000","3.00000000"]]}}""",
            """{"stream":"btcusdt@bookTicker","data":{"u":103,"s":"BTCUSDT","b":"87648.20000000","B":"1.00000000","a":"87648.30000000","A":"3.00000000"}}""",
            """1767225600310000000 {"u":104,"s":"BTCUSDT","b":"87648.20000000","B":"1.00000000","a":"87648.30000000","A":"2.50000000"}""",
            """{"e":"trade","E":1767225600300,"s":"BTCUSDT","t":5,"p":"87648.22000000","q":"0.00100000","T":1767225600300,"m":true,"M":true}""",
            $$"""{"stream":"btcusdt@kline_1m","data":{{CombinedKline}}}""",
            string.Empty,
            $$"""{"stream":"btcusdt@aggTrade","data":{{CombinedAggTrade}}}""",
            RawDepth);

        var source = await ReplayFiles.LoadAsync(path);
        Assert.Throws<InvalidOperationException>(() => source.GetOrderBook("BTCUSDT", 10));
        var events = new ReplayedEvents();
        source.AdvanceTo(source.EndUs!.Value, events);
        using var writer = new BinanceStreamWriter(source.Flavor);

        Assert.Equal(MarketFlavor.Spot, source.Flavor);
        // By E; the kline and the second trade share E = ...400 and keep their line order.
        Assert.Equal([RawAggTrade, CombinedDepth, RawDepth, CombinedKline, CombinedAggTrade], events.All.Select(e => ReplayedEvents.Write(writer, e)));
        Assert.Equal(new Dictionary<string, long> { ["bookTicker"] = 2, ["trade"] = 1 }, source.SkippedEvents);
        Assert.True(source.ProvidesKlines);
        Assert.Equal([100L, 103L], events.DepthUpdates.Select(d => d.PreviousFinalUpdateId));

        // The snapshot predates every diff, so it is the book from the start; both diffs apply on top of it.
        var book = source.GetOrderBook("BTCUSDT", 10);
        Assert.Equal(104, book.LastUpdateId);
        Assert.Equal(["87648.20000000 1.00000000", "87648.10000000 1.00000000"], book.Bids.Select(Text));
        Assert.Equal(["87648.30000000 2.50000000"], book.Asks.Select(Text));
        Assert.Equal("87648.21000000", ExactDecimal.Format(source.Symbols[0].InitialPrice));
        var kline = Assert.Single(source.GetRecordedKlines("BTCUSDT", KlineInterval.OneMinute)!);
        Assert.False(kline.IsClosed);
        Assert.Equal(3, kline.TradeCount);
    }

    [Fact]
    public async Task Replay_EventsOfEqualTime_FollowTheFileOrderGiven()
    {
        using var folder = new TempDirectory();
        var btc = folder.Write("btc.jsonl", RawAggTrade);
        var eth = folder.Write("eth.jsonl", RawAggTrade.Replace("BTCUSDT", "ETHUSDT", StringComparison.Ordinal));

        var (_, btcFirst) = await ReplayFiles.ReplayAllAsync(new() { Files = [btc, eth] });
        var (_, ethFirst) = await ReplayFiles.ReplayAllAsync(new() { Files = [eth, btc] });

        Assert.Equal(["BTCUSDT", "ETHUSDT"], btcFirst.Trades.Select(t => t.Symbol));
        Assert.Equal(["ETHUSDT", "BTCUSDT"], ethFirst.Trades.Select(t => t.Symbol));
    }

    [Fact]
    public async Task Replay_JsonLinesWithPu_IsFutures()
    {
        using var folder = new TempDirectory();
        var depth = """{"e":"depthUpdate","E":1767225600300,"T":1767225600290,"s":"BTCUSDT","U":104,"u":110,"pu":99,"b":[["87648.2","0.010"]],"a":[]}""";
        var path = folder.Write("futures.jsonl", depth);

        var (source, events) = await ReplayFiles.ReplayAllAsync(new() { Files = [path] });
        using var writer = new BinanceStreamWriter(source.Flavor);

        Assert.Equal(MarketFlavor.UsdmFutures, source.Flavor);
        Assert.Equal(depth, ReplayedEvents.Write(writer, Assert.Single(events.All)));
        // "0.010" is printed with 3 decimals but steps of 0.01: scale 3, step decimals 2.
        Assert.Equal((1, 2, 1, 3, 3), (source.Symbols[0].TickDecimals, source.Symbols[0].StepDecimals, source.Symbols[0].PriceScale, source.Symbols[0].QuantityScale, source.Symbols[0].QuoteVolumeScale));
    }

    [Fact]
    public async Task Replay_GzipJsonLines_ReadsTheSame()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "session.jsonl.gz");
        await using (var file = File.Create(path))
        await using (var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest))
        await using (var text = new StreamWriter(gzip))
        {
            await text.WriteLineAsync(RawAggTrade.AsMemory(), TestContext.Current.CancellationToken);
        }

        var (source, events) = await ReplayFiles.ReplayAllAsync(new() { Files = [path] });
        using var writer = new BinanceStreamWriter(source.Flavor);

        Assert.Equal(RawAggTrade, ReplayedEvents.Write(writer, Assert.Single(events.All)));
    }

    [Fact]
    public async Task Replay_BareSnapshotLine_ThrowsAskingForTheWrapper()
    {
        using var folder = new TempDirectory();
        var path = folder.Write("session.jsonl", RawAggTrade, """{"lastUpdateId":100,"bids":[],"asks":[]}""");

        var error = await Assert.ThrowsAsync<RecordingFormatException>(() => ReplayFiles.LoadAsync(path));

        Assert.Equal((path, 2L), (error.FilePath, error.LineNumber));
        Assert.Contains("\"snapshot\"", error.Message, StringComparison.Ordinal);
    }

    private static string Text(PriceLevel level) => $"{ExactDecimal.Format(level.Price)} {ExactDecimal.Format(level.Quantity)}";
}
