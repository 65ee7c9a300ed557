using System.Text;
using System.Threading.Channels;
using Google.Protobuf;
using Ingest.Publishing;
using Ingest.Routing;
using Ingest.Sequencing;
using Ingest.Streams;
using Microsoft.Extensions.Logging;
using Streaming.Contracts.Common.V1;
using Streaming.Contracts.Ops.V1;
using Streaming.Contracts.Raw.V1;

namespace Ingest.Pipeline;

/// <summary>
/// The one consumer of a market's frame channel: routes each frame without a full parse, wraps its event,
/// byte for byte, in the raw envelope and publishes it keyed by symbol, and checks continuity on the way:
/// an aggregate-trade id that jumps asks the backfill for the missing ids; a depth update that does not
/// continue the previous one (across reconnects too) is published as a feed gap, since depth has no history.
/// </summary>
internal sealed partial class FrameProcessor(
    Market market,
    string instanceId,
    RawTopics topics,
    RawEventPublisher publisher,
    SequencerGuard sequencer,
    ChannelWriter<BackfillRequest> backfill,
    SubscribedNames names,
    long startedAtMs,
    long? previousRunUntilMs,
    TimeSpan lagReportThreshold,
    TimeProvider time,
    IngestMetrics metrics,
    ILogger logger)
{
    private readonly DepthContinuity _depth = new();
    private readonly string _aggTradeTopic = RawTopics.AggTrades(market);
    private readonly string _klineTopic = RawTopics.Klines(market);
    private readonly string _depthTopic = topics.Depth(market);

    /// <summary>
    /// Processes frames until the channel is completed: on shutdown the sockets close first and what they had
    /// already read is still published, so a graceful stop loses nothing that reached the pod.
    /// </summary>
    public async Task RunAsync(ChannelReader<ReceivedFrame> frames, CancellationToken cancellationToken)
    {
        await foreach (var frame in frames.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                await ProcessAsync(frame, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                frame.Release();
            }
        }
    }

    private async ValueTask ProcessAsync(ReceivedFrame frame, CancellationToken cancellationToken)
    {
        var bytes = frame.Span;
        if (!FrameRouter.TryRoute(bytes, out var route))
        {
            // A malformed or truncated frame: its event is lost here, and the ids of the next events show it
            // (aggregate trades are backfilled, depth reports a gap).
            metrics.MalformedFrame();
            Log.Malformed(logger, frame.Socket.ConnectionId, Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, 200)]));
            return;
        }

        switch (route.Kind)
        {
            case FrameKind.ServerShutdown:
                frame.Socket.ShutdownAnnounced = true;
                Log.ShutdownAnnounced(logger, frame.Socket.ConnectionId);
                return;
            case FrameKind.Error:
                Log.ErrorReply(logger, frame.Socket.ConnectionId, Encoding.UTF8.GetString(bytes));
                return;
            case FrameKind.Reply or FrameKind.Other:
                return;
        }

        var context = frame.Socket;
        Interlocked.Increment(ref context.DataFrames);
        Interlocked.Exchange(ref context.LastDataTimestamp, time.GetTimestamp());
        var symbol = names.Get(bytes[route.Symbol]);
        var stream = route.IsCombined ? names.Get(bytes[route.Stream]) : symbol;
        var rawEvent = new RawEvent
        {
            Exchange = "binance",
            Market = market,
            Stream = stream,
            Symbol = symbol,
            Region = context.Region,
            IngestInstanceId = instanceId,
            ConnectionId = context.ConnectionId,
            ReceivedAtUs = frame.ReceivedAtUs,
            ConnectionSequence = frame.Sequence,
            Source = Source.Websocket,
            Payload = ByteString.CopyFrom(bytes[route.Data]),
        };

        switch (route.Kind)
        {
            case FrameKind.AggTrade:
                await publisher.PublishAsync(_aggTradeTopic, rawEvent, cancellationToken).ConfigureAwait(false);
                CheckTrade(context, symbol, route);
                break;
            case FrameKind.DepthUpdate:
                await publisher.PublishAsync(_depthTopic, rawEvent, cancellationToken).ConfigureAwait(false);
                CheckDepth(context, symbol, stream, route);
                break;
            case FrameKind.Kline:
                await publisher.PublishAsync(_klineTopic, rawEvent, cancellationToken).ConfigureAwait(false);
                // Only streams still subscribed are watched: a late frame of a stream just unsubscribed must not
                // bring its liveness entry back (it would then look dead and kill the connection).
                if (context.KlineLastSeen.TryGetValue(stream, out var previous))
                {
                    context.KlineLastSeen.TryUpdate(stream, time.GetTimestamp(), previous);
                }

                break;
        }

        if (route.EventTime != FrameRoute.Absent)
        {
            var eventTimeMs = route.EventTime > 100_000_000_000_000 ? route.EventTime / 1000 : route.EventTime;
            var lagMs = (frame.ReceivedAtUs / 1000.0) - eventTimeMs;
            metrics.EventLag(market, route.Kind, lagMs);
            if (lagMs > lagReportThreshold.TotalMilliseconds)
            {
                ReportLagging(context, lagMs);
            }
        }
    }

    private void CheckTrade(SocketContext context, string symbol, in FrameRoute route)
    {
        var observation = sequencer.Observe(symbol, route.AggregateId, route.TradeTime);
        if (observation.Kind == AggTradeObservationKind.Gap)
        {
            var missing = observation.Missing;
            backfill.TryWrite(new BackfillRequest(market, symbol, missing.First, missing.Last, observation.GapStartMs, route.TradeTime, "ids jumped"));
        }
        else if (observation.Kind == AggTradeObservationKind.First && route.AggregateId > 0
            && (previousRunUntilMs is not null || context.Attempt > 1 || sequencer.IsListedLive(symbol)))
        {
            // The symbol's first trade seen by this run. Trades before it were lost if an earlier connection of this
            // run dropped before any came, while the previous run of this instance was gone (a restart, a rolling
            // update), or between a listing and the refresh that found it: fetch what traded since then.
            backfill.TryWrite(new BackfillRequest(
                market,
                symbol,
                0,
                route.AggregateId - 1,
                0,
                route.TradeTime,
                previousRunUntilMs is not null ? "first trade since the restart"
                    : context.Attempt > 1 ? "first trade on reconnected " + context.ConnectionId
                    : "first trade of a symbol listed while the pod ran",
                SinceTimeMs: previousRunUntilMs ?? startedAtMs));
        }
    }

    private void CheckDepth(SocketContext context, string symbol, string stream, in FrameRoute route)
    {
        var observation = _depth.Observe(symbol, route.FirstUpdateId, route.FinalUpdateId, route.PreviousFinalUpdateId);
        if (observation.Kind != DepthObservationKind.Gap)
        {
            return;
        }

        publisher.PublishGap(new FeedGap
        {
            Market = market,
            Stream = stream,
            Symbol = symbol,
            Kind = FeedGapKind.DepthUpdateIds,
            MissingIds = new IdRange { First = observation.MissingFirst, Last = observation.MissingLast },
            GapEndMs = route.EventTime,
            DetectedBy = "ingest/" + instanceId,
            Region = context.Region,
            DetectedAtUs = time.NowMicroseconds(),
            Detail = "depth updates cannot be backfilled; connection " + context.ConnectionId,
        });
    }

    /// <summary>A connection falling behind is reported once a minute at most (log), every time in the metric.</summary>
    private void ReportLagging(SocketContext context, double lagMs)
    {
        metrics.ConnectionLagging();
        var now = time.GetTimestamp();
        if (context.LagReportedAt == 0 || time.GetElapsedTime(context.LagReportedAt, now) > TimeSpan.FromMinutes(1))
        {
            context.LagReportedAt = now;
            Log.Lagging(logger, context.ConnectionId, TimeSpan.FromMilliseconds(lagMs), lagReportThreshold);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Connection {Connection}: malformed frame dropped (its ids are recovered or reported): {Frame}")]
        public static partial void Malformed(ILogger logger, string connection, string frame);

        [LoggerMessage(2, LogLevel.Information, "Connection {Connection}: serverShutdown announced, replacing the connection")]
        public static partial void ShutdownAnnounced(ILogger logger, string connection);

        [LoggerMessage(4, LogLevel.Warning, "Connection {Connection} is {Lag} behind the exchange (threshold {Threshold}): too many streams on it, or the pod is short of CPU")]
        public static partial void Lagging(ILogger logger, string connection, TimeSpan lag, TimeSpan threshold);

        [LoggerMessage(3, LogLevel.Warning, "Connection {Connection}: error reply {Reply}")]
        public static partial void ErrorReply(ILogger logger, string connection, string reply);
    }
}
