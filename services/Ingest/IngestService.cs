using System.Net;
using Confluent.Kafka.SyncOverAsync;
using Ingest.GapBackfill;
using Ingest.Pipeline;
using Ingest.Publishing;
using Ingest.Rest;
using Ingest.Routing;
using Ingest.Sharding;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.Contracts.Common.V1;
using Streaming.Contracts.Ops.V1;
using Streaming.Contracts.Raw.V1;
using Streaming.Hosting;
using Streaming.Kafka;
using Streaming.Serialization;

namespace Ingest;

/// <summary>
/// The pod: one Kafka publisher and one REST weight budget shared by the enabled markets, each market run by a
/// <see cref="MarketIngest"/>. Ready once every market has planned its connections (the feed gap listeners play no
/// part in readiness); on shutdown the connections close, and what the producer still holds is flushed within the
/// shutdown timeout.
/// </summary>
internal sealed partial class IngestService(
    IOptions<IngestOptions> options,
    KafkaClientFactory kafka,
    ProtobufSerdes serdes,
    ReadinessGate readiness,
    IngestMetrics metrics,
    TimeProvider time,
    ILoggerFactory loggerFactory) : BackgroundService
{
    public const string ReadyCondition = "ingest-planned";

    private readonly ILogger _logger = loggerFactory.CreateLogger<IngestService>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var instanceId = settings.InstanceId ?? Dns.GetHostName();
        var podIndex = settings.PodIndex ?? (PodAssignment.TryParseOrdinal(instanceId, out var ordinal) ? ordinal % settings.PodCount : 0);
        var assignment = new PodAssignment(podIndex, settings.PodCount);
        Log.Starting(_logger, instanceId, podIndex, settings.PodCount, settings.Region);

        using var publisher = new RawEventPublisher(
            kafka.CreateProducerBuilder<string, RawEvent>(instanceId + "-raw").SetValueSerializer(serdes.Serializer<RawEvent>().AsSyncOverAsync()).Build(),
            kafka.CreateProducerBuilder<string, FeedGap>(instanceId + "-gaps").SetValueSerializer(serdes.Serializer<FeedGap>().AsSyncOverAsync()).Build(),
            metrics);
        var topics = new RawTopics(settings.Region);
        // Look-backs keep trades from a minute before the start on: clocks differ, and a few extra rows of history
        // are harmless (consumers drop repeated ids) where a lost one is not.
        var startedAtMs = time.GetUtcNow().AddMinutes(-1).ToUnixTimeMilliseconds();
        var budget = new RequestWeightBudget(new RequestWeightBudgetOptions { ExchangeWeightPerMinute = settings.RestWeightPerMinute, Share = 1 }, time);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var markets = new List<MarketIngest>();
        var marketsByKind = new List<(Market Market, MarketIngest Ingest)>();
        foreach (var (market, marketOptions) in new[] { (Market.Spot, settings.Spot), (Market.UsdmFutures, settings.Futures) })
        {
            if (!marketOptions.Enabled)
            {
                continue;
            }

            var client = new BinanceRestClient(http, marketOptions.RestUrl, market, budget);
            var discovery = new SymbolDiscovery(client, new SymbolDiscoveryOptions
            {
                QuoteAssets = settings.Symbols.EffectiveQuoteAssets.ToArray(),
                Include = settings.Symbols.Include,
                Exclude = settings.Symbols.Exclude,
            });
            var sequencer = new SequencerGuard();
            var names = new SubscribedNames();
            var previousRunUntilMs = await Task.Run(
                () => PreviousRun.LastPublishedMs(kafka, serdes, RawTopics.AggTrades(market), instanceId, 2000, TimeSpan.FromSeconds(15)),
                stoppingToken).ConfigureAwait(false);
            if (previousRunUntilMs is { } until)
            {
                Log.PreviousRun(_logger, market.ToString(), DateTimeOffset.FromUnixTimeMilliseconds(until));
            }

            // A minute of margin: the previous run may have read, but not published, its last frames.
            var lookbackSinceMs = previousRunUntilMs - 60_000;
            var marketLogger = loggerFactory.CreateLogger("Ingest." + market);
            var backfill = new BackfillWorker(market, instanceId, settings.Region, new AggTradeBackfiller(client, time), client, publisher, sequencer, time, metrics, marketLogger);
            var gapListener = settings.GapBackfill.Enabled
                ? new FeedGapListener(market, instanceId, settings.GapBackfill, kafka, serdes, metrics, time, marketLogger)
                : null;
            var marketIngest = new MarketIngest(
                market,
                settings,
                discovery,
                assignment,
                sequencer,
                names,
                (frames, backfillRequests) => new FrameProcessor(market, instanceId, topics, publisher, sequencer, backfillRequests, names, startedAtMs, lookbackSinceMs, settings.LagReportThreshold, time, metrics, marketLogger).RunAsync(frames, stoppingToken),
                requests => backfill.RunAsync(requests, stoppingToken),
                gapListener is null ? null : requests => gapListener.RunAsync(requests, stoppingToken),
                StreamFamily.For(market, marketOptions),
                metrics,
                time,
                marketLogger);
            markets.Add(marketIngest);
            marketsByKind.Add((market, marketIngest));
        }

        publisher.DeliveryFailed += (rawEvent, error) =>
        {
            foreach (var (market, ingest) in marketsByKind)
            {
                if (market == rawEvent.Market)
                {
                    ingest.OnDeliveryFailed(rawEvent, error.Reason, publisher.PublishGap, instanceId, time);
                }
            }
        };
        var running = markets.Select(m => m.RunAsync(stoppingToken)).ToList();
#pragma warning disable VSTHRD003 // Planned completes from the markets' own loops, started just above.
        await Task.WhenAll(markets.Select(m => m.Planned.Task)).WaitAsync(stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
#pragma warning restore VSTHRD003
        if (!stoppingToken.IsCancellationRequested)
        {
            readiness.Set(ReadyCondition);
        }

        await Task.WhenAll(running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var unflushed = publisher.Flush(TimeSpan.FromSeconds(10));
        Log.Stopped(_logger, unflushed);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Ingest {Instance}: pod {Index} of {Count}, region {Region}")]
        public static partial void Starting(ILogger logger, string instance, int index, int count, string region);

        [LoggerMessage(3, LogLevel.Information, "{Market}: the previous run of this instance published until {Until}; what traded since is fetched on each symbol's first trade")]
        public static partial void PreviousRun(ILogger logger, string market, DateTimeOffset until);

        [LoggerMessage(2, LogLevel.Information, "Ingest stopped; {Unflushed} records were still unacknowledged by Kafka")]
        public static partial void Stopped(ILogger logger, int unflushed);
    }
}
