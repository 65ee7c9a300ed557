namespace Ingest.Sharding;

/// <summary>The difference between the current and the desired distribution of streams over connections.</summary>
public sealed class ShardPlan(IReadOnlyList<ShardChange> existing, IReadOnlyList<IReadOnlyList<string>> newShards, int movedStreams)
{
    /// <summary>One entry per current shard, in the same order (also for shards that do not change).</summary>
    public IReadOnlyList<ShardChange> Existing { get; } = existing;

    /// <summary>Connections to open, each with its streams.</summary>
    public IReadOnlyList<IReadOnlyList<string>> NewShards { get; } = newShards;

    /// <summary>
    /// Streams that stay desired but change connection: each is a brief unsubscribed window on one side, so
    /// the planner keeps this at zero unless a symbol no longer fits its connection.
    /// </summary>
    public int MovedStreams { get; } = movedStreams;
}
