using Streaming.Contracts.Common.V1;

namespace Ingest.Streams;

/// <summary>What every frame of one WebSocket connection shares: where it came from, for the raw envelope and for gap reports.</summary>
/// <param name="ConnectionId">Unique per connection attempt (a reconnect gets a new one), e.g. <c>spot-s3-7</c>.</param>
/// <param name="Market">Spot or USD-M futures.</param>
/// <param name="Region">Collector region label.</param>
/// <param name="ShardId">The shard (set of streams) the connection carries.</param>
/// <param name="Attempt">1 for the shard's first connection; more means earlier connections of the shard may have lost events.</param>
internal sealed record SocketContext(string ConnectionId, Market Market, string Region, int ShardId, int Attempt = 1)
{
    /// <summary>Frames read from the socket, including dropped ones.</summary>
    public long FramesReceived;

    /// <summary>Frames the socket loop could not hand over because the pipeline was full (each is a potential loss, detected downstream by ids).</summary>
    public long FramesDropped;

    /// <summary>Stream events (not replies) the processor has seen: a replacement connection is "delivering" once this moves.</summary>
    public long DataFrames;

    /// <summary><see cref="TimeProvider.GetTimestamp"/> of the last stream event.</summary>
    public long LastDataTimestamp;

    /// <summary>When falling behind was last logged (processor thread only).</summary>
    public long LagReportedAt;

    /// <summary>Set by the processor on a <c>serverShutdown</c> event: the connection is replaced at once.</summary>
    public volatile bool ShutdownAnnounced;

    /// <summary>When each kline stream last delivered (timestamps), for per-stream liveness.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, long> KlineLastSeen { get; } = new(StringComparer.Ordinal);
}
