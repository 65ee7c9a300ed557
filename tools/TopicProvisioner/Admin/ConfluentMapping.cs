using Confluent.Kafka.Admin;
using Streaming.Topics;
using Streaming.Topics.Provisioning;

namespace TopicProvisioner.Admin;

/// <summary>Between Confluent.Kafka's Admin API types and the planner's.</summary>
internal static class ConfluentMapping
{
    public static ObservedTopic ToObservedTopic(TopicDescription description, IEnumerable<ConfigEntryResult> configs)
    {
        ArgumentNullException.ThrowIfNull(description);
        // The smallest replica set is the durability the topic actually has (a reassignment in
        // progress can list extra replicas on some partitions).
        var replicationFactor = description.Partitions.Count == 0 ? 0 : description.Partitions.Min(partition => partition.Replicas.Count);
        return new ObservedTopic(
            description.Name,
            description.Partitions.Count,
            checked((short)replicationFactor),
            configs.ToDictionary(
                config => config.Name,
                // Only DynamicTopicConfig is set on the topic; broker-level and default values are inherited.
                config => new ObservedConfig(config.Value, config.Source == ConfigSource.DynamicTopicConfig),
                StringComparer.Ordinal));
    }

    public static TopicSpecification ToTopicSpecification(TopicSpec topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        return new TopicSpecification
        {
            Name = topic.Name,
            NumPartitions = topic.Partitions,
            ReplicationFactor = topic.ReplicationFactor,
            Configs = new Dictionary<string, string>(topic.Configs, StringComparer.Ordinal),
        };
    }

    public static Dictionary<ConfigResource, List<ConfigEntry>> ToIncrementalAlterations(IEnumerable<ConfigChange> changes) =>
        changes
            .GroupBy(change => change.Topic, StringComparer.Ordinal)
            .ToDictionary(
                topic => new ConfigResource { Type = ResourceType.Topic, Name = topic.Key },
                topic => topic
                    .Select(change => new ConfigEntry
                    {
                        Name = change.Name,
                        Value = change.Desired,
                        IncrementalOperation = change.IsRemoval ? AlterConfigOpType.Delete : AlterConfigOpType.Set,
                    })
                    .ToList());
}
