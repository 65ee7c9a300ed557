using System.Net.Http.Json;
using ExchangeSimulator.Faults;
using Streaming.Contracts.Ops.V1;
using Streaming.Testing;

namespace Ingest.Tests.EndToEnd;

/// <summary>
/// Through real sockets, a real Kafka protocol and the exchange simulator's injected faults: every aggregate trade
/// the exchange produced reaches the raw topic at least once, except what its own history lacks, which is
/// reported as a feed gap.
/// </summary>
public sealed class IngestEndToEndTests(CatalogKafkaFixture kafka) : IClassFixture<CatalogKafkaFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DropsAnd1011s_LoseNoTrade_AndAHoleInTheExchangesHistoryIsReported()
    {
        await using var pipeline = await IngestPipeline.StartAsync(kafka, seed: 21);
        using var control = new HttpClient { BaseAddress = pipeline.Simulator.ControlUrl };
        await pipeline.StartClockWhenSubscribedAsync(connections: 3, streams: 36);
        await Eventually.TrueAsync(() => Flowing(pipeline), Deadline, "trades to reach the raw topic", Token);

        // Faults: every connection dropped without a close frame, then closed with 1011, while trades keep coming.
        await InjectAsync(control, new ConnectionFault { Kind = ConnectionFaultKind.Drop });
        await Eventually.TrueAsync(() => Reconnected(pipeline), Deadline, "the pod to reconnect after the drop", Token);
        await InjectAsync(control, new ConnectionFault { Kind = ConnectionFaultKind.Close, CloseCode = 1011 });
        await Eventually.TrueAsync(() => Reconnected(pipeline), Deadline, "the pod to reconnect after 1011", Token);

        // A hole in the exchange's own history a few seconds ahead: never streamed, never served by REST.
        var first = pipeline.Truth("BTCUSDT")[^1].AggregateId + 60;
        (await control.PostAsJsonAsync("markets/spot/holes", new { symbol = "BTCUSDT", firstId = first, lastId = first + 2, withheldFromStreams = true }, Token)).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(() => pipeline.Truth("BTCUSDT")[^1].AggregateId > first + 30, Deadline, "the market to pass the hole", Token);
        await pipeline.StopClockAsync();

        bool InHole(string symbol, long id) => symbol == "BTCUSDT" && id >= first && id <= first + 2;
        await pipeline.AssertEveryTradeArrivesAsync(InHole, Deadline);
        await Eventually.TrueAsync(
            () =>
            {
                pipeline.Poll(TimeSpan.FromMilliseconds(200));
                return pipeline.Gaps.Any(g => g.Symbol == "BTCUSDT" && g.Kind == FeedGapKind.AggTradeIds && g.MissingIds.First == first && g.MissingIds.Last == first + 2);
            },
            Deadline,
            "the hole reported as a feed gap",
            Token);
        Assert.DoesNotContain(pipeline.Gaps, g => g.Kind == FeedGapKind.AggTradeIds && !(g.Symbol == "BTCUSDT" && g.MissingIds.First >= first && g.MissingIds.Last <= first + 2));

        // Depth has no history: what the drops cost is reported per symbol with the exact update ids.
        Assert.Contains(pipeline.Gaps, g => g.Kind == FeedGapKind.DepthUpdateIds && g.MissingIds.Last >= g.MissingIds.First && g.Region == "a");
    }

    [Fact]
    public async Task StallShutdownRotationRegionDownAndRestThrottling_LoseNoTrade()
    {
        await using var pipeline = await IngestPipeline.StartAsync(
            kafka,
            seed: 22,
            "--Ingest:ConnectionSilenceTimeout=00:00:01",
            "--Ingest:RotateAfter=00:00:05");
        using var control = new HttpClient { BaseAddress = pipeline.Simulator.ControlUrl };
        await pipeline.StartClockWhenSubscribedAsync(connections: 3, streams: 36);
        await Eventually.TrueAsync(() => Flowing(pipeline), Deadline, "trades to reach the raw topic", Token);
        var connections = pipeline.Exchange.Region("a").Region.Connections().Select(c => c.Id).ToHashSet();

        // A stall: the socket stays open but nothing comes; the pod must call it dead and reconnect.
        await InjectAsync(control, new ConnectionFault { Kind = ConnectionFaultKind.Stall, Duration = TimeSpan.FromSeconds(30) });
        await Eventually.TrueAsync(
            () => pipeline.Exchange.Region("a").Region.Connections() is { Count: 3 } open && open.All(c => !connections.Contains(c.Id) && c.MessagesSent > 0),
            Deadline,
            "three fresh connections after the stall",
            Token);

        // serverShutdown: replaced make-before-break; REST refusing with 429 while the pod verifies after a drop.
        await InjectAsync(control, new ConnectionFault { Kind = ConnectionFaultKind.ServerShutdown });
        (await control.PostAsJsonAsync("markets/spot/regions/a/rest-throttle", new { status = 429, durationMs = 1500, retryAfterSeconds = 1 }, Token)).EnsureSuccessStatusCode();
        await InjectAsync(control, new ConnectionFault { Kind = ConnectionFaultKind.Drop });
        await Eventually.TrueAsync(() => Reconnected(pipeline), Deadline, "the pod to reconnect after the drop", Token);

        // The region goes down for two seconds: handshakes refused, then back.
        (await control.PostAsJsonAsync("markets/spot/regions/a/down", new { durationMs = 2000 }, Token)).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(() => Reconnected(pipeline), Deadline, "the pod to come back after the region outage", Token);

        // Let rotations (every 5 s) happen on top, then freeze the exchange and compare.
        var ids = pipeline.Exchange.Region("a").Region.Connections().Select(c => c.Id).ToHashSet();
        await Eventually.TrueAsync(
            () => pipeline.Exchange.Region("a").Region.Connections() is { Count: >= 3 } open && open.All(c => !ids.Contains(c.Id)),
            Deadline,
            "rotated connections",
            Token);
        await pipeline.StopClockAsync();

        await pipeline.AssertEveryTradeArrivesAsync(null, Deadline);
        var tradeGaps = pipeline.Gaps.Where(g => g.Kind == FeedGapKind.AggTradeIds).ToList();
        Assert.True(tradeGaps.Count == 0, "trade gaps reported although nothing is missing: " + string.Join("; ", tradeGaps.Select(g => $"{g.Symbol} {g.MissingIds} {g.Detail}")));
    }

    [Fact]
    public async Task UsdmFutures_SplitPaths_DropLosesNoTrade()
    {
        await using var pipeline = await IngestPipeline.StartAsync(kafka, seed: 23, ExchangeSimulator.Market.MarketFlavor.UsdmFutures);
        using var control = new HttpClient { BaseAddress = pipeline.Simulator.ControlUrl };

        // /market/stream: aggTrade + kline of 12 symbols on 2 connections; /public/stream: 12 depth streams on 1.
        await pipeline.StartClockWhenSubscribedAsync(connections: 3, streams: 36);
        Assert.Equal(2, pipeline.Exchange.Region("a").Region.Connections().Count(c => c.Path.StartsWith("/market/", StringComparison.Ordinal)));
        await Eventually.TrueAsync(() => Flowing(pipeline), Deadline, "trades to reach the raw topic", Token);
        (await control.PostAsJsonAsync("markets/futures/regions/a/faults", new ConnectionFault { Kind = ConnectionFaultKind.Drop }, Token)).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(() => Reconnected(pipeline), Deadline, "the pod to reconnect after the drop", Token);
        await Eventually.TrueAsync(() => pipeline.Truth("BTCUSDT").Count > 200, Deadline, "more trades", Token);
        await pipeline.StopClockAsync();

        await pipeline.AssertEveryTradeArrivesAsync(null, Deadline);
    }

    [Fact]
    public async Task Restart_TheNewPodFetchesWhatTradedWhileNoneListened()
    {
        await using var pipeline = await IngestPipeline.StartAsync(kafka, seed: 24);
        await pipeline.StartClockWhenSubscribedAsync(connections: 3, streams: 36);
        await Eventually.TrueAsync(() => Flowing(pipeline), Deadline, "trades to reach the raw topic", Token);

        await pipeline.RestartIngestAsync(downtime: TimeSpan.FromSeconds(3));
        await Eventually.TrueAsync(() => Reconnected(pipeline), Deadline, "the new pod to subscribe", Token);
        var until = pipeline.Truth("BTCUSDT").Count + 100;
        await Eventually.TrueAsync(() => pipeline.Truth("BTCUSDT").Count > until, Deadline, "trades after the restart", Token);
        await pipeline.StopClockAsync();

        await pipeline.AssertEveryTradeArrivesAsync(null, Deadline);
    }

    [Fact]
    public async Task KafkaRefusingRecords_LosesNoTrade_TradesAreFetchedAgain()
    {
        await using var pipeline = await IngestPipeline.StartAsync(kafka, seed: 25);
        await pipeline.StartClockWhenSubscribedAsync(connections: 3, streams: 36);
        await Eventually.TrueAsync(() => Flowing(pipeline), Deadline, "trades to reach the raw topic", Token);

        // The brokers refuse the next produce requests for good (a record too large): the producer gives those
        // records up, and the pod must not lose them silently.
        kafka.Cluster.PushRequestErrors(Streaming.EmbeddedKafka.KafkaApiKey.Produce, [.. Enumerable.Repeat(Confluent.Kafka.ErrorCode.MsgSizeTooLarge, 6)]);
        var until = pipeline.Truth("BTCUSDT").Count + 150;
        await Eventually.TrueAsync(() => pipeline.Truth("BTCUSDT").Count > until, Deadline, "trades after the refusals", Token);
        await pipeline.StopClockAsync();

        await pipeline.AssertEveryTradeArrivesAsync(null, Deadline);
    }

    [Fact]
    public async Task AStreamThatStopsOnAnOpenConnection_IsDeadAndItsConnectionReplaced()
    {
        await using var pipeline = await IngestPipeline.StartAsync(kafka, seed: 26, "--Ingest:KlineSilenceTimeout=00:00:06");
        using var control = new HttpClient { BaseAddress = pipeline.Simulator.ControlUrl };
        await pipeline.StartClockWhenSubscribedAsync(connections: 3, streams: 36);
        await Eventually.TrueAsync(() => Flowing(pipeline), Deadline, "trades to reach the raw topic", Token);
        var before = pipeline.Exchange.Region("a").Region.Connections().Select(c => c.Id).ToHashSet();

        // Every connection keeps its socket, its pings and its other streams; only the BTCUSDT kline stops.
        await InjectAsync(control, new ConnectionFault { Kind = ConnectionFaultKind.WithholdStream, Stream = "btcusdt@kline_15m" });
        // (Not "only it": on a loaded machine another quiet kline may cross the timeout too, which is the same rule.)
        await Eventually.TrueAsync(
            () => pipeline.Exchange.Region("a").Region.Connections() is { Count: 3 } open
                && open.Any(c => !before.Contains(c.Id))
                && open.All(c => c.MessagesSent > 0),
            Deadline,
            "the connection carrying btcusdt@kline_15m replaced by one that delivers",
            Token);
    }

    [Fact]
    public async Task AConnectionFallingBehind_IsReportedInTheMetrics()
    {
        await using var pipeline = await IngestPipeline.StartAsync(kafka, seed: 27, "--Ingest:LagReportThreshold=00:00:00.300");
        using var control = new HttpClient { BaseAddress = pipeline.Simulator.ControlUrl };
        await pipeline.StartClockWhenSubscribedAsync(connections: 3, streams: 36);
        await Eventually.TrueAsync(() => Flowing(pipeline), Deadline, "trades to reach the raw topic", Token);
        using var metrics = new HttpClient { BaseAddress = new Uri(pipeline.Ingest.Urls.First()) };
        var before = await LaggingAsync(metrics);

        // Every message held back 100 ms: the backlog, and with it the lag, grows past the threshold.
        await InjectAsync(control, new ConnectionFault { Kind = ConnectionFaultKind.Slow, Delay = TimeSpan.FromMilliseconds(100), Duration = TimeSpan.FromSeconds(20) });
        await Eventually.TrueAsync(
            async () => await LaggingAsync(metrics) > before + 20,
            Deadline,
            "lagging events counted in the metrics",
            Token);
    }

    /// <summary>The value of <c>ingest_connection_lagging_total</c> on the pod's /metrics (0 before the first).</summary>
    private static async Task<double> LaggingAsync(HttpClient metrics)
    {
        foreach (var line in (await metrics.GetStringAsync("metrics", Token)).Split('\n'))
        {
            if (line.StartsWith("ingest_connection_lagging_total", StringComparison.Ordinal))
            {
                return double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    private static bool Flowing(IngestPipeline pipeline)
    {
        pipeline.Poll(TimeSpan.FromMilliseconds(200));
        return pipeline.Missing().Count < pipeline.Truth("BTCUSDT").Count;
    }

    private static bool Reconnected(IngestPipeline pipeline) =>
        pipeline.Exchange.Region("a").Region.Connections().Count > 0
        && pipeline.Exchange.Region("a").Region.Connections().All(c => c.MessagesSent > 0);

    private static async Task InjectAsync(HttpClient control, ConnectionFault fault)
    {
        var response = await control.PostAsJsonAsync("markets/spot/regions/a/faults", fault, Token);
        response.EnsureSuccessStatusCode();
    }
}
