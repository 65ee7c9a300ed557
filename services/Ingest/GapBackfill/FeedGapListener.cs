using System.Threading.Channels;
using Confluent.Kafka;
using Ingest.Pipeline;
using Ingest.Publishing;
using Microsoft.Extensions.Logging;
using Streaming.Contracts.Common.V1;
using Streaming.Contracts.Ops.V1;
using Streaming.Kafka;
using Streaming.Serialization;

namespace Ingest.GapBackfill;

/// <summary>
/// Reads <c>binance.all.feed.gaps.v1</c> in the market's group shared by every ingest pod (so each gap goes to one
/// pod) and turns each open aggregate-id hole another service reported into a <see cref="BackfillRequest"/> on the
/// market's backfill queue; the <see cref="BackfillWorker"/> fetches the ids from REST within the pod's weight budget
/// and reports what the exchange lacks. A gap's offset is committed once its request has been served, so a pod that
/// stops with requests still queued leaves them to the group (at least once: a repeat only fetches rows again, which
/// the raw topic's consumers drop by aggregate id). Runs on a thread of its own, never on a socket loop.
/// </summary>
internal sealed partial class FeedGapListener(
    Market market,
    string instanceId,
    GapBackfillOptions options,
    KafkaClientFactory kafka,
    ProtobufSerdes serdes,
    IngestMetrics metrics,
    TimeProvider time,
    ILogger logger)
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan QueueFullWait = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan CommitRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Gap requests waiting to be served beyond which reading pauses: the market's queue (100,000) must keep room for
    /// the pod's own holes, whose requests are dropped when it is full.
    /// </summary>
    private const int MaxUnserved = 1_000;

    private readonly GapOffsets _offsets = new();
    private readonly FeedGapFilter _filter = new(market, options, time);
    private readonly RecentGapRequests _recent = new(options.RepeatMemory, options.RepeatWindow, time);
    private readonly ProtobufDeserializer<FeedGap> _deserializer = serdes.Deserializer<FeedGap>();
    private readonly string _market = market == Market.UsdmFutures ? "usdm" : "spot";
    private long _commitNotBefore;
    private bool _paused;

    /// <summary>
    /// Listens until <paramref name="cancellationToken"/> is cancelled, then commits what was served and leaves the group.
    /// Call before <paramref name="requests"/> can be completed, and complete it only after the returned task ends.
    /// </summary>
    public Task RunAsync(ChannelWriter<BackfillRequest> requests, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => Run(requests, cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(ChannelWriter<BackfillRequest> requests, CancellationToken cancellationToken)
    {
        var group = options.GroupIdFor(market);
        var consumer = kafka.CreateConsumerBuilder<Ignore, byte[]>(group, $"{instanceId}-gaps-{_market}")
            .SetPartitionsRevokedHandler((c, revoked) =>
            {
                var partitions = revoked.Select(p => p.TopicPartition).ToList();
                Commit(c, partitions, force: true);
                _offsets.Forget(partitions);
            })
            .SetPartitionsLostHandler((_, lost) => _offsets.Forget(lost.Select(p => p.TopicPartition).ToList()))
            .Build();
        consumer.Subscribe(RawTopics.FeedGaps);
        Log.Listening(logger, _market, RawTopics.FeedGaps, group);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Throttle(consumer);
                if (Next(consumer) is { } record)
                {
                    _offsets.Read(record.TopicPartition, record.Offset.Value, Handle(record, requests, cancellationToken));
                }

                Commit(consumer, null, force: false);
            }
        }
        catch (KafkaException e) when (e.Error.IsFatal)
        {
            Log.Fatal(logger, _market, e.Error.Reason);
            consumer.Dispose();
            return;
        }

        Commit(consumer, null, force: true);
        Log.Stopped(logger, _market, _offsets.Pending);
        CloseWithin(consumer, CloseTimeout);
    }

    /// <summary>
    /// Leaves the group at once (the partitions move now, not after the session timeout); the revocation callback
    /// commits once more whatever was served meanwhile. A close that meets a rebalance of the group waits for it (seen:
    /// 30 s on the embedded broker when the other pod of the group had just left), so the pod's shutdown does not wait
    /// longer than <paramref name="timeout"/>: the close goes on in the background and the consumer is disposed after it;
    /// what it did not commit is served again by the next owner.
    /// </summary>
    private void CloseWithin(IConsumer<Ignore, byte[]> consumer, TimeSpan timeout)
    {
        var closing = Task.Run(() =>
        {
            try
            {
                consumer.Close();
            }
            catch (KafkaException e)
            {
                Log.CommitFailed(logger, _market, e.Error.Reason);
            }
            finally
            {
                consumer.Dispose();
            }
        });
#pragma warning disable VSTHRD002 // The listener's own long-running thread, no synchronization context to deadlock on.
        var left = closing.Wait(timeout);
#pragma warning restore VSTHRD002
        if (!left)
        {
            Log.CloseSlow(logger, _market, timeout.TotalSeconds);
        }
    }

    /// <summary>
    /// Pauses fetching while too many requests wait (Consume still runs, so the pod stays in the group and rebalances
    /// are served); partitions assigned meanwhile are paused on the next turn.
    /// </summary>
    private void Throttle(IConsumer<Ignore, byte[]> consumer)
    {
        if (_offsets.Pending >= MaxUnserved)
        {
            consumer.Pause(consumer.Assignment);
            _paused = true;
        }
        else if (_paused)
        {
            consumer.Resume(consumer.Assignment);
            _paused = false;
        }
    }

    private ConsumeResult<Ignore, byte[]>? Next(IConsumer<Ignore, byte[]> consumer)
    {
        try
        {
            return consumer.Consume(PollTimeout);
        }
        catch (ConsumeException e) when (!e.Error.IsFatal)
        {
            // Broker and network errors are retried by librdkafka; the next poll goes on from the same position.
            Log.ConsumeFailed(logger, _market, e.Error.Reason);
            return null;
        }
    }

    /// <summary>Decides on one record and enqueues its request; returns the ticket that says when its offset may be committed.</summary>
    private BackfillTicket Handle(ConsumeResult<Ignore, byte[]> record, ChannelWriter<BackfillRequest> requests, CancellationToken cancellationToken)
    {
        metrics.GapReceived(_market);
        var gap = Decode(record);
        var decision = gap is null ? GapDecision.Ignore(GapIgnoreReason.Unreadable) : _filter.Evaluate(gap);
        if (!decision.IsAccepted || gap is null)
        {
            Ignore(gap, decision.Ignored);
            return BackfillTicket.Done;
        }

        var ticket = new BackfillTicket();
        if (!_recent.TryAdd(decision.Symbol, decision.Reported, ticket, out var earlier))
        {
            Ignore(gap, GapIgnoreReason.Repeat);
            return earlier;
        }

        metrics.GapAccepted(_market);
        if (decision.OverCap > 0)
        {
            Log.OverCap(logger, decision.Symbol, decision.Reported.First, decision.Reported.Last, decision.Reported.Count, options.MaxIdsPerGap, decision.Fetch.Last);
            metrics.GapIdsOverCap(_market, decision.OverCap);
        }

        var request = new BackfillRequest(
            market,
            decision.Symbol,
            decision.Fetch.First,
            decision.Fetch.Last,
            gap.GapStartMs,
            gap.GapEndMs,
            "feed gap reported by " + gap.DetectedBy,
            Ticket: ticket,
            FromFeedGap: true);

        // Waits while the queue is full (the pod is far behind on its own holes): the offset stays uncommitted meanwhile.
        while (!requests.TryWrite(request))
        {
            if (cancellationToken.WaitHandle.WaitOne(QueueFullWait))
            {
                return ticket;
            }
        }

        metrics.GapRequestEnqueued(_market, decision.Fetch.Count);
        Log.Accepted(logger, decision.Symbol, decision.Fetch.First, decision.Fetch.Last, gap.DetectedBy);
        return ticket;
    }

    private FeedGap? Decode(ConsumeResult<Ignore, byte[]> record)
    {
        if (record.Message.Value is not { } value)
        {
            Log.Unreadable(logger, record.Partition.Value, record.Offset.Value, "no value");
            return null;
        }

        try
        {
            return _deserializer.Deserialize(value, isNull: false, new SerializationContext(MessageComponentType.Value, record.Topic, record.Message.Headers));
        }
        catch (ProtobufSerdeException e)
        {
            Log.Unreadable(logger, record.Partition.Value, record.Offset.Value, e.Message);
            return null;
        }
    }

    private void Ignore(FeedGap? gap, GapIgnoreReason reason)
    {
        var label = reason.Label();
        metrics.GapIgnored(_market, label);
        if (gap is not null && logger.IsEnabled(LogLevel.Debug))
        {
            Log.Ignored(logger, gap.Symbol, gap.MissingIds?.First ?? -1, gap.MissingIds?.Last ?? -1, gap.DetectedBy, label);
        }
    }

    private void Commit(IConsumer<Ignore, byte[]> consumer, List<TopicPartition>? partitions, bool force)
    {
        if (!force && time.GetTimestamp() < _commitNotBefore)
        {
            return;
        }

        var positions = _offsets.Committable(partitions);
        if (positions.Count == 0)
        {
            return;
        }

        try
        {
            consumer.Commit(positions);
            _offsets.Committed(positions);
        }
        catch (KafkaException e)
        {
            // Not committed: the positions are offered again after a pause, or read again by the next owner.
            _commitNotBefore = time.GetTimestamp() + (long)(CommitRetryDelay.TotalSeconds * time.TimestampFrequency);
            Log.CommitFailed(logger, _market, e.Error.Reason);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "{Market}: backfilling the feed gaps of other services from {Topic} in group {Group}")]
        public static partial void Listening(ILogger logger, string market, string topic, string group);

        [LoggerMessage(2, LogLevel.Information, "Feed gap {Symbol} [{First}, {Last}] reported by {Detector}: fetching it from REST")]
        public static partial void Accepted(ILogger logger, string symbol, long first, long last, string detector);

        [LoggerMessage(3, LogLevel.Warning, "Feed gap {Symbol} [{First}, {Last}] names {Count} ids, above Ingest:GapBackfill:MaxIdsPerGap ({Cap}): fetching only up to {FetchedLast}")]
        public static partial void OverCap(ILogger logger, string symbol, long first, long last, long count, int cap, long fetchedLast);

        [LoggerMessage(4, LogLevel.Debug, "Feed gap {Symbol} [{First}, {Last}] reported by {Detector} ignored: {Reason}")]
        public static partial void Ignored(ILogger logger, string symbol, long first, long last, string detector, string reason);

        [LoggerMessage(5, LogLevel.Warning, "Feed gap record at partition {Partition} offset {Offset} is unreadable and skipped: {Error}")]
        public static partial void Unreadable(ILogger logger, int partition, long offset, string error);

        [LoggerMessage(6, LogLevel.Warning, "{Market}: reading the feed gaps failed ({Error}); retrying")]
        public static partial void ConsumeFailed(ILogger logger, string market, string error);

        [LoggerMessage(7, LogLevel.Warning, "{Market}: committing the feed gaps served failed ({Error}); they are committed later or read again")]
        public static partial void CommitFailed(ILogger logger, string market, string error);

        [LoggerMessage(8, LogLevel.Error, "{Market}: the feed gap consumer failed for good ({Error}); other services' gaps are no longer backfilled by this pod")]
        public static partial void Fatal(ILogger logger, string market, string error);

        [LoggerMessage(10, LogLevel.Warning, "{Market}: the feed gap consumer did not leave its group within {Seconds} s (a rebalance in progress); it goes on leaving in the background")]
        public static partial void CloseSlow(ILogger logger, string market, double seconds);

        [LoggerMessage(9, LogLevel.Information, "{Market}: feed gap listener stopped; {Pending} requests not served yet are left to the group")]
        public static partial void Stopped(ILogger logger, string market, int pending);
    }
}
