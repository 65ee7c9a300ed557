using System.Collections.Frozen;

namespace Streaming.Topics.Provisioning;

/// <summary>What a cluster holds of the catalog's topics, as described by its Admin API.</summary>
public sealed class ClusterState
{
    private readonly FrozenDictionary<string, ObservedTopic> _byName;

    public ClusterState(IEnumerable<ObservedTopic> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        _byName = topics.ToFrozenDictionary(topic => topic.Name, StringComparer.Ordinal);
    }

    /// <summary>A cluster with none of the topics.</summary>
    public static ClusterState Empty { get; } = new([]);

    /// <summary>The topic named <paramref name="name"/>, or null when the cluster does not have it.</summary>
    public ObservedTopic? Find(string name) => _byName.GetValueOrDefault(name);
}

/// <summary>One existing topic.</summary>
/// <param name="Name">The topic name.</param>
/// <param name="Partitions">Its partition count.</param>
/// <param name="ReplicationFactor">Its replica count (the smallest of any partition: the durability it actually has).</param>
/// <param name="Configs">Its configs by Kafka name, whether set on the topic or inherited.</param>
public sealed record ObservedTopic(
    string Name,
    int Partitions,
    short ReplicationFactor,
    IReadOnlyDictionary<string, ObservedConfig> Configs);

/// <summary>One config value of an existing topic.</summary>
/// <param name="Value">The effective value; null when the broker does not disclose it.</param>
/// <param name="IsSetOnTopic">
/// True when set on the topic itself (a dynamic topic config); false when inherited from the
/// broker's settings or Kafka's default, which can change under the topic.
/// </param>
public sealed record ObservedConfig(string? Value, bool IsSetOnTopic);
