using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Google.Protobuf;
using Streaming.Contracts.Analytics.V1;
using Streaming.Contracts.Common.V1;
using Streaming.Serialization;
using Streaming.Testing;
using static TakerVolumeView.Tests.Records;

namespace TakerVolumeView.Tests;

/// <summary>
/// The whole view in-process against the embedded broker with the catalog's topics: records of every kind, with the
/// processor's version headers, repeats, a zombie's write, an undecodable value and a gap of another market.
/// </summary>
public sealed class ViewIntegrationTests(CatalogKafkaFixture kafka) : IClassFixture<CatalogKafkaFixture>
{
    private const int RecordsProduced = 23;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task View_ReadsEveryTopicFromTheBeginning_AppliesOnlyNewVersions_AndWritesTheSummary()
    {
        var topics = ViewTopics.For(Market.Spot);
        await ProduceEverythingAsync(topics);
        var summaryPath = Path.Combine(Path.GetTempPath(), $"taker-volume-view-{Guid.NewGuid():N}", "summary.json");
        using var metrics = MetricsEndpoint.Start("""
            # TYPE taker_volume_trades_duplicates_total counter
            taker_volume_trades_duplicates_total{task="0_0"} 4
            taker_volume_trades_duplicates_total{task="0_1"} 8
            taker_volume_trades_late_total 1
            taker_volume_trades_accepted_total 700
            taker_volume_gaps_reported_total 2

            """);
        using var output = new CapturingWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);

        // --duration bounds the run; the test stops it as soon as every record was read.
        var run = ViewApp.RunAsync(
            [
                "--bootstrap-servers", kafka.BootstrapServers, "--market", "spot", "--duration", "00:02:00",
                "--refresh", "100ms", "--print-every", "200ms", "--summary-json", summaryPath,
                "--metrics-url", metrics.Url.ToString(), "--metrics-url", "http://127.0.0.1:1/metrics",
            ],
            output,
            stop.Token);
        await Eventually.TrueAsync(
            () => output.Text.Contains($"records {RecordsProduced} |", StringComparison.Ordinal) && output.Text.Contains("duplicates dropped 12", StringComparison.Ordinal),
            Deadline,
            $"the view to read all {RecordsProduced} records and scrape the metrics",
            Token);
        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(Deadline, Token));

        var text = output.Text;
        Assert.DoesNotContain('\u001b', text);
        Assert.Contains("250,000.12", text, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1", text, StringComparison.Ordinal);

        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(summaryPath, Token));
        var root = summary.RootElement;
        Assert.Equal("spot", root.GetProperty("market").GetString());
        Assert.Equal(RecordsProduced, root.GetProperty("recordsRead").GetInt64());
        Assert.Equal(1, root.GetProperty("undecodable").GetInt64());
        Assert.Equal(2, root.GetProperty("outputRepeatsDropped").GetInt64());
        Assert.Equal(1, root.GetProperty("outputStaleDropped").GetInt64());
        Assert.Equal(12, root.GetProperty("duplicatesDropped").GetDouble());
        Assert.Equal(1, root.GetProperty("lateTrades").GetDouble());

        var symbols = root.GetProperty("symbols");
        Assert.Equal(["BTCUSDT", "ETHUSDT"], symbols.EnumerateObject().Select(p => p.Name));
        var btc = symbols.GetProperty("BTCUSDT");
        var btcWindow = btc.GetProperty("window");
        Assert.Equal(WindowStart, btcWindow.GetProperty("start").GetInt64());
        Assert.Equal("250000.12345678", btcWindow.GetProperty("buy").GetString());
        Assert.Equal("125000", btcWindow.GetProperty("sell").GetString());
        Assert.Equal(2, btcWindow.GetProperty("revision").GetInt64());
        Assert.False(btcWindow.GetProperty("final").GetBoolean());
        var btcTrailing = btc.GetProperty("trailing");
        Assert.Equal("300000", btcTrailing.GetProperty("buy").GetString());
        Assert.Equal("150000", btcTrailing.GetProperty("sell").GetString());
        Assert.Equal(WindowStart + 120_000, btcTrailing.GetProperty("end").GetInt64());
        var ethWindow = symbols.GetProperty("ETHUSDT").GetProperty("window");
        Assert.Equal("11", ethWindow.GetProperty("buy").GetString());
        Assert.Equal(2, ethWindow.GetProperty("revision").GetInt64());
        Assert.True(ethWindow.GetProperty("final").GetBoolean());

        var alerts = root.GetProperty("alerts");
        Assert.Equal(2, alerts.GetProperty("count").GetInt64());
        Assert.Equal(["ETHUSDT", "BTCUSDT"], alerts.GetProperty("last").EnumerateArray().Select(a => a.GetProperty("symbol").GetString()));

        var counts = root.GetProperty("reconciliation").GetProperty("counts");
        Assert.Equal(2, counts.GetProperty("MATCH").GetInt64());
        Assert.Equal(0, counts.GetProperty("MISSING_TRADES").GetInt64());
        Assert.Equal(1, counts.GetProperty("INCOMPLETE_START").GetInt64());
        var nonMatch = Assert.Single(root.GetProperty("reconciliation").GetProperty("recentNonMatches").EnumerateArray());
        Assert.Equal("SOLUSDT", nonMatch.GetProperty("symbol").GetString());

        var gaps = root.GetProperty("gaps");
        Assert.Equal(1, gaps.GetProperty("open").GetInt64());
        Assert.Equal(1, gaps.GetProperty("filled").GetInt64());
    }

    [Fact]
    public async Task View_Duration_ExitsZeroByItself_AndWritesTheSummary()
    {
        var summaryPath = Path.Combine(Path.GetTempPath(), $"taker-volume-view-{Guid.NewGuid():N}.json");
        using var output = new CapturingWriter();

        var exit = await ViewApp.RunAsync(
            ["--bootstrap-servers", kafka.BootstrapServers, "--market", "usdm", "--duration", "1s", "--print-every", "200ms", "--summary-json", summaryPath],
            output,
            Token).WaitAsync(Deadline, Token);

        Assert.Equal(0, exit);
        Assert.Contains("TAKER VOLUME  usdm", output.Text, StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(summaryPath, Token));
        Assert.Equal("usdm", summary.RootElement.GetProperty("market").GetString());
        Assert.Equal(JsonValueKind.Null, summary.RootElement.GetProperty("duplicatesDropped").ValueKind);
        File.Delete(summaryPath);
    }

    [Fact]
    public async Task View_OnATerminal_DrawsInPlace_AndRestoresTheCursorAtExit()
    {
        using var output = new CapturingWriter();
        var console = new ViewConsole(output, output, Terminal: true, () => 100, TimeProvider.System);

        var exit = await ViewApp.RunAsync(["--bootstrap-servers", kafka.BootstrapServers, "--duration", "1s", "--refresh", "100ms"], console, Token)
            .WaitAsync(Deadline, Token);

        Assert.Equal(0, exit);
        var text = output.Text;
        Assert.StartsWith(FrameRenderer.HideCursor + FrameRenderer.ClearScreen + FrameRenderer.Home, text, StringComparison.Ordinal);
        Assert.EndsWith(FrameRenderer.ClearBelow + FrameRenderer.Reset + FrameRenderer.ShowCursor, text, StringComparison.Ordinal);
        Assert.True(text.Split(FrameRenderer.Home).Length > 3, "several frames drawn");
    }

    [Fact]
    public async Task View_UnreachableBroker_ShowsTheErrorAndStillExitsZero()
    {
        using var output = new CapturingWriter();

        var exit = await ViewApp.RunAsync(["--bootstrap-servers", "127.0.0.1:1", "--duration", "2s", "--print-every", "200ms"], output, Token)
            .WaitAsync(Deadline, Token);

        Assert.Equal(0, exit);
        Assert.Contains("last error", output.Text, StringComparison.Ordinal);
    }

    private async Task ProduceEverythingAsync(ViewTopics topics)
    {
        using var producer = new ProducerBuilder<string, byte[]>(kafka.ProducerConfig()).Build();
        var previous = WindowStart - FifteenMinutes;

        // Tumbling: revisions 1 and 2, a replay of 1, the previous window's final after the current one, a zombie's write.
        await ProduceAsync(producer, topics.Tumbling, "BTCUSDT", Window("BTCUSDT", WindowStart, "100000.5", "50000", 1), Versioned(1, 1));
        await ProduceAsync(producer, topics.Tumbling, "BTCUSDT", Window("BTCUSDT", WindowStart, "250000.12345678", "125000", 2), Versioned(1, 2));
        await ProduceAsync(producer, topics.Tumbling, "BTCUSDT", Window("BTCUSDT", WindowStart, "100000.5", "50000", 1), Versioned(1, 1));
        await ProduceAsync(producer, topics.Tumbling, "BTCUSDT", Window("BTCUSDT", previous, "7", "7", 9, final: true), Versioned(1, 9));
        await ProduceAsync(producer, topics.Tumbling, "ETHUSDT", Window("ETHUSDT", WindowStart, "10", "30", 1), Versioned(2, 1));
        await ProduceAsync(producer, topics.Tumbling, "ETHUSDT", Window("ETHUSDT", WindowStart, "999", "999", 7), Versioned(1, 7));
        await ProduceAsync(producer, topics.Tumbling, "ETHUSDT", Window("ETHUSDT", WindowStart, "11", "31", 2, final: true), Versioned(2, 2));
        await producer.ProduceAsync(topics.Tumbling, new Message<string, byte[]> { Key = "BTCUSDT", Value = [0xff, 0x00, 0x13], Headers = [] }, Token);

        // Sliding: two versions and a replay of the first.
        await ProduceAsync(producer, topics.Sliding, "BTCUSDT", Sliding("BTCUSDT", WindowStart + 60_000, "1", "2"), Versioned(1, 1));
        await ProduceAsync(producer, topics.Sliding, "BTCUSDT", Sliding("BTCUSDT", WindowStart + 120_000, "300000", "150000"), Versioned(1, 2));
        await ProduceAsync(producer, topics.Sliding, "BTCUSDT", Sliding("BTCUSDT", WindowStart + 60_000, "1", "2"), Versioned(1, 1));
        await ProduceAsync(producer, topics.Sliding, "ETHUSDT", Sliding("ETHUSDT", WindowStart + 100_000, "40", "50"), Versioned(1, 1));

        // Alerts: two trades, one written twice.
        await ProduceAsync(producer, topics.Alerts, "BTCUSDT", Alert("BTCUSDT", 1, WindowStart + 1000, "150000"), null);
        await ProduceAsync(producer, topics.Alerts, "ETHUSDT", Alert("ETHUSDT", 2, WindowStart + 5000, "120000", Side.TakerSell), null);
        await ProduceAsync(producer, topics.Alerts, "BTCUSDT", Alert("BTCUSDT", 1, WindowStart + 1000, "150000"), null);

        // Reconciliation of the previous window: BTCUSDT's missing trades were backfilled, then it matched.
        await ProduceAsync(producer, topics.Reconciliation, "BTCUSDT", Reconciliation("BTCUSDT", previous, ReconciliationOutcome.MissingTrades, "trade ids 812..815 missing"), Versioned(1, 1));
        await ProduceAsync(producer, topics.Reconciliation, "ETHUSDT", Reconciliation("ETHUSDT", previous, ReconciliationOutcome.Match), Versioned(1, 1));
        await ProduceAsync(producer, topics.Reconciliation, "SOLUSDT", Reconciliation("SOLUSDT", previous, ReconciliationOutcome.IncompleteStart, "began inside the window"), Versioned(1, 1));
        await ProduceAsync(producer, topics.Reconciliation, "BTCUSDT", Reconciliation("BTCUSDT", previous, ReconciliationOutcome.Match, revision: 2), Versioned(1, 2));

        // Gaps: one filled, one open, one of the other market.
        await ProduceAsync(producer, topics.Gaps, "BTCUSDT", Gap("BTCUSDT", 100, 102, filled: false), null);
        await ProduceAsync(producer, topics.Gaps, "BTCUSDT", Gap("BTCUSDT", 100, 102, filled: true), null);
        await ProduceAsync(producer, topics.Gaps, "ETHUSDT", Gap("ETHUSDT", 5, 5, filled: false), null);
        await ProduceAsync(producer, topics.Gaps, "BTCUSDT", Gap("BTCUSDT", 1, 2, filled: false, Market.UsdmFutures), null);
    }

    private static async Task ProduceAsync<T>(IProducer<string, byte[]> producer, string topic, string key, T value, Headers? headers)
        where T : IMessage<T>, new()
    {
        headers ??= [];
        var bytes = await new ProtobufSerializer<T>().SerializeAsync(value, new SerializationContext(MessageComponentType.Value, topic, headers));
        await producer.ProduceAsync(topic, new Message<string, byte[]> { Key = key, Value = bytes, Headers = headers }, Token);
    }

    /// <summary>A Prometheus endpoint on 127.0.0.1 answering every request with the same text.</summary>
    private sealed class MetricsEndpoint : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly string _body;

        private MetricsEndpoint(string body, int port)
        {
            _body = body;
            Url = new Uri($"http://127.0.0.1:{port}/metrics");
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        }

        public Uri Url { get; }

        public static MetricsEndpoint Start(string body)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var endpoint = new MetricsEndpoint(body, port);
            endpoint._listener.Start();
            _ = endpoint.ServeAsync();
            return endpoint;
        }

        public void Dispose() => _listener.Close();

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                var bytes = Encoding.UTF8.GetBytes(_body);
                context.Response.ContentType = "text/plain; version=0.0.4";
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        }
    }
}
