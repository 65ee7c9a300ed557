using System.Threading.Channels;
using Ingest.Rest;
using Ingest.Routing;
using Ingest.Sharding;
using Ingest.Streams;
using Microsoft.Extensions.Logging;
using Streaming.Contracts.Common.V1;
using Streaming.Contracts.Ops.V1;
using Streaming.Contracts.Raw.V1;

namespace Ingest.Pipeline;

/// <summary>
/// One market of the pod: discovers the symbols (exchangeInfo, refreshed), keeps this pod's share (rendezvous
/// hashing over the pods), plans the shards of each stream family and keeps one <see cref="ShardConnection"/>
/// per shard; a listing is subscribed and a delisting unsubscribed live. Frames of every connection go through
/// one bounded channel to the <see cref="FrameProcessor"/>; holes go to the <see cref="BackfillWorker"/>, and so do
/// the holes other services report, through the optional feed gap listener.
/// </summary>
internal sealed partial class MarketIngest(
    Market market,
    IngestOptions options,
    SymbolDiscovery discovery,
    PodAssignment assignment,
    SequencerGuard sequencer,
    SubscribedNames names,
    Func<ChannelReader<ReceivedFrame>, ChannelWriter<BackfillRequest>, Task> runProcessor,
    Func<ChannelReader<BackfillRequest>, Task> runBackfill,
    Func<ChannelWriter<BackfillRequest>, Task>? runGapListener,
    IReadOnlyList<StreamFamily> families,
    IngestMetrics metrics,
    TimeProvider time,
    ILogger logger)
{
    private static readonly TimeSpan GapListenerStopTimeout = TimeSpan.FromSeconds(5);

    private readonly Dictionary<StreamFamily, List<ShardConnection>> _shards = families.ToDictionary(f => f, _ => new List<ShardConnection>());
    private readonly List<Task> _running = [];
    private ChannelWriter<BackfillRequest>? _backfill;

    /// <summary>Set once the first plan is applied (every shard connecting).</summary>
    public TaskCompletionSource Planned { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IEnumerable<ShardConnection> Shards => _shards.Values.SelectMany(s => s);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var frames = Channel.CreateBounded<ReceivedFrame>(new BoundedChannelOptions(options.FrameBufferCapacity) { SingleReader = true });
        var backfill = Channel.CreateBounded<BackfillRequest>(new BoundedChannelOptions(100_000) { SingleReader = true, SingleWriter = false });
        _backfill = backfill.Writer;
        using var gate = new ConnectionGate(options.ConnectionOpenInterval, time);
        _running.Add(runProcessor(frames.Reader, backfill.Writer));
        _running.Add(runBackfill(backfill.Reader));
        var gapListener = runGapListener?.Invoke(backfill.Writer) ?? Task.CompletedTask;
        var retry = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        HashSet<string>? planned = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                TimeSpan wait;
                try
                {
                    var selection = await discovery.RefreshAsync(cancellationToken).ConfigureAwait(false);
                    var mine = selection.Symbols.Where(assignment.Owns).ToList();
                    if (planned is not null)
                    {
                        // Listed since the last refresh: trading began before this pod subscribed.
                        sequencer.MarkListedLive(mine.Where(s => !planned.Contains(s)));
                    }

                    await ApplyAsync(mine, gate, frames.Writer, cancellationToken).ConfigureAwait(false);
                    planned = [.. mine];
                    Planned.TrySetResult();
                    retry.Reset();
                    wait = options.Symbols.RefreshInterval;
                }
                catch (Exception e) when (e is HttpRequestException or BinanceRestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    wait = retry.Next();
                    Log.DiscoveryFailed(logger, market.ToString(), e.Message, wait);
                }

                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Sockets first (they stop on the token), then the channel, so the processor drains what they read.
            var shards = _running.Skip(2).ToArray();
            await Task.WhenAll(shards).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

            // The listener writes requests until it has stopped (it stops on the token too, committing what was served).
            // Bounded: its consumer can be held inside a group rebalance (seen: 30 s on the embedded broker right after the
            // other pod of the group left); a request it writes after the queue is completed is refused, stays
            // uncommitted and is served by the group's next owner.
            try
            {
                await gapListener.WaitAsync(GapListenerStopTimeout, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            catch (TimeoutException)
            {
                Log.GapListenerSlow(logger, market.ToString(), GapListenerStopTimeout);
            }

            frames.Writer.TryComplete();
            backfill.Writer.TryComplete();
            await Task.WhenAll(_running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task ApplyAsync(List<string> symbols, ConnectionGate gate, ChannelWriter<ReceivedFrame> frames, CancellationToken cancellationToken)
    {
        // The names first: frames of a new subscription find their cached strings from the first one on.
        names.Publish([.. symbols, .. _shards.Keys.SelectMany(family => family.StreamsOf(symbols))]);
        foreach (var (family, shards) in _shards)
        {
            var desired = family.StreamsOf(symbols);
            var plan = ShardPlanner.Plan(desired, [.. shards.Select(s => s.Streams)], options.MaxStreamsPerConnection);
            foreach (var change in plan.Existing)
            {
                if (change.HasChanges)
                {
                    await shards[change.ShardIndex].UpdateStreamsAsync(change.Subscribe, change.Unsubscribe, cancellationToken).ConfigureAwait(false);
                }
            }

            foreach (var streams in plan.NewShards)
            {
                var shard = new ShardConnection(
                    shards.Count, family.Name, market, family.Url, options, gate, frames, OnDisconnected, metrics, time, logger);
                await shard.UpdateStreamsAsync(streams, [], cancellationToken).ConfigureAwait(false);
                shards.Add(shard);
                _running.Add(shard.RunAsync(cancellationToken));
            }

            Log.Planned(logger, market.ToString(), family.Name, symbols.Count, desired.Count, shards.Count, plan.MovedStreams);
        }
    }

    /// <summary>
    /// After a connection ends, asks REST what came after the last trade of each of its symbols: trades lost with the
    /// old connection show no id jump until the symbol trades again. (Depth cannot be checked this way; its first
    /// update after the reconnect shows the hole, reported as a gap.)
    /// </summary>
    /// <summary>
    /// A raw event Kafka did not take (after the producer's own retries): an aggregate trade is fetched again from
    /// REST and republished; a depth or kline event, which cannot be fetched again, is reported as a gap.
    /// </summary>
    public void OnDeliveryFailed(RawEvent rawEvent, string error, Action<FeedGap> reportGap, string instanceId, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(rawEvent);
        ArgumentNullException.ThrowIfNull(reportGap);
        if (!FrameRouter.TryRoute(rawEvent.Payload.Span, out var route))
        {
            return;
        }

        if (route.AggregateId != FrameRoute.Absent && route.Kind is FrameKind.AggTrade or FrameKind.Other)
        {
            _backfill?.TryWrite(new BackfillRequest(
                market, rawEvent.Symbol, route.AggregateId, route.AggregateId, route.TradeTime, route.TradeTime, "Kafka did not take it: " + error));
            return;
        }

        var isDepth = route.Kind == FrameKind.DepthUpdate;
        reportGap(new FeedGap
        {
            Market = market,
            Stream = rawEvent.Stream,
            Symbol = rawEvent.Symbol,
            Kind = isDepth ? FeedGapKind.DepthUpdateIds : FeedGapKind.Connection,
            MissingIds = isDepth ? new IdRange { First = route.FirstUpdateId, Last = route.FinalUpdateId } : null,
            GapStartMs = route.EventTime,
            GapEndMs = route.EventTime,
            DetectedBy = "ingest/" + instanceId,
            Region = rawEvent.Region,
            DetectedAtUs = clock.NowMicroseconds(),
            Detail = "event not delivered to Kafka: " + error,
        });
    }

    private void OnDisconnected(ShardConnection shard, SocketContext context, SocketEnd end)
    {
        foreach (var stream in shard.Streams)
        {
            if (!stream.EndsWith(StreamFamily.AggTrade, StringComparison.Ordinal))
            {
                continue;
            }

            var symbol = stream[..^StreamFamily.AggTrade.Length].ToUpperInvariant();
            if (sequencer.LastId(symbol) is { } last)
            {
                _backfill?.TryWrite(new BackfillRequest(
                    market, symbol, last + 1, last + BinanceRestClient.MaxAggTradesLimit, 0, 0, $"verify after {context.ConnectionId} ended ({end})", IsVerification: true));
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(3, LogLevel.Warning, "{Market}: the feed gap listener did not stop within {Timeout}; the pod stops without waiting for it")]
        public static partial void GapListenerSlow(ILogger logger, string market, TimeSpan timeout);

        [LoggerMessage(1, LogLevel.Information, "{Market} {Family}: {Symbols} symbols, {Streams} streams on {Shards} connections ({Moved} moved)")]
        public static partial void Planned(ILogger logger, string market, string family, int symbols, int streams, int shards, int moved);

        [LoggerMessage(2, LogLevel.Warning, "{Market}: symbol discovery failed ({Error}); retrying in {Wait}")]
        public static partial void DiscoveryFailed(ILogger logger, string market, string error, TimeSpan wait);
    }
}
