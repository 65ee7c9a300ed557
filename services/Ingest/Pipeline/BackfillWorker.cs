using System.Text.Json;
using System.Threading.Channels;
using Google.Protobuf;
using Ingest.Publishing;
using Ingest.Rest;
using Microsoft.Extensions.Logging;
using Streaming.Contracts.Common.V1;
using Streaming.Contracts.Ops.V1;
using Streaming.Contracts.Raw.V1;

namespace Ingest.Pipeline;

/// <summary>
/// Fills aggregate-trade holes from REST (<c>aggTrades</c> by <c>fromId</c>, 1000 per page, inside the pod's
/// request-weight budget) and publishes the rows to the same raw topic, marked REST-sourced, each row's bytes
/// as Binance sent them. What the exchange's own history lacks is published as a feed gap: the users' alarm.
/// Requests come from the pod's own checks (id jumps, reconnects, restarts) and from other services' feed gaps
/// (<see cref="GapBackfill.FeedGapListener"/>), in arrival order.
/// </summary>
internal sealed partial class BackfillWorker(
    Market market,
    string instanceId,
    string region,
    AggTradeBackfiller backfiller,
    BinanceRestClient client,
    RawEventPublisher publisher,
    SequencerGuard sequencer,
    TimeProvider time,
    IngestMetrics metrics,
    ILogger logger)
{
    private readonly string _topic = RawTopics.AggTrades(market);
    private readonly string _stream = market == Market.UsdmFutures ? "/fapi/v1/aggTrades" : "/api/v3/aggTrades";
    private long _run;

    public async Task RunAsync(ChannelReader<BackfillRequest> requests, CancellationToken cancellationToken)
    {
        await foreach (var request in requests.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await BackfillAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (CannotBeServed(e, cancellationToken))
            {
                // The request cannot be served (a symbol delisted meanwhile, REST failing beyond the backfiller's
                // retries): report the ids as a gap, and go on with the next request rather than stop backfilling.
                Log.Failed(logger, request.Symbol, request.FromId, request.ToId, e.Message);
                PublishGap(request, request.FromId, request.ToId, "backfill failed: " + e.Message);
            }

            // Not reached when stopped mid-request: that request stays unserved, and a feed gap behind it uncommitted.
            request.Ticket?.MarkHandled();
        }
    }

    private static bool CannotBeServed(Exception failure, CancellationToken cancellationToken) => failure switch
    {
        BinanceRestException or HttpRequestException or IOException or JsonException => true,

        // HttpClient's own timeout surfaces as a cancellation nobody asked for.
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    private async Task BackfillAsync(BackfillRequest request, CancellationToken cancellationToken)
    {
        if (request.SinceTimeMs is { } since)
        {
            var firstId = await client.GetFirstAggTradeIdSinceAsync(request.Symbol, since, cancellationToken).ConfigureAwait(false);
            if (firstId is not { } from || from > request.ToId)
            {
                return;
            }

            request = request with { FromId = from, SinceTimeMs = null };
        }

        var connectionId = $"{market}-backfill-{Interlocked.Increment(ref _run)}";
        long sequence = 0;
        await foreach (var item in backfiller.BackfillAsync(request.Symbol, request.FromId, request.ToId, cancellationToken).ConfigureAwait(false))
        {
            switch (item)
            {
                case BackfillTrade trade when trade.Row.TradeTimeMs < request.MinTradeTimeMs:
                    break;
                case BackfillTrade trade:
                    var rawEvent = new RawEvent
                    {
                        Exchange = "binance",
                        Market = market,
                        Stream = _stream,
                        Symbol = request.Symbol,
                        Region = region,
                        IngestInstanceId = instanceId,
                        ConnectionId = connectionId,
                        ReceivedAtUs = time.NowMicroseconds(),
                        ConnectionSequence = ++sequence,
                        Source = Source.RestBackfill,
                        Payload = ByteString.CopyFrom(trade.Row.RowJson.Span),
                    };
                    await publisher.PublishAsync(_topic, rawEvent, cancellationToken).ConfigureAwait(false);
                    if (request.FromFeedGap)
                    {
                        sequencer.ObserveIfTracked(request.Symbol, trade.Row.AggregateId, trade.Row.TradeTimeMs);
                    }
                    else
                    {
                        sequencer.Observe(request.Symbol, trade.Row.AggregateId, trade.Row.TradeTimeMs);
                    }

                    break;
                case BackfillResult result:
                    metrics.TradesBackfilled((int)result.TradeCount);
                    metrics.InvalidRowsDropped((int)result.InvalidRowCount);
                    long reported = 0;
                    foreach (var hole in result.Unfillable)
                    {
                        if (request.IsVerification)
                        {
                            // A verification asks beyond the newest trade, or before the pod listened, on purpose; holes
                            // in what it does get are caught by the live ids, which the rows it publishes now continue.
                            continue;
                        }

                        reported += hole.Count;

                        PublishGap(request, hole.FirstId, hole.LastId, result.ExchangeHadNoMore && hole.LastId == request.ToId
                            ? "not (yet) in the exchange's history"
                            : "missing from the exchange's own history");
                    }

                    Log.Done(logger, request.IsVerification ? "Verification" : request.FromFeedGap ? "Feed gap backfill" : "Backfill", request.Symbol, request.FromId, result.TradeCount, reported);
                    break;
            }
        }
    }

    private void PublishGap(BackfillRequest request, long first, long last, string detail) => publisher.PublishGap(new FeedGap
    {
        Market = market,
        Stream = request.Symbol.ToLowerInvariant() + "@aggTrade",
        Symbol = request.Symbol,
        Kind = FeedGapKind.AggTradeIds,
        MissingIds = new IdRange { First = first, Last = last },
        GapStartMs = request.GapStartMs,
        GapEndMs = request.GapEndMs,
        DetectedBy = "ingest/" + instanceId,
        Region = region,
        DetectedAtUs = time.NowMicroseconds(),
        Detail = detail + "; detected: " + request.Reason,
    });

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "{Kind} {Symbol} from {From}: {Trades} trades recovered, {Unfillable} ids not in the exchange's history")]
        public static partial void Done(ILogger logger, string kind, string symbol, long from, long trades, long unfillable);

        [LoggerMessage(2, LogLevel.Warning, "Backfill {Symbol} [{From}, {To}] failed: {Error}")]
        public static partial void Failed(ILogger logger, string symbol, long from, long to, string error);
    }
}
