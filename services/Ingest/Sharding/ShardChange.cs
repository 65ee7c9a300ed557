namespace Ingest.Sharding;

/// <summary>
/// What one existing connection must do: the live SUBSCRIBE and UNSUBSCRIBE requests that take it from its
/// current streams to <see cref="Streams"/>. Live requests rather than a reconnect, because a reconnect
/// interrupts every other symbol on the connection.
/// </summary>
public sealed class ShardChange(int shardIndex, IReadOnlyList<string> streams, IReadOnlyList<string> subscribe, IReadOnlyList<string> unsubscribe)
{
    /// <summary>The shard's position in the current plan given to <see cref="ShardPlanner.Plan"/>.</summary>
    public int ShardIndex { get; } = shardIndex;

    /// <summary>The shard's streams after the change: kept ones in their old order, then added ones.</summary>
    public IReadOnlyList<string> Streams { get; } = streams;

    public IReadOnlyList<string> Subscribe { get; } = subscribe;

    public IReadOnlyList<string> Unsubscribe { get; } = unsubscribe;

    public bool HasChanges => Subscribe.Count > 0 || Unsubscribe.Count > 0;

    /// <summary>No streams left: the connection can be closed.</summary>
    public bool IsEmpty => Streams.Count == 0;
}
