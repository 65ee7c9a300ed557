using System.Text.Json;
using System.Threading.Channels;
using Ingest.Pipeline;
using Ingest.Publishing;
using Ingest.Rest;
using Ingest.Tests.Rest;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Contracts.Common.V1;
using Streaming.Contracts.Ops.V1;
using Streaming.Contracts.Raw.V1;

namespace Ingest.Tests.Pipeline;

/// <summary>
/// The backfill worker serving feed gap requests against the simulator's REST API: the ids the exchange has are
/// published as REST-backfill raw events, the ids it lacks reported, a request REST cannot serve reported too, and
/// each request's ticket marked served so the gap's offset can be committed.
/// </summary>
public sealed class BackfillWorkerTests
{
    private const string Detector = "feed gap reported by taker-volume-spot/taker-volume-0";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AFeedGapOverAHoleInTheExchangesHistory_PublishesWhatItHas_AndReportsExactlyWhatItLacks()
    {
        await using var harness = await SimulatorHarness.StartAsync(manualClock: false);
        var ids = harness.Trades("BTCUSDT").Select(t => t.AggregateId).ToList();
        var (first, last) = (ids[100], ids[140]);
        await harness.AddHoleAsync("BTCUSDT", first + 10, first + 14);
        await using var worker = new WorkerUnderTest(harness.CreateClient(harness.CreateBudget()));
        var ticket = new BackfillTicket();

        await worker.RunAsync(new BackfillRequest(Market.Spot, "BTCUSDT", first, last, 111, 222, Detector, Ticket: ticket, FromFeedGap: true));

        Assert.True(ticket.IsHandled);
        Assert.Equal(
            ids.Where(id => id >= first && id <= last && (id < first + 10 || id > first + 14)),
            worker.Published("BTCUSDT"));
        var gap = Assert.Single(worker.Gaps);
        Assert.Equal((first + 10, first + 14), (gap.MissingIds.First, gap.MissingIds.Last));
        Assert.Equal((FeedGapKind.AggTradeIds, "BTCUSDT", "ingest/ingest-test", 111L, 222L, false), (gap.Kind, gap.Symbol, gap.DetectedBy, gap.GapStartMs, gap.GapEndMs, gap.Filled));
        Assert.Equal("missing from the exchange's own history; detected: " + Detector, gap.Detail);

        // The rows belong to another service's gap: they start no sequence in this pod.
        Assert.Null(worker.Sequencer.LastId("BTCUSDT"));
    }

    [Fact]
    public async Task ARequestRestCannotServe_IsReported_AndTheWorkerGoesOnWithTheNext()
    {
        await using var harness = await SimulatorHarness.StartAsync(manualClock: false);
        var btc = harness.Trades("BTCUSDT").Select(t => t.AggregateId).ToList();
        var eth = harness.Trades("ETHUSDT").Select(t => t.AggregateId).ToList();

        // ETHUSDT's requests never reach the exchange (a network that keeps failing); BTCUSDT's do.
        using var http = new HttpClient(new FailingHandler("symbol=ETHUSDT"));
        var client = new BinanceRestClient(http, harness.RestUrl, harness.Market, harness.CreateBudget());
        await using var worker = new WorkerUnderTest(client);
        var failing = new BackfillTicket();
        var served = new BackfillTicket();

        await worker.RunAsync(
            new BackfillRequest(Market.Spot, "ETHUSDT", eth[5], eth[9], 0, 0, Detector, Ticket: failing, FromFeedGap: true),
            new BackfillRequest(Market.Spot, "BTCUSDT", btc[5], btc[9], 0, 0, Detector, Ticket: served, FromFeedGap: true));

        Assert.True(failing.IsHandled);
        var gap = Assert.Single(worker.Gaps);
        Assert.Equal(("ETHUSDT", eth[5], eth[9]), (gap.Symbol, gap.MissingIds.First, gap.MissingIds.Last));
        Assert.StartsWith("backfill failed: ", gap.Detail, StringComparison.Ordinal);
        Assert.True(served.IsHandled);
        Assert.Equal(btc.GetRange(5, 5), worker.Published("BTCUSDT"));
    }

    /// <summary>A worker with recording producers; <see cref="RunAsync"/> serves the given requests, then returns.</summary>
    private sealed class WorkerUnderTest : IAsyncDisposable
    {
        private readonly IngestMetrics _metrics = new();
        private readonly ProducerRecorder<RawEvent> _raw;
        private readonly ProducerRecorder<FeedGap> _gaps;
        private readonly RawEventPublisher _publisher;
        private readonly BackfillWorker _worker;

        public WorkerUnderTest(BinanceRestClient client)
        {
            (var raw, _raw) = ProducerRecorder<RawEvent>.Create();
            (var gaps, _gaps) = ProducerRecorder<FeedGap>.Create();
            _publisher = new RawEventPublisher(raw, gaps, _metrics);
            var backfiller = new AggTradeBackfiller(client, TimeProvider.System, new AggTradeBackfillOptions
            {
                MaxAttempts = 2,
                RetryMinDelay = TimeSpan.FromMilliseconds(1),
                RetryMaxDelay = TimeSpan.FromMilliseconds(2),
                RandomSeed = 1,
            });
            _worker = new BackfillWorker(Market.Spot, "ingest-test", "a", backfiller, client, _publisher, Sequencer, TimeProvider.System, _metrics, NullLogger.Instance);
        }

        public SequencerGuard Sequencer { get; } = new();

        public IEnumerable<FeedGap> Gaps => _gaps.Produced.Select(p => p.Message.Value);

        public async Task RunAsync(params BackfillRequest[] requests)
        {
            var channel = Channel.CreateUnbounded<BackfillRequest>();
            foreach (var request in requests)
            {
                channel.Writer.TryWrite(request);
            }

            channel.Writer.Complete();
            await _worker.RunAsync(channel.Reader, Token).WaitAsync(TimeSpan.FromSeconds(60), Token);
        }

        /// <summary>Aggregate ids of the REST-backfill raw events published for <paramref name="symbol"/>, in order.</summary>
        public List<long> Published(string symbol) =>
        [
            .. _raw.Produced
                .Where(p => p.Topic == "binance.spot.aggtrade.raw.v1" && p.Message.Key == symbol && p.Message.Value.Source == Source.RestBackfill)
                .Select(p =>
                {
                    using var row = JsonDocument.Parse(p.Message.Value.Payload.Memory);
                    return row.RootElement.GetProperty("a").GetInt64();
                }),
        ];

        public ValueTask DisposeAsync()
        {
            _publisher.Dispose();
            _metrics.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Fails every request whose URL contains <paramref name="marker"/> as an unreachable network would.</summary>
    private sealed class FailingHandler(string marker) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            request.RequestUri!.Query.Contains(marker, StringComparison.Ordinal)
                ? throw new HttpRequestException("connection refused (injected)")
                : base.SendAsync(request, cancellationToken);
    }
}
