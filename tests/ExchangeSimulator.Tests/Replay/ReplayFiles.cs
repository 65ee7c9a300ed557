using ExchangeSimulator.Replay;
using Streaming.Testing;

namespace ExchangeSimulator.Tests.Replay;

/// <summary>The vendored real recordings (tests/data/recordings, provenance in its README.md) and loading helpers.</summary>
internal static class ReplayFiles
{
    public static string Root { get; } = RepoPaths.Combine("tests", "data", "recordings");

    public static string BtcUsdtAggTradesCsv => Recording("binance-vision", "BTCUSDT-aggTrades-2026-01-01.csv");

    public static string SpotCryptofeed => Recording("cryptofeed", "4fe0297", "BINANCE.ws.1.0");

    public static string SpotCryptofeedRest => Recording("cryptofeed", "4fe0297", "BINANCE.http.0.0");

    public static string FuturesCryptofeed => Recording("cryptofeed", "906605d", "BINANCE_FUTURES.ws.1.0");

    public static string HftBacktestDay1 => Recording("hftbacktest", "spot", "btcusdt_20240808.gz");

    public static string HftBacktestDay2 => Recording("hftbacktest", "spot", "btcusdt_20240809.gz");

    /// <summary>Fails loudly when a recording is missing: a skipped real-data check would look like a passing one.</summary>
    public static string Recording(params string[] relativePath)
    {
        var path = Path.Combine([Root, .. relativePath]);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Recording {path} is missing from tests/data/recordings.", path);
    }

    public static Task<RecordingSource> LoadAsync(params string[] files) =>
        RecordingSource.LoadAsync(new ReplayOptions { Files = files }, TestContext.Current.CancellationToken);

    /// <summary>Loads <paramref name="options"/> and replays everything.</summary>
    public static async Task<(RecordingSource Source, ReplayedEvents Events)> ReplayAllAsync(ReplayOptions options)
    {
        var source = await RecordingSource.LoadAsync(options, TestContext.Current.CancellationToken);
        var events = new ReplayedEvents();
        source.AdvanceTo(source.EndUs!.Value, events);
        return (source, events);
    }
}
