using Streaming.Contracts.Analytics.V1;
using Streaming.Contracts.Common.V1;
using static TakerVolumeView.Tests.Records;

namespace TakerVolumeView.Tests;

public sealed class FrameRendererTests
{
    private const string Servers = "127.0.0.1:39092";

    [Fact]
    public void Render_ShowsTheWindowFiguresRoundedForDisplay()
    {
        var frame = FrameRenderer.Render(Model(), Context(ansi: false));

        var btc = Row(frame, "BTCUSDT ");
        Assert.Contains("12:00", btc, StringComparison.Ordinal);
        Assert.Contains("1,234,567.89", btc, StringComparison.Ordinal);
        Assert.Contains("1,000,000.00", btc, StringComparison.Ordinal);
        Assert.Contains("55.2", btc, StringComparison.Ordinal);
        Assert.Contains("1,234", btc, StringComparison.Ordinal);
        Assert.Contains("2,000,000.50", btc, StringComparison.Ordinal);
        Assert.Contains("3,000,000.00", btc, StringComparison.Ordinal);
        Assert.Contains("interim r3", btc, StringComparison.Ordinal);
        Assert.Contains("final r9", Row(frame, "ETHUSDT "), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HeaderNamesMarketServersTimeAndCounts()
    {
        var frame = FrameRenderer.Render(Model(), Context(ansi: false));

        var header = frame.Split('\n')[0];
        Assert.Contains("spot", header, StringComparison.Ordinal);
        Assert.Contains(Servers, header, StringComparison.Ordinal);
        Assert.Contains("2024-03-01 12:05:02 UTC", header, StringComparison.Ordinal);
        Assert.Contains("symbols 2 | records 9 | undecodable: 1 | last update 2.0 s ago", frame, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ShowsAlertsReconciliationAndFeedHealth()
    {
        var model = Model();
        model.Metrics = new MetricsSnapshot(12, 5000, 3, 4, ["http://pod-1:9100/metrics: HTTP 503 Service Unavailable"], Now);

        var frame = FrameRenderer.Render(model, Context(ansi: false));

        Assert.Contains("LARGE TRADES  1 alerts", frame, StringComparison.Ordinal);
        var alert = Line(frame, "03-01 12:01:40");
        Assert.Contains("BTCUSDT", alert, StringComparison.Ordinal);
        Assert.Contains("SELL", alert, StringComparison.Ordinal);
        Assert.Contains("250,000.00 USDT", alert, StringComparison.Ordinal);
        Assert.Contains("MATCH 1 | EXCHANGE_ROUNDING 0 | MISSING_TRADES 1 | INCOMPLETE_START 0 | MISMATCH 0", frame, StringComparison.Ordinal);
        var miss = Line(frame, "trade ids 812..815 missing");
        Assert.Contains("BTCUSDT", miss, StringComparison.Ordinal);
        Assert.Contains("MISSING_TRADES", miss, StringComparison.Ordinal);
        Assert.Contains("11:45", miss, StringComparison.Ordinal);
        Assert.Contains("gaps open 1 (+0 depth, not refillable), filled 0 | duplicates dropped 12 | late trades 3 | accepted trades 5,000 | gaps reported 4", frame, StringComparison.Ordinal);
        Assert.Contains("HTTP 503", frame, StringComparison.Ordinal);
        Assert.Contains("OPEN", Line(frame, "ids 100..102"), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Redirected_HasNoAnsiEscapes()
    {
        var frame = FrameRenderer.Render(Model(), Context(ansi: false));
        TestContext.Current.TestOutputHelper?.WriteLine(frame);

        Assert.DoesNotContain('\u001b', frame);
        Assert.EndsWith("\n", frame, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OnATerminal_HomesClearsLineRestsAndCutsToTheWidth()
    {
        var frame = FrameRenderer.Render(Model(), Context(ansi: true, width: 60));

        Assert.StartsWith(FrameRenderer.Home, frame, StringComparison.Ordinal);
        Assert.EndsWith(FrameRenderer.ClearBelow, frame, StringComparison.Ordinal);
        Assert.DoesNotContain(FrameRenderer.ClearScreen, frame, StringComparison.Ordinal);
        foreach (var line in frame.Split('\n').SkipLast(1))
        {
            var visible = System.Text.RegularExpressions.Regex.Replace(line, @"\u001b\[[0-9;?]*[A-Za-z]", string.Empty);
            Assert.True(visible.Length < 60, $"line of {visible.Length} columns: {visible}");
        }
    }

    [Fact]
    public void Render_TableHasAtMostTopRows()
    {
        var model = new ViewModel(Market.Spot);
        for (var i = 0; i < 30; i++)
        {
            model.Apply("t", $"S{i:00}USDT", null, Window($"S{i:00}USDT", WindowStart, (i * 10).ToString(System.Globalization.CultureInfo.InvariantCulture), "0", 1), Now);
        }

        var frame = FrameRenderer.Render(model, Context(ansi: false, top: 5));

        Assert.Contains("S29USDT", frame, StringComparison.Ordinal);
        Assert.Contains("S25USDT", frame, StringComparison.Ordinal);
        Assert.DoesNotContain("S24USDT", frame, StringComparison.Ordinal);
        Assert.Contains("top 5 of 30 symbols", frame, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EmptyModel_SaysSoAndShowsNoMetricsWithoutUrl()
    {
        var frame = FrameRenderer.Render(new ViewModel(Market.UsdmFutures), Context(ansi: false));

        Assert.Contains("usdm", frame, StringComparison.Ordinal);
        Assert.Contains("no taker-volume records yet", frame, StringComparison.Ordinal);
        Assert.Contains("last update never", frame, StringComparison.Ordinal);
        Assert.Contains("duplicates dropped n/a", frame, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1234567.891", "1,234,567.89")]
    [InlineData("0.004", "0.00")]
    [InlineData("999.995", "1,000.00")]
    [InlineData("0", "0.00")]
    public void Amount_ThousandsSeparatorsAndCents(string exact, string shown) =>
        Assert.Equal(shown, FrameRenderer.Amount(Streaming.Contracts.ExactDecimal.Parse(exact)));

    private static FrameContext Context(bool ansi, int width = 200, int top = 15) =>
        new(Servers, Now.AddSeconds(2), width, ansi, top);

    /// <summary>The table row of a symbol: rows start with it.</summary>
    private static string Row(string frame, string symbol) =>
        frame.Split('\n').Single(line => line.StartsWith(symbol, StringComparison.Ordinal));

    private static string Line(string frame, string containing) =>
        frame.Split('\n').Single(line => line.Contains(containing, StringComparison.Ordinal));

    private static ViewModel Model()
    {
        var model = new ViewModel(Market.Spot);
        model.Apply("tumbling", "BTCUSDT", Versioned(1, 3), Window("BTCUSDT", WindowStart, "1234567.891", "1000000", revision: 3, trades: 1234), Now);
        model.Apply("tumbling", "ETHUSDT", Versioned(1, 9), Window("ETHUSDT", WindowStart, "10", "20", revision: 9, final: true), Now);
        model.Apply("sliding", "BTCUSDT", Versioned(1, 1), Sliding("BTCUSDT", WindowStart + 299_000, "2000000.5", "3000000"), Now);
        model.Apply("alerts", "BTCUSDT", null, Alert("BTCUSDT", 42, WindowStart + 100_000, "250000", Side.TakerSell), Now);
        model.Apply("reconciliation", "BTCUSDT", null, Reconciliation("BTCUSDT", WindowStart - FifteenMinutes, ReconciliationOutcome.MissingTrades, "trade ids 812..815 missing"), Now);
        model.Apply("reconciliation", "ETHUSDT", null, Reconciliation("ETHUSDT", WindowStart - FifteenMinutes, ReconciliationOutcome.Match), Now);
        model.Apply("gaps", "BTCUSDT", null, Gap("BTCUSDT", 100, 102, filled: false), Now);
        model.Apply("gaps", "BTCUSDT", null, Gap("BTCUSDT", 1, 2, filled: false, Market.UsdmFutures), Now);
        model.RecordUndecodable("tumbling");
        return model;
    }
}
