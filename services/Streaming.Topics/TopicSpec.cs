using System.Collections.Immutable;
using System.Globalization;
using Streaming.Topics.Catalog;

namespace Streaming.Topics;

/// <summary>
/// One topic as the catalog declares it, with the catalog's defaults already applied.
/// </summary>
/// <param name="Name">The Kafka topic name.</param>
/// <param name="Description">What the records are, for people reading a Kafka UI or the catalog.</param>
/// <param name="Owner">The service that owns the topic's contract.</param>
/// <param name="Key">What a record's key is (for example the symbol).</param>
/// <param name="Value">The Protobuf message type of a record's value.</param>
/// <param name="Partitions">The partition count, fixed for the topic's life.</param>
/// <param name="ReplicationFactor">Replicas per partition.</param>
/// <param name="Configs">Topic-level Kafka configs by their Kafka names, ordered by name.</param>
/// <param name="CopartitionGroup">Topics sharing this label have equal partition counts; null when none.</param>
public sealed record TopicSpec(
    string Name,
    string Description,
    string Owner,
    string Key,
    string Value,
    int Partitions,
    short ReplicationFactor,
    IReadOnlyDictionary<string, string> Configs,
    string? CopartitionGroup)
{
    /// <summary>
    /// The same topic with another replication factor, for clusters with fewer brokers than the
    /// catalog assumes. min.insync.replicas is lowered with it when it would exceed the new factor.
    /// </summary>
    public TopicSpec WithReplicationFactor(short replicationFactor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicationFactor, (short)1);
        // With acks=all, min.insync.replicas above the replica count makes every write fail with
        // NotEnoughReplicas, so a lowered factor has to take it along.
        var configs = Configs;
        if (configs.TryGetValue(TopicConfigNames.MinInsyncReplicas, out var text)
            && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var minInsync)
            && minInsync > replicationFactor)
        {
            configs = configs.ToImmutableSortedDictionary(StringComparer.Ordinal)
                .SetItem(TopicConfigNames.MinInsyncReplicas, replicationFactor.ToString(CultureInfo.InvariantCulture));
        }

        return this with { ReplicationFactor = replicationFactor, Configs = configs };
    }
}
