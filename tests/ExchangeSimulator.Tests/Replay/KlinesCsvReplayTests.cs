using System.Text.Json;
using ExchangeSimulator.Formats;
using ExchangeSimulator.Market;
using Streaming.Contracts;

namespace ExchangeSimulator.Tests.Replay;

/// <summary>data.binance.vision klines CSV: served by REST as time passes, emitted as closed kline events at their close.</summary>
public sealed class KlinesCsvReplayTests
{
    private const long OpenMs = 1_767_225_600_000; // 2026-01-01T00:00:00Z

    [Theory]
    [InlineData(false, true)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task Replay_KlinesCsv_ServesRecordedKlinesAndEmitsEachAtItsClose(bool microseconds, bool header)
    {
        using var folder = new TempDirectory();
        var unit = microseconds ? 1_000L : 1L;
        var rows = new[]
        {
            Row(0, "87648.21000000", "87700.00000000", "87600.00000000", "87650.00000000", "12.50000000", "1095600.00000000", 420),
            Row(1, "87650.00000000", "87655.10000000", "87640.00000000", "87641.00000000", "3.00000000", "262950.00000000", 120),
            Row(2, "87641.00000000", "87641.00000000", "87630.00000000", "87630.50000000", "1.25000000", "109540.00000000", 33),
        };
        var lines = rows.Select(r => string.Join(',', r.OpenMs * unit, r.Open, r.High, r.Low, r.Close, r.Volume, ((r.OpenMs + 60_000) * unit) - 1, r.QuoteVolume, r.Count, "6.25000000", "547800.00000000", "0"));
        var path = folder.Write(
            "BTCUSDT-1m-2026-01-01.csv",
            [.. header ? ["open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore"] : Array.Empty<string>(), .. lines]);

        var source = await ReplayFiles.LoadAsync(path);
        var events = new ReplayedEvents();
        var openUs = OpenMs * 1000;
        var firstCloseUs = openUs + 60_000_000 - (microseconds ? 1 : 1000);

        Assert.True(source.ProvidesKlines);
        Assert.Equal(openUs, source.StartUs);
        Assert.Equal(firstCloseUs + 120_000_000, source.EndUs);
        Assert.Equal("87648.21000000", ExactDecimal.Format(Assert.Single(source.Symbols).InitialPrice));
        Assert.Empty(source.GetRecordedKlines("BTCUSDT", KlineInterval.OneMinute)!);
        Assert.Null(source.GetRecordedKlines("BTCUSDT", KlineInterval.FifteenMinutes));

        source.AdvanceTo(openUs + 30_000_000, events);
        var open = Assert.Single(source.GetRecordedKlines("BTCUSDT", KlineInterval.OneMinute)!);
        Assert.False(open.IsClosed);
        Assert.Equal("87650.00000000", ExactDecimal.Format(open.Close));
        Assert.Empty(events.All);

        source.AdvanceTo(firstCloseUs, events);
        var (emitted, eventTimeUs) = Assert.Single(events.Klines);
        Assert.Equal(firstCloseUs, eventTimeUs);
        Assert.True(emitted.IsClosed);
        Assert.Equal(Assert.Single(source.GetRecordedKlines("BTCUSDT", KlineInterval.OneMinute)!), emitted);

        source.AdvanceTo(source.EndUs!.Value, events);
        var served = source.GetRecordedKlines("BTCUSDT", KlineInterval.OneMinute)!;
        Assert.Equal(3, served.Count);
        Assert.All(served, k => Assert.True(k.IsClosed));
        Assert.Equal(served, events.Klines.Select(k => k.Kline));
        Assert.Equal(served.Select(k => k.OpenTimeUs + 60_000_000 - (microseconds ? 1 : 1000)), events.Klines.Select(k => k.EventTimeUs));
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(rows[i].Open, ExactDecimal.Format(served[i].Open));
            Assert.Equal(rows[i].High, ExactDecimal.Format(served[i].High));
            Assert.Equal(rows[i].Low, ExactDecimal.Format(served[i].Low));
            Assert.Equal(rows[i].Volume, ExactDecimal.Format(served[i].BaseVolume));
            Assert.Equal(rows[i].QuoteVolume, ExactDecimal.Format(served[i].QuoteVolume));
            Assert.Equal(rows[i].Count, served[i].TradeCount);
            Assert.Equal("6.25000000", ExactDecimal.Format(served[i].TakerBuyBaseVolume));
            Assert.Equal("547800.00000000", ExactDecimal.Format(served[i].TakerBuyQuoteVolume));
        }

        // As a stream event: Binance's T and E, the recorded text, and -1 for the trade ids the archive does not have.
        using var writer = new BinanceStreamWriter(MarketFlavor.Spot);
        using var json = JsonDocument.Parse(ReplayedEvents.Write(writer, events.All[0]));
        var k = json.RootElement.GetProperty("k");
        Assert.Equal(OpenMs + 59_999, json.RootElement.GetProperty("E").GetInt64());
        Assert.Equal(OpenMs, k.GetProperty("t").GetInt64());
        Assert.Equal(OpenMs + 59_999, k.GetProperty("T").GetInt64());
        Assert.Equal("1m", k.GetProperty("i").GetString());
        Assert.Equal((-1, -1), (k.GetProperty("f").GetInt64(), k.GetProperty("L").GetInt64()));
        Assert.Equal("87648.21000000", k.GetProperty("o").GetString());
        Assert.True(k.GetProperty("x").GetBoolean());
    }

    [Fact]
    public async Task Replay_KlinesCsvNamedOtherwise_NeedsTheSymbolAndInfersTheInterval()
    {
        using var folder = new TempDirectory();
        var path = folder.Write("my-export.csv", $"{OpenMs},1.0,1.0,1.0,1.0,2.0,{OpenMs + 900_000 - 1},2.0,1,1.0,1.0,0");

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => ReplayFiles.LoadAsync(path));
        var source = await ExchangeSimulator.Replay.RecordingSource.LoadAsync(new() { Files = [path], Symbol = "ethusdt" }, TestContext.Current.CancellationToken);

        Assert.Contains(path, refused.Message, StringComparison.Ordinal);
        Assert.Equal("ETHUSDT", Assert.Single(source.Symbols).Name);
        Assert.NotNull(source.GetRecordedKlines("ETHUSDT", KlineInterval.FifteenMinutes));
    }

    private static KlineRow Row(int minute, string open, string high, string low, string close, string volume, string quoteVolume, long count) =>
        new(OpenMs + (minute * 60_000L), open, high, low, close, volume, quoteVolume, count);

    private sealed record KlineRow(long OpenMs, string Open, string High, string Low, string Close, string Volume, string QuoteVolume, long Count);
}
