using System.Text;
using BinanceRecordings;
using ExchangeSimulator.Formats;
using ExchangeSimulator.Market;

namespace ExchangeSimulator.Tests.Replay;

/// <summary>
/// The replay against the exchange's own bytes: every aggTrade, depthUpdate and kline payload recorded from
/// Binance, replayed and written back by <see cref="BinanceStreamWriter"/>, is the recorded payload byte for byte.
/// </summary>
public sealed class ReplayConformanceTests(ITestOutputHelper output)
{
    private static readonly string[] ReplayedTypes = ["aggTrade", "depthUpdate", "kline"];

    public static TheoryData<string, MarketFlavor> Captures => new()
    {
        { "cryptofeed/4fe0297/BINANCE.ws.1.0", MarketFlavor.Spot },
        { "cryptofeed/3525dc8/BINANCE.ws.1.0", MarketFlavor.Spot },
        { "cryptofeed/3525dc8/BINANCE_FUTURES.ws.5.0", MarketFlavor.UsdmFutures },
        { "cryptofeed/906605d/BINANCE_FUTURES.ws.1.0", MarketFlavor.UsdmFutures },
        { "hftbacktest/spot/btcusdt_20240808.gz", MarketFlavor.Spot },
        { "hftbacktest/spot/btcusdt_20240809.gz", MarketFlavor.Spot },
    };

    [Theory]
    [MemberData(nameof(Captures))]
    public async Task Replay_EveryRecordedPayload_WrittenBackEqualsRecordedBytes(string capture, MarketFlavor flavor)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var path = ReplayFiles.Recording(capture.Split('/'));
        var (source, events) = await ReplayFiles.ReplayAllAsync(new() { Files = [path] });
        using var writer = new BinanceStreamWriter(source.Flavor);

        var messages = capture.StartsWith("hftbacktest", StringComparison.Ordinal)
            ? HftBacktestCaptureReader.ReadFileAsync(path, cancellation)
            : CryptofeedCaptureReader.ReadFileAsync(path, cancellation);
        var recorded = (await messages.ToListAsync(cancellation))
            .Where(m => m.Kind == CapturedMessageKind.StreamEvent && ReplayedTypes.Contains(m.EventType))
            .ToLookup(m => m.EventType, m => Encoding.UTF8.GetString(m.Payload.Span));
        var written = events.All.ToLookup(
            e => e.Trade is not null ? "aggTrade" : e.Depth is not null ? "depthUpdate" : "kline",
            e => ReplayedEvents.Write(writer, e));

        Assert.Equal(flavor, source.Flavor);
        Assert.NotEmpty(recorded["depthUpdate"]);
        foreach (var type in ReplayedTypes)
        {
            // Replay order is by E, capture order by arrival: compared as sorted lists, every payload once.
            Assert.Equal(recorded[type].Order(StringComparer.Ordinal), written[type].Order(StringComparer.Ordinal));
        }

        output.WriteLine(
            $"{capture}: {string.Join(", ", ReplayedTypes.Select(t => $"{recorded[t].Count()} {t}"))} byte-identical; "
            + $"skipped {string.Join(", ", source.SkippedEvents.Select(s => $"{s.Value} {s.Key}"))}");
    }
}
