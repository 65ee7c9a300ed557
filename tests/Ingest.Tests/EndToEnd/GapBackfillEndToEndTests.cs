using System.Net.Http.Json;
using Ingest.Tests.Memory;
using Streaming.Contracts.Common.V1;
using Streaming.Contracts.Ops.V1;
using Streaming.Testing;

namespace Ingest.Tests.EndToEnd;

/// <summary>
/// Issue 7: a feed gap another service reports (the taker-volume processor's open holes) makes one ingest pod fetch
/// exactly those aggregate ids from REST into the raw topic, or report the ids the exchange itself lacks; the ingest
/// pods' own gaps are never acted on. A running pod, the simulator and the embedded Kafka, as in production.
/// </summary>
public sealed class GapBackfillEndToEndTests(CatalogKafkaFixture kafka) : IClassFixture<CatalogKafkaFixture>
{
    private const string Processor = "taker-volume-spot/x";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AGapTheProcessorReports_IsFetchedFromRest_ExactlyItsIds_AndAGapAnIngestPodReports_IsIgnored()
    {
        await using var pipeline = await StartAsync(seed: 41);

        // Nothing was ever published to the gap topic: the pod is ready all the same.
        using var http = new HttpClient { BaseAddress = new Uri(pipeline.Ingest.Urls.First()) };
        await Eventually.TrueAsync(async () => (await http.GetAsync("readyz", Token)).IsSuccessStatusCode, Deadline, "the pod to be ready", Token);
        var ids = await PastTradesAsync(pipeline);

        // Both in BTCUSDT's partition, in this order: once the second gap is served, the first one has been decided.
        var ignored = (First: ids[^60], Last: ids[^51]);
        var fetched = (First: ids[^40], Last: ids[^21]);
        await pipeline.PublishGapAsync(Gap(ignored, "ingest/ingest-b-0"), registryFrame: false);
        await pipeline.PublishGapAsync(Gap(fetched, Processor));

        var expected = ids.Where(id => id >= fetched.First && id <= fetched.Last).ToList();
        await RestBackfilledAsync(pipeline, pipeline.InstanceId, expected);
        Assert.Equal(expected, pipeline.RestBackfilled(pipeline.InstanceId, "BTCUSDT"));
        var metrics = MetricsScrape.Parse(await http.GetStringAsync("metrics", Token));
        Assert.True(metrics.Sum("ingest_gap_backfill_ignored_total", "reason=\"detector\"") >= 1);
        Assert.Equal(1, metrics.Sum("ingest_gap_backfill_requests_total"));
        Assert.Equal(expected.Count, metrics.Sum("ingest_gap_backfill_ids_total"));
    }

    [Fact]
    public async Task AGapOverAHoleInTheExchangesHistory_IsReportedByThePod_AsExactlyTheIdsTheExchangeLacks()
    {
        await using var pipeline = await StartAsync(seed: 42);
        var ids = await PastTradesAsync(pipeline);

        // The exchange's history loses five trades the pod already streamed; a gap names them with ten around them.
        var hole = (First: ids[^30], Last: ids[^26]);
        using var control = new HttpClient { BaseAddress = pipeline.Simulator.ControlUrl };
        (await control.PostAsJsonAsync("markets/spot/holes", new { symbol = "BTCUSDT", firstId = hole.First, lastId = hole.Last, withheldFromStreams = true }, Token)).EnsureSuccessStatusCode();
        var gap = (First: ids[^35], Last: ids[^21]);
        await pipeline.PublishGapAsync(Gap(gap, Processor));

        await Eventually.TrueAsync(
            () =>
            {
                pipeline.Poll(TimeSpan.FromMilliseconds(200));
                return pipeline.Gaps.Any(g => g.Detail.Contains(Processor, StringComparison.Ordinal));
            },
            Deadline,
            "the pod to report what the exchange lacks",
            Token);
        var reported = Assert.Single(pipeline.Gaps, g => g.Detail.Contains(Processor, StringComparison.Ordinal));
        Assert.Equal((FeedGapKind.AggTradeIds, "BTCUSDT", hole.First, hole.Last, false), (reported.Kind, reported.Symbol, reported.MissingIds.First, reported.MissingIds.Last, reported.Filled));
        Assert.Equal("ingest/" + pipeline.InstanceId, reported.DetectedBy);
        Assert.StartsWith("missing from the exchange's own history", reported.Detail, StringComparison.Ordinal);

        // What the exchange still has of the range was fetched, and nothing else.
        var expected = ids.Where(id => id >= gap.First && id <= gap.Last && (id < hole.First || id > hole.Last)).ToList();
        await RestBackfilledAsync(pipeline, pipeline.InstanceId, expected);
        Assert.Equal(expected, pipeline.RestBackfilled(pipeline.InstanceId, "BTCUSDT"));
    }

    [Fact]
    public async Task ThePodsShareOneGroup_APodTakingOverDoesNotFetchAgainWhatTheFirstServed()
    {
        await using var pipeline = await StartAsync(seed: 43);
        var ids = await PastTradesAsync(pipeline);
        var first = pipeline.InstanceId;
        var served = ids.Where(id => id >= ids[^50] && id <= ids[^41]).ToList();
        await pipeline.PublishGapAsync(Gap((served[0], served[^1]), Processor));
        await RestBackfilledAsync(pipeline, first, served);

        // The other pod of the pair, with its own instance id, takes over the group (the first one left it).
        var second = "ingest-test-" + Guid.NewGuid().ToString("N")[..8];
        await pipeline.ReplaceIngestAsync(second);
        var next = ids.Where(id => id >= ids[^20] && id <= ids[^11]).ToList();
        await pipeline.PublishGapAsync(Gap((next[0], next[^1]), Processor));

        // Same partition, read in order: had the second pod read the first gap again, its rows would be there by now.
        await RestBackfilledAsync(pipeline, second, next);
        Assert.Equal(next, pipeline.RestBackfilled(second, "BTCUSDT"));
        Assert.Equal(served, pipeline.RestBackfilled(first, "BTCUSDT"));
    }

    private Task<IngestPipeline> StartAsync(int seed) =>
        IngestPipeline.StartAsync(kafka, seed, "--Kafka:Consumer:FetchMaxWait=00:00:00.050");

    /// <summary>Lets BTCUSDT trade, then stops the exchange; returns its aggregate ids, every one streamed to the pod.</summary>
    private static async Task<List<long>> PastTradesAsync(IngestPipeline pipeline)
    {
        await pipeline.StartClockWhenSubscribedAsync(connections: 3, streams: 36);
        await Eventually.TrueAsync(() => pipeline.Truth("BTCUSDT").Count > 100, Deadline, "BTCUSDT to trade", Token);
        await pipeline.StopClockAsync();
        return [.. pipeline.Truth("BTCUSDT").Select(t => t.AggregateId)];
    }

    private static async Task RestBackfilledAsync(IngestPipeline pipeline, string instanceId, IReadOnlyCollection<long> ids) =>
        await Eventually.TrueAsync(
            () =>
            {
                pipeline.Poll(TimeSpan.FromMilliseconds(200));
                return pipeline.RestBackfilled(instanceId, "BTCUSDT").IsSupersetOf(ids);
            },
            Deadline,
            $"{instanceId} to publish BTCUSDT {ids.First()}..{ids.Last()} from REST backfill",
            Token);

    /// <summary>A feed gap as the taker-volume processor publishes one when a hole times out.</summary>
    private static FeedGap Gap((long First, long Last) ids, string detectedBy) => new()
    {
        Market = Market.Spot,
        Stream = "btcusdt@aggTrade",
        Symbol = "BTCUSDT",
        Kind = FeedGapKind.AggTradeIds,
        MissingIds = new IdRange { First = ids.First, Last = ids.Last },
        DetectedBy = detectedBy,
        Filled = false,
        DetectedAtUs = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() * 1000,
        Detail = $"aggregate trade ids [{ids.First}, {ids.Last}] still missing 30000 ms of stream time after the hole was seen",
    };
}
