using System.Diagnostics;
using ExchangeSimulator.WebSockets;
using Streaming.Testing;

namespace Ingest.Tests.EndToEnd;

/// <summary>
/// Binance lists and delists symbols while the pods run (issue 6): a listing is subscribed and a delisting
/// unsubscribed live, on the connections already open, within the exchange's message rate, and the new symbol's
/// trades reach the raw topic from its first one on.
/// </summary>
public sealed class IngestListingTests(CatalogKafkaFixture kafka) : IClassFixture<CatalogKafkaFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Longer than a delisting can stay unnoticed here (the last kline push up to 2 s before it, then up to one refresh
    /// of 5 s and the paced UNSUBSCRIBE), so only a kline stream still watched after its UNSUBSCRIBE can trip it.
    /// </summary>
    private static readonly TimeSpan KlineSilence = TimeSpan.FromSeconds(9);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AListingAndADelisting_AreFollowedLiveOnTheOpenConnections()
    {
        // 12 symbols, SUIUSDT and LTCUSDT not listed yet: ten symbols, 30 streams on connections of at most 12.
        // Enough trades that no listed symbol's kline goes quiet for the kline timeout.
        await using var pipeline = await IngestPipeline.StartAsync(
            kafka,
            new PipelineExchange(Seed: 28) { TradesPerSecond = 400, Unlisted = ["SUIUSDT", "LTCUSDT"] },
            "--Ingest:Symbols:RefreshInterval=00:00:05",
            $"--Ingest:KlineSilenceTimeout={KlineSilence}");
        await pipeline.StartClockWhenSubscribedAsync(connections: 3, streams: 30);
        await Eventually.TrueAsync(() => Flowing(pipeline), Deadline, "trades to reach the raw topic", Token);
        var region = pipeline.Exchange.Region("a").Region;
        var connections = region.Connections().Select(c => c.Id).ToHashSet();
        Assert.DoesNotContain(connections, id => region.Subscriptions(id)!.Any(s => s.StartsWith("suiusdt@", StringComparison.Ordinal)));
        var delisted = connections.Single(id => region.Subscriptions(id)!.Contains("ethusdt@aggTrade"));
        using var metrics = new HttpClient { BaseAddress = new Uri(pipeline.Ingest.Urls.First()) };
        var reconnects = await ReconnectsAsync(metrics);

        // The exchange lists SUIUSDT and delists ETHUSDT; the pod learns it only from its next exchangeInfo.
        using var control = new HttpClient { BaseAddress = pipeline.Simulator.ControlUrl };
        (await control.PostAsync("markets/spot/symbols/SUIUSDT/list", null, Token)).EnsureSuccessStatusCode();
        (await control.PostAsync("markets/spot/symbols/ETHUSDT/delist", null, Token)).EnsureSuccessStatusCode();
        var sinceDelisting = Stopwatch.StartNew();
        var ethTrades = pipeline.Truth("ETHUSDT").Count;

        // 1. The listing: its three streams subscribed on a connection already open.
        await Eventually.TrueAsync(
            () => connections.Any(id => region.Subscriptions(id) is { } streams
                && streams.Contains("suiusdt@aggTrade") && streams.Contains("suiusdt@depth@100ms") && streams.Contains("suiusdt@kline_15m")),
            Deadline,
            "SUIUSDT's streams subscribed on an open connection",
            Token);

        // 2. The delisting: its streams unsubscribed from the connection that carried them, which stays open.
        await Eventually.TrueAsync(
            () => region.Subscriptions(delisted) is { } streams && !streams.Any(s => s.StartsWith("ethusdt@", StringComparison.Ordinal)),
            Deadline,
            "ETHUSDT's streams unsubscribed from connection " + delisted,
            Token);

        // 3. ETHUSDT's kline is silent from the delisting on: once past the kline timeout (and a reconnect's time), the
        // connections are still the same ones, none refused for its message rate (1008), and the pod counted no reconnect.
        await Eventually.TrueAsync(
            () => sinceDelisting.Elapsed > KlineSilence + TimeSpan.FromSeconds(1.5) && pipeline.Truth("SUIUSDT").Count > 50,
            Deadline,
            "the kline timeout to pass after the delisting, and SUIUSDT to trade",
            Token);
        Assert.Equal(connections.Order(), region.Connections().Select(c => c.Id).Order());
        Assert.Equal(0, region.ClosedConnections(DisconnectReason.IncomingRateLimit));
        Assert.Equal(reconnects, await ReconnectsAsync(metrics));
        Assert.Equal(30, region.Connections().Sum(c => c.Streams));
        Assert.DoesNotContain(connections, id => region.Subscriptions(id)!.Any(s => s.StartsWith("ltcusdt@", StringComparison.Ordinal)));
        await pipeline.StopClockAsync();

        // Every trade the exchange produced is in the raw topic: ETHUSDT's until its delisting (it traded no more), and
        // SUIUSDT's from its very first, including those before the pod noticed the listing.
        Assert.Equal(ethTrades, pipeline.Truth("ETHUSDT").Count);
        Assert.Empty(pipeline.Truth("LTCUSDT"));
        await pipeline.AssertEveryTradeArrivesAsync(null, Deadline);
        Assert.DoesNotContain(pipeline.Gaps, g => g.Kind == Streaming.Contracts.Ops.V1.FeedGapKind.AggTradeIds);
    }

    /// <summary>The sum of <c>ingest_connections_reconnects_total</c> over its reasons on the pod's /metrics (0 before the first).</summary>
    private static async Task<double> ReconnectsAsync(HttpClient metrics)
    {
        var total = 0.0;
        foreach (var line in (await metrics.GetStringAsync("metrics", Token)).Split('\n'))
        {
            if (line.StartsWith("ingest_connections_reconnects_total", StringComparison.Ordinal))
            {
                total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    private static bool Flowing(IngestPipeline pipeline)
    {
        pipeline.Poll(TimeSpan.FromMilliseconds(200));
        return pipeline.Missing().Count < pipeline.Truth("BTCUSDT").Count;
    }
}
